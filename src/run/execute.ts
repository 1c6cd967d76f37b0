/**
 * Executes a plan: connect to every host and preflight them all before anything changes, then apply
 * each host's steps in dependency order (hosts in parallel, bounded), then judge every check at once.
 * It reports only by emitting events (events.ts); the live tree, the plain lines and the transcript
 * listen. A Ctrl-C (options.signal) starts nothing new and gives running work a short grace.
 */
import PQueue from 'p-queue';
import { asLabError, LabError } from '../common/errors.js';
import type { HostPlan, Plan, PlannedCheck } from '../plan/model.js';
import { runChecks, type CheckOptions, type CheckResult } from '../probe/checks.js';
import { DEFAULT_PROBE_IMAGE } from '../probe/probe-image.js';
import { checkSwarmPorts } from './swarm-ports.js';
import { applyNics } from './apply.js';
import type { StepOutcome } from '../plan/outcome.js';
import { applyStep, stepTitle, type OtherStep } from './apply-step.js';
import type { RunEvent, RunEventSink, RunObserver } from './events.js';
import { preflightAcrossHosts } from './preflight-hosts.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';
import type { AssertOptions } from '../assert/context.js';
import { httpGet } from '../assert/http-get.js';
import { runAssertions } from '../assert/run.js';
import { kindOf } from '../assert/kinds/index.js';
import { preflightHost, type HostFacts } from './preflight.js';
import { DependencyGate } from './dependency-gate.js';
import { closeAll, engineFoundDown, type Connector, type HostSession } from '../host/session.js';
import type { LockOutcome } from '../host/host-lock.js';
import { lostError, lostHosts, markLost } from '../host/lost.js';
import { CLOSE_GRACE_MS, untilInterrupted } from '../common/interrupt.js';
import {
  judgeRun,
  tallyOf,
  weighSeed,
  type HostReport,
  type RunPhase,
  type RunReport,
} from './run-report.js';

export type { HostReport, RunReport } from './run-report.js';

export interface ExecuteOptions {
  /** Hosts worked on at once. */
  concurrency: number;
  checks: CheckOptions;
  /** The first Ctrl-C: nothing new starts; running work gets a short grace, then is given up on. */
  signal?: AbortSignal;
  now?: () => number;
  /** Claims beyond ping (plan.assertions): how long they may retry, how HTTP is asked. */
  assertions?: AssertOptions;
  /** Receives every event of the run as it happens (renderers, a transcript). */
  events?: RunEventSink;
  /** Looks at the hosts at fixed points, emitting what it sees into `events`. */
  observer?: RunObserver;
  /**
   * Locks a host for the whole run against another lab (host/host-lock.ts); it goes with the
   * connection. Left out (unit tests): no lock.
   */
  lock?: (session: HostSession, scenario: string) => Promise<LockOutcome>;
}

type EventBody = DistributiveOmit<RunEvent, 'at'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the phases of one run share. */
class RunState {
  readonly sessions = new Map<string, HostSession>();
  readonly facts = new Map<string, HostFacts>();
  readonly reports: Map<string, HostReport>;
  readonly gate: DependencyGate;
  readonly queue: PQueue;
  checks: CheckResult[] = [];
  assertions: AssertionResult[] = [];
  /** The phase the first Ctrl-C came in. */
  interruptedDuring: RunPhase | undefined;
  /** The phase the run last entered (its phase-started event). */
  private phase: RunPhase = 'connect';
  /**
   * Where the run was when the Ctrl-C came, whatever it was doing then (even closing after its
   * last phase): the phase the verdict names when no phase stopped for it.
   */
  phaseAtAbort: RunPhase | undefined;

  constructor(
    readonly plan: Plan,
    readonly options: ExecuteOptions,
    readonly now: () => number,
  ) {
    this.reports = new Map(plan.hosts.map((h) => [h.host, { host: h.host, steps: [] }]));
    // One gate for every step of every host: a check waits for containers on two hosts.
    this.gate = new DependencyGate(plan.hosts.flatMap((h) => h.steps.map((s) => s.id)));
    this.queue = new PQueue({ concurrency: options.concurrency });
    const signal = options.signal;
    if (signal?.aborted) this.phaseAtAbort = 'connect';
    signal?.addEventListener('abort', () => (this.phaseAtAbort ??= this.phase), { once: true });
  }

