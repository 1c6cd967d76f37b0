/**
 * What happens during a run, as events, in the order it happens: the executor emits them into a sink
 * it is given (a transcript, a log), and observers it is given may look at the hosts at fixed points
 * (before anything changes, once every step is done, after the checks). Nothing is global: a run
 * without a sink or observer emits into nothing.
 */
import type { AssertionResult } from '../plan/assertion-model.js';
import type { EngineVersion } from '../docker/docker-client.js';
import type { LabError } from '../common/errors.js';
import type { Plan } from '../plan/model.js';
import type { CheckResult } from '../probe/checks.js';
import type { StepOutcome } from '../plan/outcome.js';
import type { HostSession } from '../host/session.js';

export type ObservationPhase = 'before' | 'after' | 'checks';

export type RunEvent =
  | { type: 'run-started'; at: number; plan: Plan }
  | { type: 'host-ready'; at: number; host: string; engine: EngineVersion; notes: string[] }
  | { type: 'host-failed'; at: number; host: string; error: LabError }
  | { type: 'step-done'; at: number; host: string; outcome: StepOutcome }
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
  | { type: 'run-finished'; at: number; verdict: 'pass' | 'fail' | 'error'; durationMs: number };

export interface RunEventSink {
  emit(event: RunEvent): void;
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
