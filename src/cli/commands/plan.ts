import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';
import { withInventoryOption, withScenarioOptions } from '../shared-options.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'plan <scenario>',
    'Print what `lab run` would do on each host, as the shell commands a person would type',
    (y) =>
      withScenarioOptions(withInventoryOption(y))
        .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' })
        .example(
          '$0 plan macvlan-two-nic -i inventory/seed.ini',
          'the seed’s commands for both hosts',
        )
        .example('$0 plan macvlan-two-nic -i box --json', 'the plan for the local box, for tools'),
    async (args) => {
      // Loaded here, not at start-up: every command pays only for what it uses.
      const { renderPlan } = await import('../../plan/render.js');
      const { renderAssertionPlan } = await import('../../assert/render.js');
      const { loadPlanInputs } = await import('../plan-inputs.js');
      const { plan } = await loadPlanInputs(
        {
          scenario: args.scenario,
          inventory: args.inventory,
          var: args.var,
          scenarios: args.scenarios,
        },
        ctx,
      );
      ctx.stdout.write(
        args.json
          ? `${JSON.stringify(plan, null, 2)}\n`
          : renderPlan(plan) + renderAssertionPlan(plan.assertions),
      );
      setExit(ExitCode.ok);
    },
  );
}
