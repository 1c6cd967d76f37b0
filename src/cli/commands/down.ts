import type { Argv } from 'yargs';
import { isLabError } from '../../errors.js';
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
      const { selectHosts } = await import('../../inventory/select.js');
      const { sshTarget } = await import('../../plan/compile.js');
      const { downScenario, renderDown } = await import('../../run/down.js');
      const { findScenario, loadScenarioFile } = await import('../../scenario/index.js');
      const { makeConnector } = await import('../connector.js');
      const { resolveInventoryPath } = await import('../inventory-arg.js');
      const { scenariosDir } = await import('../plan-inputs.js');
      const inventory = await loadInventory(resolveInventoryPath(args.inventory, ctx));
      // The scenario's own host list when its file still loads; every inventory host otherwise, since
      // what lab made is found by the scenario's name in labels, not by the file.
      let selectors = ['all'];
      try {
        const doc = await loadScenarioFile(findScenario(args.scenario, scenariosDir(args, ctx)));
        selectors = doc.hosts;
      } catch (err) {
        if (!isLabError(err)) throw err;
      }
      const targets = selectHosts(inventory, selectors).map((name) => {
        const host = inventory.hosts.find((h) => h.name === name);
        if (!host) throw new Error(`host ${name} vanished from the inventory`);
        return sshTarget(host);
      });
      const { connect, stats } = makeConnector(
        {
          knownHosts: args['known-hosts'],
          acceptNewHostKeys: args['accept-new-host-keys'],
          timeoutMs: parseSeconds('timeout', args.timeout),
        },
        ctx,
      );
      const name = args.scenario.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
      const report = await downScenario(
        name,
        targets,
        connect,
        parsePositiveInt('concurrency', args.concurrency),
      );
      ctx.stdout.write(
        args.json ? `${JSON.stringify({ ...report, ssh: stats }, null, 2)}\n` : renderDown(report),
      );
      setExit(report.hosts.some((h) => 'error' in h) ? ExitCode.hostError : ExitCode.ok);
    },
  );
}
