/**
 * What a run found, and its verdict, decided once here: the executor builds the report, every
 * renderer (the verdict text, JSON, the transcript, `run --all`'s table) reads the same verdict and
 * counts instead of counting again.
 */
import type { LabError } from '../common/errors.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import type { StepOutcome } from '../plan/outcome.js';
import type { CheckResult } from '../probe/checks.js';

/** Where a run was when it stopped early (Ctrl-C). */
export type RunPhase = 'connect' | 'together' | 'steps' | 'checks';

export interface HostReport {
  host: string;
  /** The engine's version ("20.10.24") and product ("Docker", "Podman"). */
  engine?: string;
  engineProduct?: string;
  steps: StepOutcome[];
  /** Steps started on this host that never finished (interrupted or failed part-way): may be left. */
  unfinished?: string[];
  /** The host's first failure; the verdict explains it in full. */
  error?: LabError;
  /** Every step that failed here (not those that only waited for one), with the first line of why. */
  failures?: { step: string; message: string }[];
  /** What preflight wants said (an existing interface used as it is, the swarm lab will make). */
  notes?: string[];
}

/** How many of each kind of claim held: `expect` pairs (pings) and `assert` claims, counted apart. */
export interface Tally {
  expectations: { held: number; total: number };
  assertions: { held: number; total: number };
}

/**
 * pass: every claim held; fail: one did not; error: a host or probe failed; bad-input: the hosts
 * refused the scenario before anything changed (exit 2); interrupted: Ctrl-C.
 */
export type RunVerdict = 'pass' | 'fail' | 'error' | 'bad-input' | 'interrupted';

export interface RunReport {
  scenario: string;
  hosts: HostReport[];
  checks: CheckResult[];
  /** Claims beyond ping, judged like checks. */
  assertions?: AssertionResult[];
  verdict: RunVerdict;
  tally: Tally;
  /** Set when the run was interrupted: the phase it was in. */
  interruptedDuring?: RunPhase;
  durationMs: number;
}

export function tallyOf(
  checks: readonly CheckResult[],
  assertions: readonly AssertionResult[],
): Tally {
  const held = (rs: readonly { outcome: string }[]) =>
    rs.filter((r) => r.outcome === 'pass').length;
  return {
    expectations: { held: held(checks), total: checks.length },
    assertions: { held: held(assertions), total: assertions.length },
  };
}

/** True when anything on any host may have changed: a step changed something, or did not finish. */
export function anythingChanged(hosts: readonly HostReport[]): boolean {
  return hosts.some((h) => changesOf(h).length > 0);
}

/** What a run changed on one host, in words ("network mac_net1 created"), unfinished steps included. */
export function changesOf(host: HostReport): string[] {
  return [
    ...host.steps
      .filter((s) => s.action !== 'unchanged')
      .map((s) => `${stepName(s.step)} ${s.action}`),
    ...(host.unfinished ?? []).map((s) => `${s} (started, not finished: may be left)`),
  ];
}

function stepName(step: StepOutcome['step']): string {
  switch (step.kind) {
    case 'nic':
      return `NIC ${step.interface}`;
    case 'swarm':
      return `swarm (${step.role})`;
    default:
      return `${step.kind} ${step.name}`;
  }
}

/** Errors of the scenario against the hosts, found before any change: bad input, not a host failure. */
const REFUSALS = new Set(['conflict', 'input']);

/** The one place a run's verdict is decided. */
export function judgeRun(input: {
  hosts: readonly HostReport[];
  checks: readonly CheckResult[];
  assertions: readonly AssertionResult[];
  interrupted: boolean;
}): RunVerdict {
  if (input.interrupted) return 'interrupted';
  const failed = input.hosts.filter((h) => h.error);
  if (failed.length > 0) {
    const refused = failed.every((h) => h.error && REFUSALS.has(h.error.kind));
    // A conflict found after changes began is a failure on the host side: something is left.
    return refused && !anythingChanged(input.hosts) ? 'bad-input' : 'error';
  }
  const outcomes = [...input.checks, ...input.assertions].map((r) => r.outcome);
  if (outcomes.includes('error')) return 'error';
  return outcomes.includes('fail') ? 'fail' : 'pass';
}

/**
 * The counts in words: "3 of 4 expectations and 6 of 6 assertions" (a kind the scenario does not
 * have is left out), for `hold` or, with `missed`, for what did not hold.
 */
export function describeTally(t: Tally, how: 'held' | 'missed' | 'all' = 'held'): string {
  const parts: string[] = [];
  for (const [noun, c] of [
    ['expectations', t.expectations],
    ['assertions', t.assertions],
  ] as const) {
    if (c.total === 0) continue;
    const n = how === 'held' ? `${c.held} of ` : how === 'missed' ? `${c.total - c.held} of ` : '';
    parts.push(`${n}${c.total} ${noun}`);
  }
  return parts.length === 0 ? 'nothing to check' : parts.join(' and ');
}
