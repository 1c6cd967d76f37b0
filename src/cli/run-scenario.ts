/**
 * One `lab run`: plan, execute, report, and the exit code; shared by `lab run S` and `lab run --all`.
 * The transcript, when asked for, is recorded from the executor's events and rendered here.
 */
import { readFile } from 'node:fs/promises';
import { isLabError, LabError } from '../common/errors.js';
import type { SshStats } from '../ssh/stats.js';
import { ExitCode, type CliContext } from './context.js';
import { keepaliveOf, makeConnector } from './connector.js';
import { hostLocker } from './host-lock.js';
import type { ExecuteOptions } from '../run/execute.js';
import { checkKnownHostsFiles } from './known-hosts-file.js';
import { loadInventoryArg } from './inventory-arg.js';
import { parsePositiveInt, parseSeconds, parseVarFlags } from './options.js';
import { scenarioFile } from './scenario-file.js';
import type { RunReport } from '../run/run-report.js';
import { quoteCommand } from '../ssh/quote.js';
import { authGate, connectEarly } from '../run/early-connect.js';
import { CLOSE_GRACE_MS, untilInterrupted } from '../common/interrupt.js';
import type { Connector } from '../host/session.js';
import type { RunEventSink } from '../run/events.js';
import type { Plan } from '../plan/model.js';
import { sshTargetsOf } from '../plan/ssh-target.js';
import type { Scenario } from '../scenario/model.js';
import { likelyHosts } from '../scenario/likely-hosts.js';

export interface RunFlags {
  scenario: string;
  inventory: string | readonly string[];
  var?: string[] | undefined;
  scenarios?: string | undefined;
  knownHosts?: string | undefined;
  sshConfig?: string | undefined;
  acceptNewHostKeys: boolean;
  timeout: number;
  keepaliveInterval?: number | undefined;
  keepaliveCount?: number | undefined;
  /** --lock-wait SECONDS: how long to wait for another lab holding a host. */
  lockWait?: unknown;
  concurrency: number;
  wait: number;
  pingTimeout: number;
  probeImage?: string | undefined;
  json: boolean;
  /** Record a transcript of the run. */
  transcript: boolean;
  /** A claim of the seed that this Docker does not bear out fails the run (exit 1). */
  strictSeed?: boolean | undefined;
  /** `lab run --all`: a --var this scenario does not use is for another one. */
  unknownVars?: 'ignore';
}

export interface RunOutcome {
  report: RunReport;
  /** What was run: the report's topology is drawn from it. */
  plan: Plan;
  code: number;
  stats: SshStats;
  /** The transcript as Markdown, when asked for. */
  transcript?: string;
}

const CODE_OF = {
  pass: ExitCode.ok,
  differs: ExitCode.ok,
  fail: ExitCode.expectationFailed,
  'bad-input': ExitCode.badInput,
  error: ExitCode.hostError,
  interrupted: ExitCode.interrupted,
} as const;

/**
 * The exit code of a run: the executor's verdict, as docs/exit-codes.md maps it. A claim of the seed
 * that this Docker does not bear out is not a failure of the lab, unless `strictSeed` makes it one.
 */
export function exitCodeOf(report: RunReport, aborted: boolean, strictSeed = false): number {
  if (aborted) return ExitCode.interrupted;
  if (report.verdict === 'differs' && strictSeed) return ExitCode.expectationFailed;
  return CODE_OF[report.verdict];
}

/** The `lab down` that undoes this run, with every flag it needs to work as written. */
export function downCommandOf(flags: RunFlags): string {
  return quoteCommand([
    'lab',
    'down',
    flags.scenario,
    ...(typeof flags.inventory === 'string' ? [flags.inventory] : flags.inventory).flatMap((i) => [
      '-i',
      i,
    ]),
    ...(flags.sshConfig !== undefined ? ['--ssh-config', flags.sshConfig] : []),
    ...(flags.scenarios !== undefined ? ['--scenarios', flags.scenarios] : []),
    ...(flags.knownHosts !== undefined ? ['--known-hosts', flags.knownHosts] : []),
  ]);
}

