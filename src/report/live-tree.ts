/**
 * The run's live task tree on a terminal (listr2), drawn from the executor's events: the tree is
 * built from the plan up front, and each task waits for the event that ends it. The executor knows
 * nothing of listr2.
 */
import { engineLabel } from '../docker/engines/index.js';
import { Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import type { Writable } from 'node:stream';
import type { HostPlan, Plan } from '../plan/model.js';
import { stepTitle } from '../run/apply-step.js';
import type { RunEvent, RunEventSink } from '../run/events.js';
import { describeTally, seedNote, type Tally } from '../run/run-report.js';
import { idTitle, outcomeLine } from './progress-lines.js';

export interface LiveTreeOptions {
  stdout: Writable;
  stderr: Writable;
  /** 'simple' prints each task once, without redrawing. */
  renderer?: 'default' | 'simple';
}

interface Ending {
  state: 'done' | 'failed' | 'skipped';
  title: string;
}

/** A task's end, known from an event that may come before or after the task starts waiting. */
class Endings {
  private readonly waiting = new Map<string, { promise: Promise<Ending>; end(e: Ending): void }>();

  of(key: string): { promise: Promise<Ending>; end(e: Ending): void } {
    let slot = this.waiting.get(key);
    if (!slot) {
      let end!: (e: Ending) => void;
      const promise = new Promise<Ending>((resolve) => (end = resolve));
      slot = { promise, end };
      this.waiting.set(key, slot);
    }
    return slot;
  }

  end(key: string, e: Ending): void {
    this.of(key).end(e);
  }

  /** Ends every task still waiting (the run is over): it was not run. */
  endAll(title: string): void {
    for (const key of this.waiting.keys()) this.of(key).end({ state: 'skipped', title });
  }
}

export class LiveTree implements RunEventSink {
  private readonly endings = new Endings();
  private readonly run: Promise<unknown>;
  /** NIC outcomes of each host so far: its one NIC task ends with all of them. */
  private readonly nics = new Map<string, { left: Set<string>; lines: string[] }>();

  constructor(
    private readonly plan: Plan,
    options: LiveTreeOptions,
  ) {
    const logger = new ListrLogger({
      processOutput: new ProcessOutput(
        options.stdout as NodeJS.WriteStream,
        options.stderr as NodeJS.WriteStream,
      ),
    });
    for (const h of plan.hosts) {
      const ids = h.steps.filter((s) => s.kind === 'nic').map((s) => s.id);
      this.nics.set(h.host, { left: new Set(ids), lines: [] });
    }
    const tree = new Listr(this.tasks(), {
      renderer: options.renderer ?? 'default',
      fallbackRenderer: 'simple',
      rendererOptions: { logger, collapseSubtasks: false, collapseErrors: false },
      fallbackRendererOptions: { logger },
      exitOnError: false,
      registerSignalListeners: false,
    });
    this.run = tree.run().catch(() => {});
  }

  /** Resolves once the tree has drawn its last state. */
  async done(): Promise<void> {
    await this.run;
  }

  emit(e: RunEvent): void {
    switch (e.type) {
      case 'host-ready':
        return this.endings.end(`host:${e.host}`, {
          state: 'done',
          title: `${e.host}: ready (${engineLabel(e.engine)}, API ${e.engine.apiVersion})`,
        });
      case 'host-failed':
        return this.endings.end(`host:${e.host}`, {
          state: 'failed',
          title: `${e.host}: ${firstLine(e.error.message)}`,
        });
      case 'phase-ended':
        return this.endings.end(`phase:${e.phase}`, {
          state: e.outcome,
          title: e.outcome === 'skipped' ? 'not run: a host failed' : '',
        });
      case 'step-done':
        return this.stepDone(e);
      case 'step-failed':
        return this.stepFailed(e);
      case 'checks-judged':
        return this.checksJudged(e.tally);
      case 'run-finished':
        return this.endings.endAll('not run');
      default:
        return;
    }
  }

  private stepDone(e: Extract<RunEvent, { type: 'step-done' }>): void {
    const { step } = e.outcome;
    if (step.kind !== 'nic') {
      this.endings.end(`step:${step.id}`, { state: 'done', title: outcomeLine(e.outcome) });
      return;
    }
    const nics = this.nics.get(e.host);
    if (!nics) return;
    nics.left.delete(step.id);
    nics.lines.push(`${step.interface}: ${e.outcome.detail}`);
    if (nics.left.size === 0)
      this.endings.end(`nics:${e.host}`, { state: 'done', title: nics.lines.join('; ') });
  }

  private stepFailed(e: Extract<RunEvent, { type: 'step-failed' }>): void {
    const ending: Ending = e.because
      ? {
          state: 'skipped',
          title: `${e.steps.map(idTitle).join(', ')}: not started (${e.because === 'interrupted' ? 'interrupted' : 'a step it needs failed'})`,
        }
      : {
          state: 'failed',
          title: `${e.steps.map(idTitle).join(', ')}: ${firstLine(e.error.message)}`,
        };
    const nic = e.steps.some((id) => this.nics.get(e.host)?.left.has(id));
    if (nic) this.endings.end(`nics:${e.host}`, ending);
    else for (const id of e.steps) this.endings.end(`step:${id}`, ending);
  }

  private checksJudged(tally: Tally): void {
    // A claim of the seed that this Docker does not bear out is not a failure of the lab.
    const all =
      tally.expectations.held + tally.assertions.held + (tally.differs ?? 0) ===
      tally.expectations.total + tally.assertions.total;
    this.endings.end('phase:checks', {
      state: all ? 'done' : 'failed',
      title: `${describeTally(tally)} hold${seedNote(tally)}`,
    });
  }

  /** A task that waits for its ending, then shows it. */
  private waitFor(key: string, title: string): ListrTask {
    return {
      title,
      task: async (_ctx, task) => {
        const ending = await this.endings.of(key).promise;
        if (ending.title) task.title = ending.title;
        if (ending.state === 'skipped') task.skip(ending.title);
        // listr2 marks a task failed only by its rejection: this is how the tree shows a ✖.
        if (ending.state === 'failed') throw new Error(ending.title || title);
      },
    };
  }

  private tasks(): ListrTask[] {
    const { plan } = this;
    const planned: Tally = {
      expectations: { held: 0, total: plan.checks.length },
      assertions: { held: 0, total: (plan.assertions ?? []).length },
    };
    const swarm = plan.hosts.some((h) => h.steps.some((s) => s.kind === 'swarm'));
    return [
      {
        title: `Connect to ${plan.hosts.length} hosts and check them before changing anything`,
        task: (_ctx, task) =>
          task.newListr(
            plan.hosts.map((h) => this.waitFor(`host:${h.host}`, `${h.host}: connecting`)),
            { concurrent: true, exitOnError: false },
          ),
      },
      ...(swarm ? [this.waitFor('phase:together', 'Check the hosts together (swarm)')] : []),
      {
        // Steps run as soon as what they need is done, so a network may finish before a NIC.
        title:
          'Prepare NICs, networks and containers (each step starts once what it needs is done)',
        task: (_ctx, task) =>
          task.newListr(
            plan.hosts.map((h) => ({
              title: h.host,
              task: (_c, hostTask) =>
                hostTask.newListr(this.hostTasks(h), { concurrent: true, exitOnError: false }),
            })),
            { concurrent: true, exitOnError: false },
          ),
      },
      ...(planned.expectations.total + planned.assertions.total > 0
        ? [this.waitFor('phase:checks', `Check ${describeTally(planned, 'all')}, all at once`)]
        : []),
    ];
  }

  private hostTasks(h: HostPlan): ListrTask[] {
    const nics = h.steps.filter((s) => s.kind === 'nic');
    const tasks: ListrTask[] = [];
    if (nics.length > 0)
      tasks.push(
        this.waitFor(`nics:${h.host}`, `NICs: ${nics.map((s) => s.interface).join(', ')}`),
      );
    for (const step of h.steps) {
      if (step.kind !== 'nic') tasks.push(this.waitFor(`step:${step.id}`, stepTitle(step)));
    }
    return tasks;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
