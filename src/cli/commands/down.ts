import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';
import { parsePositiveInt, parseSeconds } from '../options.js';
import { withInventoryOption, withScenarioOptions, withSshOptions } from '../shared-options.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'down <scenario>',
    'Remove exactly what `lab run` made for a scenario (found by labels) and restore each NIC it changed',
    (y) =>
      withSshOptions(withScenarioOptions(withInventoryOption(y)))
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'Print what was removed as JSON',
        })
        .example('$0 down macvlan-two-nic -i box', 'clean the box of the two-NIC lab'),
    async (args) => {
      // Flags first: a bad one contacts no host.
      const concurrency = parsePositiveInt('concurrency', args.concurrency);
      const timeoutMs = parseSeconds('timeout', args.timeout);
      // Loaded here, not at start-up: every command pays only for what it uses.
      const [
        { loadInventory },
        { makeConnector },
        { downTargets, likelyDownTargets, scenarioNameOf },
        { resolveInventoryPath },
        { scenariosDir },
        { connectEarly },
      ] = await Promise.all([
        import('../../inventory/load.js'),
        import('../connector.js'),
        import('../down-targets.js'),
        import('../inventory-arg.js'),
        import('../scenario-file.js'),
        import('../../run/early-connect.js'),
      ]);
      const inventory = await loadInventory(resolveInventoryPath(args.inventory, ctx));
      const dir = scenariosDir(args, ctx);
      const { connect, stats } = makeConnector(
        {
          knownHosts: args['known-hosts'],
          acceptNewHostKeys: args['accept-new-host-keys'],
          timeoutMs,
        },
        ctx,
      );
      // As in lab run: the handshakes start while the schema and the teardown code load.
      const early = connectEarly(
        connect,
        await likelyDownTargets(args.scenario, inventory, dir),
        concurrency,
      );
      try {
        const [{ downExitCode, downScenario, renderDown }, targets] = await Promise.all([
          import('../../run/down.js'),
          downTargets(args.scenario, inventory, dir),
        ]);
        const report = await downScenario(
          scenarioNameOf(args.scenario),
          targets,
          early.connect,
          concurrency,
          undefined,
          ctx.signal,
        );
        ctx.stdout.write(
          args.json
            ? `${JSON.stringify({ ...report, ssh: stats }, null, 2)}\n`
            : renderDown(report),
        );
        setExit(downExitCode(report, ExitCode));
      } finally {
        await early.dispose();
      }
    },
  );
}
