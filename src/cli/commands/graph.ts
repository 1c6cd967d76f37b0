import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';
import { withInventoryOption, withScenarioOptions } from '../shared-options.js';

const FORMATS = ['svg', 'mermaid', 'dot'] as const;

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'graph <scenario>',
    'Draw the topology a scenario builds (hosts, NICs, networks, containers) from its plan; no host is contacted',
    (y) =>
      withScenarioOptions(withInventoryOption(y))
        .option('format', {
          choices: FORMATS,
          default: 'svg' as const,
          describe: 'SVG (laid out), Mermaid or Graphviz DOT',
        })
        .example('$0 graph macvlan-two-nic -i inventory/seed.ini > two-nic.svg', 'the picture')
        .example('$0 graph overlay -i box --format mermaid', 'a Mermaid flowchart for Markdown'),
    async (args) => {
      const [{ loadPlanInputs }, { topologyOfPlan }, { graphOf }] = await Promise.all([
        import('../plan-inputs.js'),
        import('../../picture/from-plan.js'),
        import('../../picture/graph.js'),
      ]);
      const { plan } = await loadPlanInputs(
        {
          scenario: args.scenario,
          inventory: args.inventory,
          var: args.var,
          scenarios: args.scenarios,
        },
        ctx,
      );
      if (args.format === 'svg') {
        const { planSvg } = await import('../../picture/plan-picture.js');
        ctx.stdout.write(await planSvg(plan));
      } else {
        const graph = graphOf(topologyOfPlan(plan));
        const text =
          args.format === 'mermaid'
            ? (await import('../../picture/mermaid.js')).renderMermaid(graph)
            : (await import('../../picture/dot.js')).renderDot(graph);
        ctx.stdout.write(text);
      }
      setExit(ExitCode.ok);
    },
  );
}
