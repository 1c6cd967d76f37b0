import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import PQueue from 'p-queue';
import type { Writable } from 'node:stream';
import { isLabError, LabError } from '../errors.js';
import type { HostPlan, Plan } from '../plan/model.js';
import { runChecks, type CheckOptions, type CheckResult } from '../probe/checks.js';
import { applyContainer, applyNetwork, applyNics, type StepOutcome } from './apply.js';
import { preflightHost, type HostFacts } from './preflight.js';
import { closeAll, type Connector, type HostSession } from './session.js';

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
}

export interface HostReport {
  host: string;
  engine?: string;
  steps: StepOutcome[];
  error?: LabError;
}

export interface RunReport {
  scenario: string;
  hosts: HostReport[];
  checks: CheckResult[];
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
        } catch (err) {
          const report = reports.get(h.host);
          if (report) report.error = asLabError(err, h.host);
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
              return `ready (Docker ${f.engine.version}, API ${f.engine.apiVersion})`;
            }),
            { concurrent: true, exitOnError: false },
          ),
      },
      {
        title: 'Prepare NICs, networks and containers',
        enabled: () => [...reports.values()].every((r) => !r.error),
        task: (_ctx, task) =>
          task.newListr(
            plan.hosts.map((h) => ({
              title: h.host,
              task: (_c, hostTask) =>
                hostTask.newListr(hostStepTasks(h), { concurrent: false, exitOnError: true }),
            })),
            { concurrent: options.concurrency, exitOnError: false },
          ),
      },
      {
        title: `Check ${plan.checks.length} expectations, all at once`,
        enabled: () => plan.checks.length > 0 && [...reports.values()].every((r) => !r.error),
        task: async (_ctx, task) => {
          guard();
          checks = await runChecks(plan.checks, sessions, options.checks);
          const held = checks.filter((c) => c.outcome === 'pass').length;
          task.title = `${held} of ${checks.length} expectations hold`;
          if (held !== checks.length) throw new Error(task.title);
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
    const fail = (err: unknown) => {
      const report = reports.get(h.host);
      if (report) report.error = asLabError(err, h.host);
      throw err;
    };
    const nicSteps = h.steps.filter((s) => s.kind === 'nic');
    const tasks: ListrTask[] = [];
    if (nicSteps.length > 0) {
      tasks.push({
        title: `NICs: ${nicSteps.map((s) => s.interface).join(', ')}`,
        task: async (_c, t) => {
          guard();
          const session = sessions.get(h.host);
          const f = facts.get(h.host);
          if (!session || !f) throw new Error(`no session to ${h.host}`);
          const outcomes = await applyNics(session, h, f, plan.scenario).catch(fail);
          record(outcomes);
          t.title = outcomes
            .map((o) => `${(o.step as { interface: string }).interface}: ${o.detail}`)
            .join('; ');
        },
      });
    }
    for (const step of h.steps) {
      if (step.kind === 'nic') continue;
      tasks.push({
        title: `${step.kind} ${step.name}`,
        task: async (_c, t) => {
          guard();
          const session = sessions.get(h.host);
          if (!session) throw new Error(`no session to ${h.host}`);
          const outcome = await (
            step.kind === 'network'
              ? applyNetwork(session, step, plan.scenario)
              : applyContainer(session, step, plan.scenario)
          ).catch(fail);
          record([outcome]);
          t.title = `${step.kind} ${step.name}: ${outcome.action === 'unchanged' ? 'unchanged, ' : ''}${outcome.detail}`;
        },
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
  const verdict =
    hosts.some((h) => h.error) || checks.some((c) => c.outcome === 'error')
      ? 'error'
      : checks.some((c) => c.outcome === 'fail')
        ? 'fail'
        : 'pass';
  return { scenario: plan.scenario, hosts, checks, verdict, durationMs: now() - started };
}

function asLabError(err: unknown, host: string): LabError {
  if (isLabError(err)) return err;
  return new LabError(
    'host',
    err instanceof Error ? err.message : String(err),
    { host },
    { cause: err },
  );
}
