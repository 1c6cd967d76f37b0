/**
 * What a run found, and its verdict, decided once here: the executor builds the report, every
 * renderer (the verdict text, JSON, the transcript, `run --all`'s table) reads the same verdict and
 * counts instead of counting again.
 */
import type { LabError } from '../common/errors.js';
import type { EngineRoute } from '../docker/docker-client.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import type { StepOutcome } from '../plan/outcome.js';
import { againstTheSeed, type ClaimOutcome } from '../plan/claim-outcome.js';
import type { SeedClaim } from '../scenario/model-assert.js';
import type { CheckResult } from '../probe/probe-result.js';

/** Where a run was when it stopped early (Ctrl-C). */
export type RunPhase = 'connect' | 'together' | 'steps' | 'checks';

export interface HostReport {
  host: string;
  /** The engine's version ("20.10.24") and product ("Docker", "Podman"). */
  engine?: string;
  /** How lab reached the host's Engine: the socket forward, or dial-stdio (through sudo) and why. */
  engineRoute?: EngineRoute;
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
  /**
   * Claims (of either kind) that DIFFER: of the seed, not borne out by this Docker, or where the
   * host's engine does otherwise than the seed's Docker; absent when none.
   */
  differs?: number;
}

/**
 * pass: every claim held; differs: every claim held except claims of the seed that this Docker does
 * not bear out (exit 0, or 1 with --strict-seed); fail: one did not; error: a host or probe failed;
 * bad-input: the hosts refused the scenario before anything changed (exit 2); interrupted: Ctrl-C.
 */
export type RunVerdict = 'pass' | 'differs' | 'fail' | 'error' | 'bad-input' | 'interrupted';

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
  const count = (rs: readonly { outcome: string }[], o: ClaimOutcome) =>
    rs.filter((r) => r.outcome === o).length;
  const differs = count(checks, 'differs') + count(assertions, 'differs');
  return {
    expectations: { held: count(checks, 'pass'), total: checks.length },
    assertions: { held: count(assertions, 'pass'), total: assertions.length },
    ...(differs > 0 && { differs }),
  };
}

/**
 * A result weighed against the seed: a claim of the seed (`seed:`) that did not hold DIFFERS; such a
 * result, and one the check found DIFFERS (the host's engine does otherwise than the seed's Docker),
 * carries the engine release that did otherwise. Any other result is as it was.
 */
export function weighSeed<R extends { outcome: ClaimOutcome }>(
  result: R,
  seed: SeedClaim | undefined,
  engine: { version: string; product?: string | undefined } | undefined,
): R {
  if (seed === undefined && result.outcome !== 'differs') return result;
  return {
    ...result,
    outcome: againstTheSeed(result.outcome, seed),
    ...(engine !== undefined && { docker: engine.version }),
    ...(engine?.product !== undefined && engine.product !== 'Docker' && { engine: engine.product }),
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

/**
 * Errors of the scenario against the hosts, found before any change: bad input, not a host failure
 * (a name held by something lab did not make, an Engine older than lab's API floor).
 */
const REFUSALS = new Set(['conflict', 'input', 'prerequisite']);

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
  if (outcomes.includes('fail')) return 'fail';
  return outcomes.includes('differs') ? 'differs' : 'pass';
}

/**
 * "; 2 claims of the seed differ on these hosts" (their Docker, or an engine such as Podman that
 * does otherwise), or nothing when every claim of the seed held.
 */
export function seedNote(t: Tally): string {
  const n = t.differs ?? 0;
  if (n === 0) return '';
  return `; ${n} claim${n === 1 ? '' : 's'} of the seed differ${n === 1 ? 's' : ''} on these hosts`;
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
