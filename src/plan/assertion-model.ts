/**
 * Assertions as planned (one per host they are checked on) and as judged. An assertion is a claim
 * beyond ping, reported like a check: PASS (holds), FAIL (the host shows otherwise), ERROR (it could
 * not be checked), always with what was seen.
 */
import type { KIND_DEFS } from '../scenario/assert-kinds/index.js';
import type { PlannedOfKind } from '../scenario/assert-kinds/kind.js';
import type { ClaimOutcome } from './claim-outcome.js';

export type { PlannedBase } from '../scenario/assert-kinds/kind.js';

/** A planned check: its kind's planned claim (scenario/assert-kinds/, one module each) on one host. */
export type PlannedAssertion = PlannedOfKind<(typeof KIND_DEFS)[number]>;

export type AssertionOutcome = ClaimOutcome;

export interface AssertionResult {
  assertion: PlannedAssertion;
  outcome: AssertionOutcome;
  /** The claim in words, with run-time values filled in ("my_net2 has subnet 198.19.20.0/24"). */
  claim: string;
  /** What was seen, in words. */
  evidence: string;
  /**
   * For a DIFFERS of the host's engine rather than of a `seed:` claim: how it does otherwise than the
   * seed's Docker (Podman's NETAVARK chains, conmon; what Podman accepts that Docker refuses), in words.
   */
  difference?: string;
  /** The command a person would type to see the same (on the host, or here for http). */
  command: string;
  /** The command's raw output, for transcripts. */
  output?: string;
  durationMs: number;
  /** For a claim of the seed or a difference: the engine release of the host it was checked on. */
  docker?: string;
  /** With `docker`: the engine's product when it is not Docker ("Podman"). */
  engine?: string;
}