/** The scenario file's first comment line (after an editor's schema line): where in the seed it comes from. */
async function sourceLine(file: string): Promise<string | undefined> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n');
  const first = lines.find((l) => !l.startsWith('# yaml-language-server:')) ?? '';
  return first.startsWith('#') ? first.replace(/^#\s*/, '') : undefined;
}

export async function runScenario(flags: RunFlags, ctx: CliContext): Promise<RunOutcome> {
  // Every flag, the inventory and the scenario's name are checked before any host is contacted.
  const settings: RunSettings = {
    concurrency: parsePositiveInt('concurrency', flags.concurrency),
    timeoutMs: parseSeconds('timeout', flags.timeout),
    waitMs: parseSeconds('wait', flags.wait),
    pingTimeoutSeconds: parseSeconds('ping-timeout', flags.pingTimeout) / 1000,
    lock: hostLocker(flags.lockWait, ctx),
  };
  const cliVars = parseVarFlags(flags.var);
  const inventory = await loadInventoryArg(flags.inventory, ctx);
  const file = scenarioFile(flags, ctx);
  // The SSH handshakes start now, on the scenario's own list of hosts, and run while the schema,
  // the planner and the executor load and work; but no host is logged in to before the scenario
  // is valid (the auth gate opens only then), and a scenario that fails its checks closes these
  // connections unauthenticated: nothing on a host changed, no login in its log.
  const validated = authGate();
  const { connect, stats, knownHostsFile } = await makeConnector(
    {
      inventory,
      sshConfig: flags.sshConfig,
      knownHosts: flags.knownHosts,
      acceptNewHostKeys: flags.acceptNewHostKeys,
      timeoutMs: settings.timeoutMs,
      keepalive: keepaliveOf(flags),
      authGate: validated.promise,
    },
    ctx,
  );
  if (flags.acceptNewHostKeys) await checkKnownHostsFiles(knownHostsFile, inventory);
  // Not when new host keys are to be recorded: a bad scenario must not write known_hosts either.
  const guess = flags.acceptNewHostKeys ? [] : await likelyHosts(file, inventory);
  const early = connectEarly(connect, sshTargetsOf(inventory, guess), settings.concurrency);
  try {
    let inputs: PlanInputs;
    try {
      inputs = await planUnlessInterrupted(flags, ctx.signal, () =>
        import('./plan-inputs.js').then(({ planFor }) =>
          planFor(
            inventory,
            file,
            cliVars,
            flags.unknownVars ? { unknown: flags.unknownVars } : {},
          ),
        ),
      );
    } catch (err) {
      validated.reject(err);
      throw err;
    }
    validated.resolve();
    return await runWith(inputs.plan, inputs.scenario, early.connect, stats, settings, flags, ctx);
  } finally {
    await untilInterrupted(early.dispose(), ctx.signal, CLOSE_GRACE_MS);
  }
}

/** The verdict line of a Ctrl-C that came before any host was touched, else undefined. */
export function interruptedBeforePlan(err: unknown): string | undefined {
  const planning =
    isLabError(err) && err.kind === 'aborted' && err.message.startsWith('INTERRUPTED: ');
  return planning ? err.message : undefined;
}

type PlanInputs = Awaited<ReturnType<(typeof import('./plan-inputs.js'))['planFor']>>;

/**
 * The scenario read and planned, unless Ctrl-C comes first: planning touches no host, so a Ctrl-C
 * during it ends the run at once (not when planning is done) with nothing changed anywhere.
 */
export async function planUnlessInterrupted(
  flags: RunFlags,
  signal: AbortSignal | undefined,
  plan: () => Promise<PlanInputs>,
): Promise<PlanInputs> {
  const planning = plan();
  const planned = await untilInterrupted(planning, signal, 0);
  if (planned.done) return planned.value;
  planning.catch(() => {}); // given up on: its outcome no longer matters
  throw new LabError(
    'aborted',
    `INTERRUPTED: ${flags.scenario} — stopped while reading and planning the scenario; nothing was changed on any host`,
  );
}

