import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import PQueue from 'p-queue';
import type { Writable } from 'node:stream';
import { asLabError, LabError } from '../common/errors.js';
import type { HostPlan, Plan, PlannedCheck } from '../plan/model.js';
import { runChecks, type CheckOptions, type CheckResult } from '../probe/checks.js';
import { applyNics } from './apply.js';
import type { StepOutcome } from '../plan/outcome.js';
import { applyStep, stepTitle } from './apply-step.js';
import type { RunEvent, RunEventSink, RunObserver } from './events.js';
import { preflightAcrossHosts } from './preflight-hosts.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import type { AssertOptions } from '../assert/context.js';
import { httpGet } from '../assert/http-get.js';
import { runAssertions } from '../assert/run.js';
import { preflightHost, type HostFacts } from './preflight.js';
import { DependencyGate } from './dependency-gate.js';
import { closeAll, type Connector, type HostSession } from '../host/session.js';

export type RendererChoice = 'default' | 'simple' | 'silent';

export interface ExecuteOptions {
  /** Hosts worked on at once. */
  concurrency: number;
  checks: CheckOptions;
  renderer: RendererChoice;
  stdout: Writable;
  stderr: Writable;
  signal?: AbortSignal;
  now?: () => number;
  /**
   * Called with each finished step as one plain line ("server1  network mac_net1: created …"). Used
   * instead of the task tree when output is not a terminal (CI logs, pipes), where a tree that
   * redraws itself reads badly.
   */
  onProgress?: (host: string | undefined, line: string) => void;
  /** Claims beyond ping (plan.assertions): how long they may retry, how HTTP is asked. */
  assertions?: AssertOptions;
  /** Receives every event of the run as it happens (a transcript). */
  events?: RunEventSink;
  /** Looks at the hosts at fixed points, emitting what it sees into `events`. */
  observer?: RunObserver;
}

export interface HostReport {
  host: string;
  engine?: string;
  steps: StepOutcome[];
  error?: LabError;
  /** What preflight wants said (an existing interface used as it is, the swarm lab will make). */
  notes?: string[];
}

export interface RunReport {
  scenario: string;
  hosts: HostReport[];
  checks: CheckResult[];
  /** Claims beyond ping, judged like checks. */
  assertions?: AssertionResult[];
  /** pass: every expectation held; fail: one did not; error: a host or probe failed. */
  verdict: 'pass' | 'fail' | 'error';
  durationMs: number;
}

/**
 * Executes a plan: connect to every host and preflight them all before anything changes, then apply
 * each host's steps in dependency order (hosts in parallel, bounded), then run every check at once.
 */