  emit(e: EventBody): void {
    if (e.type === 'phase-started') this.phase = e.phase;
    if (this.finished && e.type !== 'run-finished') return;
    this.options.events?.emit({ ...e, at: this.now() } as RunEvent);
  }

  get emitRaw(): RunEventSink['emit'] {
    return (e) => this.options.events?.emit(e);
  }

  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Records the phase of the first Ctrl-C; true when the run is to stop. */
  stopIfInterrupted(phase: RunPhase): boolean {
    if (!this.aborted) return false;
    if (this.interruptedDuring === undefined) {
      this.interruptedDuring = phase;
      this.emit({ type: 'interrupted', phase });
    }
    return true;
  }

  get healthy(): boolean {
    return [...this.reports.values()].every((r) => !r.error);
  }

  report(host: string): HostReport {
    const r = this.reports.get(host);
    if (!r) throw new Error(`no report for ${host}`);
    return r;
  }

  failHost(host: string, err: unknown): LabError {
    const error = asLabError(err, host);
    const report = this.report(host);
    if (!report.error) report.error = error;
    this.emit({ type: 'host-failed', host, error });
    return error;
  }

  /** Set once the run has returned: work given up on after a Ctrl-C may still end later. */
  finished = false;

  /** Keeps a new session for the run, or closes it when it came after the run ended. */
  adopt(session: HostSession): HostSession {
    if (this.finished) {
      void closeAll([session]);
      throw new LabError('aborted', `${session.host}: connected after the run ended`);
    }
    this.sessions.set(session.host, session);
    return session;
  }

  session(host: string): HostSession {
    const s = this.sessions.get(host);
    if (!s) throw new Error(`no session to ${host}`);
    return s;
  }
}

export async function executePlan(
  plan: Plan,
  connect: Connector,
  options: ExecuteOptions,
): Promise<RunReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const run = new RunState(plan, options, now);
  run.emit({ type: 'run-started', plan });
  try {
    await runPhases(run, connect);
  } finally {
    run.finished = true;
    // After a Ctrl-C closing may not hold the verdict up: connections still busy are dropped.
    await untilInterrupted(closeAll(run.sessions.values()), options.signal, CLOSE_GRACE_MS);
  }
  const hosts = [...run.reports.values()];
  const report: RunReport = {
    scenario: plan.scenario,
    hosts,
    checks: run.checks,
    ...((plan.assertions ?? []).length > 0 && { assertions: run.assertions }),
    verdict: judgeRun({
      hosts,
      checks: run.checks,
      assertions: run.assertions,
      interrupted: run.interruptedDuring !== undefined || run.aborted,
    }),
    tally: tallyOf(run.checks, run.assertions),
    ...(run.interruptedDuring !== undefined && { interruptedDuring: run.interruptedDuring }),
    durationMs: now() - started,
  };
  // A Ctrl-C no phase stopped for (it came as the run was ending): named where the run was.
  if (run.aborted && report.interruptedDuring === undefined)
    report.interruptedDuring = run.phaseAtAbort ?? 'checks';
  const { verdict, tally, durationMs } = report;
  run.emit({ type: 'run-finished', verdict, tally, durationMs });
  return report;
}

/** The phases in order; each runs only when the ones before it left every host healthy. */
async function runPhases(run: RunState, connect: Connector): Promise<void> {
  const { plan, options } = run;
  await connectAll(run, connect);
  if (run.interruptedDuring) return;
  const swarm = plan.hosts.some((h) => h.steps.some((s) => s.kind === 'swarm'));
  if (swarm) await checkTogether(run);
  if (!run.healthy) {
    run.emit({ type: 'phase-ended', phase: 'steps', outcome: 'skipped' });
    run.emit({ type: 'phase-ended', phase: 'checks', outcome: 'skipped' });
    return;
  }
  await options.observer?.beforeChanges?.(run.sessions, run.emitRaw);
  if (run.stopIfInterrupted('steps')) return;
  const judged = startClaims(run);
  await applyAll(run);
  if (run.interruptedDuring) return;
  if (run.healthy) await options.observer?.afterSteps?.(run.sessions, run.emitRaw);
  await judgeClaims(run, judged);
}