type LiveView = RunEventSink & { done(): Promise<void> };

/**
 * What shows the run as it goes: the task tree on a terminal, plain lines otherwise (CI logs,
 * pipes), nothing with --json. Both only listen to the executor's events.
 */
async function progressView(
  flags: RunFlags,
  ctx: CliContext,
): Promise<((plan: Plan) => LiveView) | undefined> {
  if (flags.json) return undefined;
  if (!ctx.stdout.isTTY) {
    const { progressLines } = await import('../report/progress-lines.js');
    const lines = progressLines((line) => ctx.stdout.write(line));
    return () => ({ ...lines, done: async () => {} });
  }
  const { LiveTree } = await import('../report/live-tree.js');
  return (plan) => new LiveTree(plan, { stdout: ctx.stdout, stderr: ctx.stderr });
}

/** The run's numeric flags, parsed once. */
interface RunSettings {
  concurrency: number;
  timeoutMs: number;
  waitMs: number;
  pingTimeoutSeconds: number;
  /** Locks each host for the run (--lock-wait). */
  lock: ExecuteOptions['lock'];
}

async function runWith(
  plan: Plan,
  scenario: Scenario,
  connect: Connector,
  stats: SshStats,
  settings: RunSettings,
  flags: RunFlags,
  ctx: CliContext,
): Promise<RunOutcome> {
  const [{ executePlan }, { httpGet }, { fanOut }, progress, transcriptModules] = await Promise.all(
    [
      import('../run/execute.js'),
      import('../assert/http-get.js'),
      import('../run/events.js'),
      progressView(flags, ctx),
      flags.transcript
        ? Promise.all([
            import('../transcript/recorder.js'),
            import('../transcript/observer.js'),
            import('../transcript/markdown.js'),
          ])
        : Promise.resolve(undefined),
    ],
  );
  const { concurrency, timeoutMs, waitMs, pingTimeoutSeconds } = settings;
  const startedAt = new Date().toISOString();
  const recorder = transcriptModules ? new transcriptModules[0].TranscriptRecorder() : undefined;
  const observer = transcriptModules
    ? transcriptModules[1].transcriptObserver(plan, { now: () => Date.now(), timeoutMs })
    : undefined;
  const live = progress?.(plan);
  const report = await executePlan(plan, connect, {
    concurrency,
    checks: {
      waitMs,
      pingTimeoutSeconds,
      concurrency: 64,
      // Probers run in each source container's namespace from an image known to have ping.
      probeImage: flags.probeImage ?? plan.vars['image'] ?? 'busybox:latest',
      ...(ctx.signal && { signal: ctx.signal }),
    },
    assertions: { waitMs, timeoutMs: Math.min(timeoutMs, 10_000), httpGet },
    ...(ctx.signal && { signal: ctx.signal }),
    events: fanOut(live, recorder),
    ...(observer && { observer }),
    ...(settings.lock && { lock: settings.lock }),
  });
  await live?.done();
  const outcome: RunOutcome = {
    report,
    plan,
    code: exitCodeOf(report, ctx.signal?.aborted === true, flags.strictSeed === true),
    stats,
  };
  if (recorder && transcriptModules) {
    const source = await sourceLine(scenario.file);
    const [{ topologyOfPlan }, { graphOf }, { renderMermaid }] = await Promise.all([
      import('../picture/from-plan.js'),
      import('../picture/graph.js'),
      import('../picture/mermaid.js'),
    ]);
    outcome.transcript = transcriptModules[2].renderTranscript(recorder.events, {
      description: scenario.description,
      ...(source !== undefined && { source }),
      startedAt,
      mermaid: renderMermaid(graphOf(topologyOfPlan(plan))),
    });
  }
  return outcome;
}
