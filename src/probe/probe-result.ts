/**
 * One result model for every reachability probe: an expectation of `lab run` (a planned check) and
 * a cell of `lab check connectivity`'s matrix are judged, worded and repeated the same way; they
 * differ only in what they are the result of. The explanation of one that did not pass is
 * src/report/probe-detail.ts.
 */
import type { PlannedCheck } from '../plan/model.js';
import type { ClaimOutcome } from '../plan/claim-outcome.js';
import type { PortSpec } from '../common/port.js';
import type { Expect, MatrixCell } from './matrix-model.js';
import { describeObservation, judge, type ProbeKind } from './outcome.js';
import type { PortState, ProbeLine } from './probe-script.js';

export interface ProbeResult {
  /**
   * PASS: as expected; FAIL: the opposite; ERROR: the probe could not run (never counted as a drop);
   * DIFFERS: the opposite of a claim of the seed (`seed:`), judged so by the run.
   */
  outcome: ClaimOutcome;
  /** True: a reply came back; false: none did; absent: the probe did not run. */
  reached?: boolean;
  /** For name probes: whether the name resolved. */
  resolved?: boolean;
  /** For port probes: what the port did (open, refused, silent, unreach). */
  portState?: PortState;
  /** The address (or name) actually probed. */
  address: string;
  /** The source's interface the probe left through. */
  iface?: string;
  attempts: number;
  durationMs: number;
  /** What the probe saw, in words; for an ERROR, why it could not run. */
  evidence: string;
  /** The command that repeats the probe on the source's host; empty when the source is not there to run it. */
  command?: string;
  /** The command that repeats the probe by hand (a cell's with the ssh in front). */
  reproduce: string;
  /** For a claim of the seed: the engine release of the source's host. */
  docker?: string;
  /** With `docker`: the engine's product when it is not Docker ("Podman"). */
  engine?: string;
}

/** The result of one of `lab run`'s expectations. */
export interface CheckResult extends ProbeResult {
  check: PlannedCheck;
}

/** The result of one cell of `lab check connectivity`'s matrix (DIFFERS: `cell.seed` not borne out). */
export interface CellResult extends ProbeResult {
  cell: MatrixCell;
}

/** What a probe that ran (or whose prober cut it short) says: judged, and in words. */
export function judgedProbe(
  expect: Expect,
  line: ProbeLine | undefined,
  kind: ProbeKind,
  port: PortSpec | undefined,
  timeoutSeconds: number,
): Omit<ProbeResult, 'address' | 'reproduce'> {
  const judged = judge(expect, line, port);
  return {
    outcome: judged.outcome,
    ...(judged.reached !== undefined && { reached: judged.reached }),
    ...(line?.resolved !== undefined && { resolved: line.resolved }),
    ...(line?.port !== undefined && { portState: line.port }),
    ...(line?.iface && { iface: line.iface }),
    attempts: line?.attempts ?? 0,
    durationMs: line?.durationMs ?? 0,
    evidence: describeObservation(line, kind, port && { spec: port, timeoutSeconds }),
  };
}

/** A probe that could not run: an ERROR, with why in its evidence. */
export function probeNotRun(evidence: string): Omit<ProbeResult, 'address' | 'reproduce'> {
  return { outcome: 'error', attempts: 0, durationMs: 0, evidence };
}