/** Connects to every host and preflights it; one host failing does not stop the others. */
async function connectAll(run: RunState, connect: Connector): Promise<void> {
  const { plan, options } = run;
  run.emit({ type: 'phase-started', phase: 'connect', count: plan.hosts.length });
  const one = async (h: HostPlan) => {
    if (run.aborted) return;
    try {
      const session = run.adopt(await connect(h.target, options.signal));
      // Side by side: preflight only reads, and nothing changes before every host is locked.
      const preflight = preflightHost(session, h, plan.scenario);
      // Awaited after the lock; a preflight that fails first (a dead engine answers at once) must
      // not count as an unhandled rejection meanwhile.
      preflight.catch(() => {});
      const locked = await options.lock?.(session, plan.scenario);
      if (locked?.kind === 'busy') {
        preflight.catch(() => {});
        throw locked.error;
      }
      const f = await preflight;
      run.facts.set(h.host, f);
      const report = run.report(h.host);
      report.engine = f.engine.version;
      if (session.docker.route) report.engineRoute = session.docker.route;
      report.engineProduct = f.engine.product;
      const lockNote = locked?.note;
      const notes = [...(f.notes ?? []), ...(lockNote ? [lockNote] : [])];
      if (notes.length > 0) report.notes = notes;
      run.emit({ type: 'host-ready', host: h.host, engine: f.engine, notes });
    } catch (err) {
      // A connection abandoned for the Ctrl-C is the interrupt, not a failure of the host.
      if (!run.aborted)
        run.failHost(
          h.host,
          hostFailure(run, h.host, err, 'the connection and checks before any change'),
        );
    }
  };
  const all = Promise.all(plan.hosts.map((h) => run.queue.add(() => one(h))));
  await untilInterrupted(all, options.signal);
  run.queue.clear();
  // Not done only after a Ctrl-C: the hosts still connecting are given up on.
  if (run.stopIfInterrupted('connect')) return;
  run.emit({ type: 'phase-ended', phase: 'connect', outcome: run.healthy ? 'done' : 'failed' });
}

/**
 * The hosts looked at together (a swarm spans them): notes, and refusals before any change; then
 * the ports a swarm needs, tried between every pair of its hosts (swarm-ports.ts).
 */
async function checkTogether(run: RunState): Promise<void> {
  if (!run.healthy) {
    run.emit({ type: 'phase-ended', phase: 'together', outcome: 'skipped' });
    return;
  }
  run.emit({ type: 'phase-started', phase: 'together', count: run.plan.hosts.length });
  const findings = preflightAcrossHosts(run.plan, run.facts);
  addNotes(run, findings.notes);
  for (const [host, error] of findings.errors) run.failHost(host, error);
  if (findings.errors.size === 0 && !run.aborted) {
    const ports = await checkSwarmPorts(run.plan, run.sessions, {
      probeImage: run.options.checks.probeImage ?? DEFAULT_PROBE_IMAGE,
      runId: run.options.checks.runId ?? `pre${Math.round(run.now()).toString(36)}`,
    });
    addNotes(run, ports.notes);
    for (const [host, error] of ports.errors) run.failHost(host, error);
  }
  run.emit({ type: 'phase-ended', phase: 'together', outcome: run.healthy ? 'done' : 'failed' });
}

function addNotes(run: RunState, notes: ReadonlyMap<string, string[]>): void {
  for (const [host, list] of notes) {
    const report = run.report(host);
    report.notes = [...(report.notes ?? []), ...list];
    for (const note of list) run.emit({ type: 'host-note', host, note });
  }
}

interface Claims {
  checks: Promise<CheckResult[]>;
  assertions: Promise<AssertionResult[]>;
}

/**
 * Each check and assertion starts as soon as its containers run, while other steps still go; but
 * none before every attempt (`fails:`) is made and undone. An attempt changes a host for a moment:
 * an engine that accepts what the seed's Docker refuses (Podman's `--ip` on its default network, a
 * `network connect` Docker 20.10 takes) really makes the container or interface before lab removes
 * it again. A claim that looked meanwhile would see it or not by timing (bridge-isolation's 二.5
 * found vm3_default's veth on podman0 in one CI run); the seed, too, tried them before looking.
 */
