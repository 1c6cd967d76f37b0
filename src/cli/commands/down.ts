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
      // Loaded here, not at start-up: every command pays only for what it uses.
      const { loadInventory } = await import('../../inventory/load.js');
      const { downFailures, downScenario, renderDown } = await import('../../run/down.js');
      const { makeConnector } = await import('../connector.js');
      const { downTargets, scenarioNameOf } = await import('../down-targets.js');
      const { resolveInventoryPath } = await import('../inventory-arg.js');
      const { scenariosDir } = await import('../scenario-file.js');
      const inventory = await loadInventory(resolveInventoryPath(args.inventory, ctx));
      const targets = await downTargets(args.scenario, inventory, scenariosDir(args, ctx));
      const { connect, stats } = makeConnector(
        {
          knownHosts: args['known-hosts'],
          acceptNewHostKeys: args['accept-new-host-keys'],
          timeoutMs: parseSeconds('timeout', args.timeout),
        },
        ctx,
      );
      const name = scenarioNameOf(args.scenario);
      const report = await downScenario(
        name,
        targets,
        connect,
        parsePositiveInt('concurrency', args.concurrency),
      );
      ctx.stdout.write(
        args.json ? `${JSON.stringify({ ...report, ssh: stats }, null, 2)}\n` : renderDown(report),
      );
      setExit(downFailures(report).length > 0 ? ExitCode.hostError : ExitCode.ok);
    },
  );
}