export async function executePlan(
  plan: Plan,
  connect: Connector,
  options: ExecuteOptions,
): Promise<RunReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const sessions = new Map<string, HostSession>();
  const facts = new Map<string, HostFacts>();
  const reports = new Map<string, HostReport>(
    plan.hosts.map((h) => [h.host, { host: h.host, steps: [] }]),
  );
  let checks: CheckResult[] = [];
  let checksRun: Promise<CheckResult[]> | undefined;
  let assertions: AssertionResult[] = [];
  let assertionsRun: Promise<AssertionResult[]> | undefined;
  const planned = plan.assertions ?? [];
  const emit = (e: DistributiveOmit<RunEvent, 'at'>) =>
    options.events?.emit({ ...e, at: now() } as RunEvent);
  const emitRaw = (e: RunEvent) => options.events?.emit(e);
  emit({ type: 'run-started', plan });
  // One gate for every step of every host: a check waits for containers on two hosts.
  const gate = new DependencyGate(plan.hosts.flatMap((h) => h.steps.map((s) => s.id)));
  const queue = new PQueue({ concurrency: options.concurrency });
  const guard = () => {
    if (options.signal?.aborted) {
      throw new LabError('aborted', 'interrupted: no new steps were started', {
        hint: `what was already made stays; remove it with \`lab down ${plan.scenario}\``,
      });
    }
  };
  const perHost = (title: string, work: (h: HostPlan) => Promise<string>): ListrTask[] =>
    plan.hosts.map((h) => ({
      title: `${h.host}: ${title}`,
      task: async (_ctx, task) => {
        try {
          task.title = `${h.host}: ${await queue.add(() => (guard(), work(h)))}`;
          options.onProgress?.(h.host, task.title.slice(h.host.length + 2));
        } catch (err) {
          const report = reports.get(h.host);
          if (report) report.error = asLabError(err, h.host);
          if (report?.error) emit({ type: 'host-failed', host: h.host, error: report.error });
          throw err;
        }
      },
    }));

  const logger = new ListrLogger({
    processOutput: new ProcessOutput(
      options.stdout as NodeJS.WriteStream,
      options.stderr as NodeJS.WriteStream,
    ),
  });
  const tasks = new Listr(
    [
      {
        title: `Connect to ${plan.hosts.length} hosts and check them before changing anything`,
        task: (_ctx, task) =>
          task.newListr(
            perHost('connecting', async (h) => {
              const session = await connect(h.target);
              sessions.set(h.host, session);
              const f = await preflightHost(session, h, plan.scenario);
              facts.set(h.host, f);
              const report = reports.get(h.host);
              if (report) report.engine = f.engine.version;
              if (report && f.notes) report.notes = [...f.notes];
              for (const note of f.notes ?? []) options.onProgress?.(h.host, `note: ${note}`);
              emit({ type: 'host-ready', host: h.host, engine: f.engine, notes: f.notes ?? [] });
              return `ready (Docker ${f.engine.version}, API ${f.engine.apiVersion})`;
            }),
            { concurrent: true, exitOnError: false },
          ),
      },
      {
        title: 'Check the hosts together (swarm)',
        enabled: () =>
          plan.hosts.some((h) => h.steps.some((s) => s.kind === 'swarm')) &&
          [...reports.values()].every((r) => !r.error),
        task: () => {
          const findings = preflightAcrossHosts(plan, facts);
          for (const [host, notes] of findings.notes) {
            const report = reports.get(host);
            if (report) report.notes = [...(report.notes ?? []), ...notes];
            for (const note of notes) options.onProgress?.(host, `note: ${note}`);
          }
          for (const [host, error] of findings.errors) {
            const report = reports.get(host);
            if (report) report.error = error;
            emit({ type: 'host-failed', host, error });
          }
          if (findings.errors.size > 0)
            throw new Error('the hosts cannot hold the scenario’s swarm');
        },
      },
      {
        title: 'Look at the hosts before any change',
        enabled: () =>
          options.observer?.beforeChanges !== undefined &&
          [...reports.values()].every((r) => !r.error),
        task: () => options.observer?.beforeChanges?.(sessions, emitRaw),
      },
      {
        title: 'Prepare NICs, networks and containers',
        enabled: () => [...reports.values()].every((r) => !r.error),
        task: (_ctx, task) => {
          // Each check starts as soon as its containers run, while other steps are still going.
          checksRun = runChecks(plan.checks, sessions, options.checks, (check) =>
            gate.waitFor(checkDependencies(check)),
          );
          assertionsRun = runAssertions(
            planned,
            sessions,
            options.assertions ?? defaultAssertOptions(options.checks.waitMs),
            (a) => gate.waitFor(a.dependsOn),
          );
          return task.newListr(
            plan.hosts.map((h) => ({
              title: h.host,
              task: (_c, hostTask) =>
                hostTask.newListr(hostStepTasks(h), { concurrent: true, exitOnError: false }),
            })),
            { concurrent: options.concurrency, exitOnError: false },
          );
        },
      },
      {
        title: 'Look at the hosts once every step is done',
        enabled: () =>
          options.observer?.afterSteps !== undefined &&
          [...reports.values()].every((r) => !r.error),
        task: () => options.observer?.afterSteps?.(sessions, emitRaw),
      },
      {
        title: `Check ${plan.checks.length + planned.length} expectations, all at once`,
        enabled: () => plan.checks.length + planned.length > 0 && checksRun !== undefined,
        task: async (_ctx, task) => {
          [checks, assertions] = await Promise.all([
            checksRun ?? Promise.resolve([]),
            assertionsRun ?? Promise.resolve([]),
          ]);
          for (const result of checks) emit({ type: 'check-done', result });
          for (const result of assertions) emit({ type: 'assertion-done', result });
          await options.observer?.afterChecks?.(sessions, emitRaw, { checks, assertions });
          const all = checks.length + assertions.length;
          const held =
            checks.filter((c) => c.outcome === 'pass').length +
            assertions.filter((a) => a.outcome === 'pass').length;
          task.title = `${held} of ${all} expectations hold`;
          options.onProgress?.(undefined, task.title);
          if (held !== all) throw new Error(task.title);
        },
      },
    ],
    {
      renderer: options.renderer,
      fallbackRenderer: 'simple',
      rendererOptions: { logger, collapseSubtasks: false, collapseErrors: false },
      fallbackRendererOptions: { logger },
      exitOnError: false,
      registerSignalListeners: false,
    },
  );

  function hostStepTasks(h: HostPlan): ListrTask[] {
    const record = (outcomes: StepOutcome[]) => reports.get(h.host)?.steps.push(...outcomes);
    const report = reports.get(h.host);
    // Steps run as soon as what they depend on is done: networks after the NICs, each container
    // after its networks, containers of one host at the same time.
    const gated = async (ids: string[], deps: string[], work: () => Promise<void>) => {
      try {
        await gate.waitFor(deps);
        guard();
        await work();
        for (const id of ids) gate.open(id);
      } catch (err) {
        if (report && !report.error) report.error = asLabError(err, h.host);
        for (const id of ids) gate.fail(id, err);
        throw err;
      }
    };
    const sessionOf = (host: string) => {
      const s = sessions.get(host);
      if (!s) throw new Error(`no session to ${host}`);
      return s;
    };
    const session = () => sessionOf(h.host);
    const nicSteps = h.steps.filter((s) => s.kind === 'nic');
    const tasks: ListrTask[] = [];
    if (nicSteps.length > 0) {
      tasks.push({
        title: `NICs: ${nicSteps.map((s) => s.interface).join(', ')}`,
        task: (_c, t) =>
          gated(
            nicSteps.map((s) => s.id),
            [],
            async () => {
              const f = facts.get(h.host);
              if (!f) throw new Error(`no preflight facts for ${h.host}`);
              const outcomes = await applyNics(session(), h, f, plan.scenario);
              record(outcomes);
              for (const outcome of outcomes) emit({ type: 'step-done', host: h.host, outcome });
              for (const o of outcomes) {
                if (o.step.kind === 'nic')
                  options.onProgress?.(h.host, `NIC ${o.step.interface}: ${o.detail}`);
              }
              t.title = outcomes
                .map((o) => `${(o.step as { interface: string }).interface}: ${o.detail}`)
                .join('; ');
            },
          ),
      });
    }
    for (const step of h.steps) {
      if (step.kind === 'nic') continue;
      tasks.push({
        title: stepTitle(step),
        task: (_c, t) =>
          gated([step.id], step.dependsOn, async () => {
            const outcome = await applyStep(step, sessionOf, plan.scenario);
            record([outcome]);
            emit({ type: 'step-done', host: h.host, outcome });
            t.title = `${stepTitle(step)}: ${outcome.action === 'unchanged' ? 'unchanged, ' : ''}${outcome.detail}`;
            options.onProgress?.(h.host, t.title);
          }),
      });
    }
    return tasks;
  }

  try {
    await tasks.run();
  } finally {
    await closeAll(sessions.values());
  }
  const hosts = [...reports.values()];
  const outcomes = [...checks, ...assertions].map((c) => c.outcome);
  const verdict =
    hosts.some((h) => h.error) || outcomes.includes('error')
      ? 'error'
      : outcomes.includes('fail')
        ? 'fail'
        : 'pass';
  const durationMs = now() - started;
  emit({ type: 'run-finished', verdict, durationMs });
  return {
    scenario: plan.scenario,
    hosts,
    checks,
    ...(planned.length > 0 && { assertions }),
    verdict,
    durationMs,
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Assertions' defaults when the caller gives none: the checks' wait, real HTTP. */
function defaultAssertOptions(waitMs: number): AssertOptions {
  return { waitMs, timeoutMs: 10_000, httpGet };
}

/** The container steps a check needs running: its source, and its target when that is a container. */
function checkDependencies(check: PlannedCheck): string[] {
  const deps = [`${check.from.host}/container/${check.from.container}`];
  if (check.to.kind === 'container' && check.to.host && check.to.container) {
    deps.push(`${check.to.host}/container/${check.to.container}`);
  }
  return deps;
}
