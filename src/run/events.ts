/**
 * What happens during a run, as events, in the order it happens: the executor emits them and does
 * nothing else to report progress. Renderers subscribe (the live task tree, the plain-line printer,
 * the transcript recorder; the JSON report reads the final report that `run-finished` carries), and
 * observers it is given may look at the hosts at fixed points (before anything changes, once every
 * step is done, after the checks). Nothing is global: a run without a sink emits into nothing.
 */
import type { AssertionResult } from '../plan/assertion-model.js';
import type { EngineVersion } from '../docker/docker-client.js';
import type { LabError } from '../common/errors.js';
import type { Plan } from '../plan/model.js';
import type { CheckResult } from '../probe/probe-result.js';
import type { StepOutcome } from '../plan/outcome.js';
import type { RunPhase, RunVerdict, Tally } from './run-report.js';
import type { HostSession } from '../host/session.js';

export type ObservationPhase = 'before' | 'after' | 'checks';

export type RunEvent =
  | { type: 'run-started'; at: number; plan: Plan }
  /** A phase began; `count` is how many hosts, steps or claims it has. */
  | { type: 'phase-started'; at: number; phase: RunPhase; count: number }
  /** A phase ended: every part done, one failed, or the phase was not run (an earlier one failed). */
  | { type: 'phase-ended'; at: number; phase: RunPhase; outcome: 'done' | 'failed' | 'skipped' }
  | { type: 'host-ready'; at: number; host: string; engine: EngineVersion; notes: string[] }
  /** Something preflight wants said that is not a problem (found looking at the hosts together). */
  | { type: 'host-note'; at: number; host: string; note: string }
  | { type: 'host-failed'; at: number; host: string; error: LabError }
  /** Steps (ids) begin on a host: from here on, something there may change. */
  | { type: 'step-started'; at: number; host: string; steps: string[] }
  | { type: 'step-done'; at: number; host: string; outcome: StepOutcome }
  /** Steps (ids) that failed, or were not started because a step they need failed (`because`). */
  | {
      type: 'step-failed';
      at: number;
      host: string;
      steps: string[];
      error: LabError;
      because?: 'dependency' | 'interrupted';
    }
  | {
      type: 'observation';
      at: number;
      host: string;
      phase: ObservationPhase;
      /** What a teacher looks at here ("the bridges", "vm1's interfaces"). */
      title: string;
      command: string;
      output: string;
      exitCode: number | null;
    }
  | { type: 'check-done'; at: number; result: CheckResult }
  | { type: 'assertion-done'; at: number; result: AssertionResult }
  /** Every check and assertion is judged (sent once, after their own events). */
  | { type: 'checks-judged'; at: number; tally: Tally }
  /** The first Ctrl-C: nothing new starts, what runs gets a moment to finish. */
  | { type: 'interrupted'; at: number; phase: RunPhase }
  | {
      type: 'run-finished';
      at: number;
      verdict: RunVerdict;
      tally: Tally;
      durationMs: number;
    };

export interface RunEventSink {
  emit(event: RunEvent): void;
}

/** One sink that hands every event to each of `sinks` in turn. */
export function fanOut(...sinks: (RunEventSink | undefined)[]): RunEventSink {
  const all = sinks.filter((s): s is RunEventSink => s !== undefined);
  return { emit: (event) => all.forEach((s) => s.emit(event)) };
}

/** Looks at the hosts at fixed points of a run; whatever it sees it emits as events. */
export interface RunObserver {
  /** Every host passed preflight; nothing has changed yet. */
  beforeChanges?(
    sessions: ReadonlyMap<string, HostSession>,
    emit: RunEventSink['emit'],
  ): Promise<void>;
  /** Every step of every host is done (checks may still run). */
  afterSteps?(
    sessions: ReadonlyMap<string, HostSession>,
    emit: RunEventSink['emit'],
  ): Promise<void>;
  /** The checks and assertions are judged. */
  afterChecks?(
    sessions: ReadonlyMap<string, HostSession>,
    emit: RunEventSink['emit'],
    results: { checks: readonly CheckResult[]; assertions: readonly AssertionResult[] },
  ): Promise<void>;
}