function startClaims(run: RunState): Claims {
  const { plan, options, gate } = run;
  const all = plan.assertions ?? [];
  const assertOptions = options.assertions ?? defaultAssertOptions(options.checks.waitMs);
  const isAttempt = (a: PlannedAssertion) => kindOf(a).refusal === true;
  const attempts = runAssertions(all.filter(isAttempt), run.sessions, assertOptions, (a) =>
    gate.waitFor(a.dependsOn),
  );
  const attemptsDone = attempts.then(() => undefined);
  const others = runAssertions(
    all.filter((a) => !isAttempt(a)),
    run.sessions,
    assertOptions,
    async (a) => {
      await attemptsDone;
      await gate.waitFor(a.dependsOn);
    },
  );
  return {
    checks: runChecks(plan.checks, run.sessions, options.checks, async (check) => {
      await attemptsDone;
      await gate.waitFor(checkDependencies(check));
    }),
    // In the plan's order, as the report lists them.
    assertions: Promise.all([attempts, others]).then(([tried, looked]) =>
      all.flatMap((a) => (isAttempt(a) ? tried.shift() : looked.shift()) ?? []),
    ),
  };
}

/** Waits for every claim, emits each result, then the counts, once. */
async function judgeClaims(run: RunState, claims: Claims): Promise<void> {
  const { plan, options } = run;
  const count = plan.checks.length + (plan.assertions ?? []).length;
  run.emit({ type: 'phase-started', phase: 'checks', count });
  const waited = await untilInterrupted(
    Promise.all([claims.checks, claims.assertions]),
    options.signal,
  );
  if (run.stopIfInterrupted('checks') || !waited.done) return;
  const [checks, assertions] = waited.value;
  const engineOf = (host: string) => {
    const r = run.reports.get(host);
    return r?.engine === undefined ? undefined : { version: r.engine, product: r.engineProduct };
  };
  // A claim is weighed first; a lost host then makes its results ERROR whatever they were.
  [run.checks, run.assertions] = blameLostHosts(run, [
    checks.map((r) => weighSeed(r, r.check.seed, engineOf(r.check.from.host))),
    assertions.map((r) => weighSeed(r, r.assertion.seed, engineOf(r.assertion.host))),
  ]);
  for (const result of run.checks) run.emit({ type: 'check-done', result });
  for (const result of run.assertions) run.emit({ type: 'assertion-done', result });
  await options.observer?.afterChecks?.(run.sessions, run.emitRaw, {
    checks: run.checks,
    assertions: run.assertions,
  });
  const tally = tallyOf(run.checks, run.assertions);
  run.emit({ type: 'checks-judged', tally });
  // A claim of the seed that this Docker does not bear out is not a failure of the lab.
  const all = [...run.checks, ...run.assertions].every(
    (r) => r.outcome === 'pass' || r.outcome === 'differs',
  );
  run.emit({ type: 'phase-ended', phase: 'checks', outcome: all ? 'done' : 'failed' });
}

/**
 * A host whose connection was lost is named as lost, never blamed on a probe: every check and
 * assertion involving it is an ERROR saying so, and the host fails; the others keep their results.
 */
function blameLostHosts(
  run: RunState,
  [checks, assertions]: [CheckResult[], AssertionResult[]],
): [CheckResult[], AssertionResult[]] {
  const lost = lostHosts(run.sessions.values());
  for (const [host, why] of lost) {
    if (!run.report(host).error) run.failHost(host, lostError(host, why, 'the checks'));
  }
  return [
    markLost(
      checks,
      lost,
      'the checks',
      (c) => [c.check.from.host, c.check.to.host],
      (c, evidence) => ({ ...c, outcome: 'error', evidence }),
    ),
    markLost(
      assertions,
      lost,
      'the checks',
      (a) => [a.assertion.host],
      (a, evidence) => ({ ...a, outcome: 'error', evidence }),
    ),
  ];
}

/** The error of a host's work: its lost connection when that is why it failed. */
function hostFailure(run: RunState, host: string, err: unknown, phase: string): LabError {
  const why = run.sessions.get(host)?.shell.lost?.();
  return why ? lostError(host, why, phase, err) : asLabError(err, host);
}

/** Every host's steps, hosts in parallel (bounded); stops waiting shortly after a Ctrl-C. */
async function applyAll(run: RunState): Promise<void> {
  const { plan, options } = run;
  const count = plan.hosts.reduce((n, h) => n + h.steps.length, 0);
  run.emit({ type: 'phase-started', phase: 'steps', count });
  const all = Promise.all(plan.hosts.map((h) => run.queue.add(() => applyHost(run, h))));
  await untilInterrupted(all, options.signal);
  if (run.stopIfInterrupted('steps')) return;
  run.emit({ type: 'phase-ended', phase: 'steps', outcome: run.healthy ? 'done' : 'failed' });
}

