import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';
import { parsePositiveInt, parseSeconds } from '../options.js';
import { withInventoryOption, withScenarioOptions, withSshOptions } from '../shared-options.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'run <scenario>',
    'Run a scenario end to end: prepare NICs, create networks and containers on every host, check every expectation',
    (y) =>
      withSshOptions(withScenarioOptions(withInventoryOption(y)))
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the plan and change nothing (same as `lab plan`)',
        })
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'Print the report as JSON instead of the task tree',
        })
        .option('wait', {
          type: 'number',
          default: 10,
          describe: 'Seconds a "must reach" pair may keep trying',
        })
        .option('ping-timeout', {
          type: 'number',
          default: 1,
          describe: 'Seconds one ping waits for its reply',
        })
        .example('$0 run macvlan-two-nic -i box', 'the seed’s two-NIC macvlan lab on the local box')
        .epilog(
          'Exit codes: 0 every expectation holds, 1 one did not, 2 bad input (nothing changed), 3 a host failed.',
        ),
    async (args) => {
      // Loaded here, not at start-up: every command pays only for what it uses.
      const [
        { renderPlan },
        { renderVerdict, reportToJson },
        { executePlan },
        { makeConnector },
        { loadPlanInputs },
      ] = await Promise.all([
        import('../../plan/render.js'),
        import('../../report/verdict.js'),
        import('../../run/execute.js'),
        import('../connector.js'),
        import('../plan-inputs.js'),
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
      if (args['dry-run']) {
        ctx.stdout.write(renderPlan(plan));
        setExit(ExitCode.ok);
        return;
      }
      const concurrency = parsePositiveInt('concurrency', args.concurrency);
      const { connect, stats } = makeConnector(
        {
          knownHosts: args['known-hosts'],
          acceptNewHostKeys: args['accept-new-host-keys'],
          timeoutMs: parseSeconds('timeout', args.timeout),
        },
        ctx,
      );
      const report = await executePlan(plan, connect, {
        concurrency,
        checks: {
          waitMs: parseSeconds('wait', args.wait),
          pingTimeoutSeconds: parseSeconds('ping-timeout', args['ping-timeout']) / 1000,
          concurrency: 64,
        },
        renderer: args.json || !ctx.stdout.isTTY ? 'silent' : 'default',
        ...(!args.json &&
          !ctx.stdout.isTTY && {
            onProgress: (host: string | undefined, line: string) =>
              ctx.stdout.write(`${host ? `${host.padEnd(10)} ` : ''}${line}\n`),
          }),
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        ...(ctx.signal && { signal: ctx.signal }),
      });
      ctx.stdout.write(
        args.json
          ? `${JSON.stringify({ ...(reportToJson(report) as object), ssh: stats }, null, 2)}\n`
          : renderVerdict(report),
      );
      setExit(
        ctx.signal?.aborted
          ? ExitCode.interrupted
          : report.verdict === 'pass'
            ? ExitCode.ok
            : report.verdict === 'fail'
              ? ExitCode.expectationFailed
              : report.hosts.some((h) => h.error?.kind === 'conflict' || h.error?.kind === 'input')
                ? ExitCode.badInput
                : ExitCode.hostError,
      );
    },
  );
}
