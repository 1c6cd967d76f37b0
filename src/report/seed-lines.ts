/**
 * The words of a claim's outcome, and the two sides of a claim that DIFFERS: what the seed says (its
 * own words and in English), or how the host's engine does otherwise than the seed's Docker, beside
 * what this engine release did.
 */
import {
  engineRelease,
  OUTCOME_SYMBOL,
  OUTCOME_WORD,
  type ClaimOutcome,
  type DifferenceFields,
} from '../plan/claim-outcome.js';
import type { SeedClaim } from '../scenario/model-assert.js';

export { OUTCOME_WORD };

/** "DIFFERS FROM THE SEED (二.6)", or "(Podman)" for a difference of the engine. */
export function differsWord(seed: SeedClaim | undefined, r: DifferenceFields): string {
  const why = seed?.section ?? (r.difference !== undefined ? (r.engine ?? 'Docker') : undefined);
  return `${OUTCOME_WORD.differs}${why === undefined ? '' : ` (${why})`}`;
}

/** "✔ PASS " (aligned), "≠ DIFFERS FROM THE SEED (二.6)": the start of a claim's line. */
export function claimWord(
  outcome: ClaimOutcome,
  seed: SeedClaim | undefined,
  r: DifferenceFields = {},
): string {
  const word = outcome === 'differs' ? differsWord(seed, r) : OUTCOME_WORD[outcome];
  return `${OUTCOME_SYMBOL[outcome]} ${word.padEnd(5)}`;
}

/** Both sides, indented, for the explanation under the list. */
export function seedSides(
  seed: SeedClaim | undefined,
  r: DifferenceFields,
  host: string,
  evidence: string,
): string[] {
  const words = seed?.words ? `"${seed.words}" — ` : '';
  return [
    ...(seed ? [`  the seed says: ${words}${seed.says}`] : []),
    ...(r.difference ? [`  how it differs: ${r.difference}`] : []),
    `  ${engineRelease(r)} on ${host} did: ${evidence}`,
  ];
}

/**
 * A DIFFERS in a JSON result: `seed` (the claim of the seed, with the release it was checked on and
 * the engine when not Docker) and `difference` (how the engine does otherwise) as far as known.
 */
export function seedToJson(
  seed: SeedClaim | undefined,
  r: DifferenceFields,
): { seed?: SeedClaim & { docker?: string; engine?: string }; difference?: string } {
  const release = {
    ...(r.docker !== undefined && { docker: r.docker }),
    ...(r.engine !== undefined && { engine: r.engine }),
  };
  return {
    ...(seed && { seed: { ...seed, ...release } }),
    ...(r.difference !== undefined && { difference: r.difference }),
  };
}