/**
 * One host's steps, each as soon as what it depends on is done: networks after the NICs, each
 * container after its networks, containers of one host at the same time. All NIC work of a host
 * is one step (one round trip).
 */
async function applyHost(run: RunState, h: HostPlan): Promise<void> {
  const nics = h.steps.filter((s) => s.kind === 'nic');
  const work: Promise<void>[] = [];
  if (nics.length > 0) {
    work.push(
      gated(
        run,
        h.host,
        nics.map((s) => s.id),
        [],
        async () => {
          const f = run.facts.get(h.host);
          if (!f) throw new Error(`no preflight facts for ${h.host}`);
          return applyNics(run.session(h.host), h, f, run.plan.scenario);
        },
      ),
    );
  }
  for (const step of h.steps) {
    if (step.kind === 'nic') continue;
    const apply = async () => [
      await applyStep(step, (host) => run.session(host), run.plan.scenario),
    ];
    work.push(gated(run, h.host, [step.id], step.dependsOn, apply, step));
  }
  await Promise.all(work);
}

/**
 * Runs steps `ids` once `deps` are done, records and emits what they did, and opens their gates;
 * or fails the gates (which fails what depends on them) with the reason they did not run.
 */
async function gated(
  run: RunState,
  host: string,
  ids: string[],
  deps: string[],
  work: () => Promise<StepOutcome[]>,
  step?: OtherStep,
): Promise<void> {
  const fail = (err: unknown, because?: 'dependency' | 'interrupted') => {
    const error = asLabError(err, host);
    for (const id of ids) run.gate.fail(id, err);
    run.emit({ type: 'step-failed', host, steps: ids, error, ...(because && { because }) });
  };
  try {
    await run.gate.waitFor(deps);
  } catch (err) {
    return fail(err, 'dependency');
  }
  if (run.aborted) return fail(interruptedError(run.plan.scenario), 'interrupted');
  const report = run.report(host);
  const names = step ? [stepTitle(step)] : ids.map((id) => id.replace(/^[^/]+\/nic\//, 'NIC '));
  report.unfinished = [...(report.unfinished ?? []), ...names];
  run.emit({ type: 'step-started', host, steps: ids });
  try {
    const outcomes = await work();
    // Given up on after a Ctrl-C: the report is written; it stays listed as not finished.
    if (run.finished) return;
    report.steps.push(...outcomes);
    report.unfinished = report.unfinished.filter((n) => !names.includes(n));
    for (const outcome of outcomes) run.emit({ type: 'step-done', host, outcome });
    for (const id of ids) run.gate.open(id);
  } catch (err) {
    if (run.finished) return;
    // Failing while a Ctrl-C stops the run (its connection closed) is the interrupt, not the host:
    // the step stays listed as not finished.
    if (run.aborted) return fail(err, 'interrupted');
    // The engine killed or stopped under the run is said plainly, not as the call that failed.
    const session = run.sessions.get(host);
    const down = session ? await engineFoundDown(session, err) : undefined;
    if (run.finished) return;
    const error = down ?? hostFailure(run, host, err, 'the steps');
    if (!report.error) report.error = error;
    const message = error.message.split('\n')[0] ?? '';
    report.failures = [...(report.failures ?? []), ...names.map((step) => ({ step, message }))];
    fail(error);
  }
}

function interruptedError(scenario: string): LabError {
  return new LabError('aborted', 'interrupted: no new steps were started', {
    hint: `what was already made stays; lab down ${scenario} -i INVENTORY removes it`,
  });
}

/** Assertions' defaults when the caller gives none: the checks' wait, real HTTP. */
function defaultAssertOptions(waitMs: number): AssertOptions {
  return { waitMs, timeoutMs: 10_000, httpGet };
}

/** The container steps a check needs running: its source, and its target when that is a container. */
function checkDependencies(check: PlannedCheck): string[] {
  const deps = [`${check.from.host}/container/${check.from.container}`];
  // A port on a host's address waits for the container that publishes it there.
  if ((check.to.kind === 'container' || check.to.port) && check.to.host && check.to.container) {
    deps.push(`${check.to.host}/container/${check.to.container}`);
  }
  return deps;
}
