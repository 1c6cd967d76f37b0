import type { Argv } from 'yargs';
import { LabError } from '../../common/errors.js';
import { ExitCode, type CliContext } from '../context.js';
import type { RunFlags } from '../run-scenario.js';
import {
  lockWaitOption,
  withInventoryOption,
  withOptionalScenarioOptions,
  withProbeOptions,
  withSshOptions,
} from '../shared-options.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'run [scenario]',
    'Run a scenario end to end: prepare NICs, create networks and containers on every host, check every expectation',
    runOptions,
    async (args) => runHandler(args, ctx, setExit),
  );
}

function runOptions(y: Argv) {
  return withProbeOptions(withSshOptions(withOptionalScenarioOptions(withInventoryOption(y))), {
    wait: {
      seconds: 10,
      describe:
        'Seconds a "must reach" pair (or an assertion that may need a moment) may keep trying (0 to 3600; 0: try once); longer than lab check connectivity\'s 5 because these containers have only just started',
    },
    probeImage:
      "Image of the probers that check the expectations (default: the scenario's `image` variable, else busybox:latest)",
    json: 'Print the report as JSON instead of the task tree',
    html: 'Also write a self-contained HTML page: the topology and the reachability heatmap, every verdict explained (with --all: all scenarios in one page)',
  })
    .option('all', {
      type: 'boolean',
      default: false,
      describe:
        'Run every scenario in turn, each torn down (lab down) before the next; end with a summary table',
    })
    .option('transcript', {
      type: 'string',
      describe:
        'Write a Markdown transcript: each step with its host, command and output, what the hosts show, every verdict (with --all: all scenarios in one file)',
    })
    .option('transcript-dir', {
      type: 'string',
      describe:
        'With --all: write one Markdown transcript per scenario into this directory, as SCENARIO.md',
    })
    .option('dry-run', {
      type: 'boolean',
      default: false,
      describe: 'Print the plan and change nothing (same as `lab plan`)',
    })
    .option('lock-wait', lockWaitOption)
    .option('strict-seed', {
      type: 'boolean',
      default: false,
      describe:
        'Exit 1 when a claim of the seed (seed: in the scenario) is not borne out by the Docker on the hosts; by default it is reported as DIFFERS FROM THE SEED and exits 0',
    })
    .example('$0 run macvlan-two-nic -i box', 'the seed’s two-NIC macvlan lab on the local box')
    .example(
      '$0 run bridge-custom -i box --transcript bridge-custom.md',
      'and a transcript to hand out',
    )
    .example('$0 run --all -i box', 'every scenario, one after the other, with a summary')
    .epilog(
      'Exit codes: 0 every expectation holds (claims of the seed that this Docker does not bear out included, unless --strict-seed), 1 one did not, 2 bad input (nothing changed), 3 a host failed; with --all, the worst of them.',
    );
}

type RunArgs = Awaited<ReturnType<typeof runOptions>['argv']>;

async function runHandler(
  args: RunArgs,
  ctx: CliContext,
  setExit: (code: number) => void,
): Promise<void> {
  if (args.all === (args.scenario !== undefined)) {
    throw new LabError(
      'input',
      args.all ? 'give either a scenario or --all, not both' : 'name a scenario, or give --all',
      { hint: 'lab run bridge-custom -i box, or lab run --all -i box' },
    );
  }
  // Checked before anything else: a report that cannot be written must not cost a run.
  const { checkReportPath } = await import('../report-file.js');
  const transcriptPath =
    args.transcript !== undefined && !args['dry-run']
      ? await checkReportPath('transcript', args.transcript, ctx.cwd)
      : undefined;
  const transcriptDir = await transcriptDirOf(args, ctx.cwd);
  const flags = {
    inventory: args.inventory,
    var: args.var,
    scenarios: args.scenarios,
    knownHosts: args['known-hosts'],
    sshConfig: args['ssh-config'],
    keepaliveInterval: args['keepalive-interval'],
    keepaliveCount: args['keepalive-count'],
    lockWait: args['lock-wait'],
    acceptNewHostKeys: args['accept-new-host-keys'],
    timeout: args.timeout,
    concurrency: args.concurrency,
    wait: args.wait,
    pingTimeout: args['ping-timeout'],
    probeImage: args['probe-image'],
    json: args.json,
    transcript: args.transcript !== undefined || transcriptDir !== undefined,
    strictSeed: args['strict-seed'],
  };
  if (args.all && args['dry-run']) {
    const { planAllCommand } = await import('../run-all-command.js');
    setExit(await planAllCommand(flags, ctx));
    return;
  }
  // Checked before any host is contacted: a page that cannot be written is bad input.
  const htmlFile =
    args.html !== undefined && !args['dry-run']
      ? await checkReportPath('html', args.html, ctx.cwd)
      : undefined;
  if (args.all) {
    const { runAllCommand } = await import('../run-all-command.js');
    setExit(
      await runAllCommand(
        { ...flags, transcriptFile: transcriptPath, transcriptDir, htmlFile },
        ctx,
      ),
    );
    return;
  }
  const scenario = args.scenario ?? '';
  if (args['dry-run']) {
    await printPlan({ ...flags, scenario }, ctx);
    setExit(ExitCode.ok);
    return;
  }
  await runOne(args, { ...flags, scenario }, transcriptPath, htmlFile, ctx, setExit);
}

/** `--transcript-dir DIR` (with --all only), checked writable before anything runs. */
async function transcriptDirOf(args: RunArgs, cwd: string): Promise<string | undefined> {
  const dir = args['transcript-dir'];
  if (dir === undefined || args['dry-run']) return undefined;
  if (!args.all) {
    throw new LabError('input', '--transcript-dir goes with --all (one transcript per scenario)', {
      hint: `for one scenario: lab run ${args.scenario ?? 'SCENARIO'} -i INVENTORY --transcript FILE.md`,
    });
  }
  const { checkReportDir } = await import('../report-file.js');
  return checkReportDir('transcript-dir', dir, cwd);
}

/** `lab run --dry-run SCENARIO`: the plan, and nothing contacted. */
async function printPlan(flags: RunFlags, ctx: CliContext): Promise<void> {
  const [{ renderPlan }, { renderAssertionPlan }, { loadPlanInputs }] = await Promise.all([
    import('../../plan/render.js'),
    import('../../assert/render.js'),
    import('../plan-inputs.js'),
  ]);
  const { plan } = await loadPlanInputs(flags, ctx);
  ctx.stdout.write(renderPlan(plan) + renderAssertionPlan(plan.assertions));
}

/** One scenario run for real, then its verdict and report files. */
async function runOne(
  args: RunArgs,
  flags: RunFlags,
  transcriptPath: string | undefined,
  htmlFile: string | undefined,
  ctx: CliContext,
  setExit: (code: number) => void,
): Promise<void> {
  // Loaded already by the handler's first check.
  const { codeAfterReport, writeReport } = await import('../report-file.js');
  // Loaded here, not at start-up: every command pays only for what it uses.
  const [
    { renderVerdict, reportToJson },
    { runScenario, downCommandOf, interruptedBeforePlan },
    { topologyOfPlan },
  ] = await Promise.all([
    import('../../report/verdict.js'),
    import('../run-scenario.js'),
    import('../../picture/from-plan.js'),
  ]);
  let outcome: Awaited<ReturnType<typeof runScenario>>;
  try {
    outcome = await runScenario(flags, ctx);
  } catch (err) {
    // Ctrl-C while planning: the verdict line on stdout like any run's (JSON: the error document).
    const line = interruptedBeforePlan(err);
    if (args.json || line === undefined) throw err;
    ctx.stdout.write(`\n${line}\n`);
    setExit(ExitCode.interrupted);
    return;
  }
  const document = {
    ...(reportToJson(outcome.report, { topology: topologyOfPlan(outcome.plan) }) as object),
    ssh: outcome.stats,
  };
  // The verdict is printed whatever happens to the reports; a write error comes after it.
  const transcriptError =
    transcriptPath !== undefined && outcome.transcript !== undefined
      ? await writeReport('transcript', transcriptPath, outcome.transcript)
      : undefined;
  const htmlError =
    htmlFile !== undefined
      ? await writeReport(
          'HTML report',
          htmlFile,
          await (await import('../html-report.js')).htmlReport(document, 'lab run'),
        )
      : undefined;
  const writeError = transcriptError ?? htmlError;
  ctx.stdout.write(
    args.json
      ? `${JSON.stringify(
          { ...document, ...(writeError && { reportError: writeError.toJSON() }) },
          null,
          2,
        )}\n`
      : renderVerdict(outcome.report, {
          downCommand: downCommandOf(flags),
        }),
  );
  if (writeError) ctx.stderr.write(`lab: ${writeError.describe()}\n`);
  else if (args.transcript !== undefined && !args.json)
    ctx.stdout.write(`transcript: ${args.transcript}\n`);
  if (args.html !== undefined && !args.json && !writeError) {
    ctx.stdout.write(`report: ${args.html}\n`);
  }
  setExit(codeAfterReport(outcome.code, writeError));
}
