/**
 * The words of a claim's outcome, and the two sides of a claim of the seed that this Docker does not
 * bear out: what the seed says (its own words and in English) beside what this Docker release did.
 */
import { OUTCOME_SYMBOL, OUTCOME_WORD, type ClaimOutcome } from '../plan/claim-outcome.js';
import type { SeedClaim } from '../scenario/model-assert.js';

export { OUTCOME_WORD };

/** "✔ PASS " (aligned), "≠ DIFFERS FROM THE SEED (二.6)": the start of a claim's line. */
export function claimWord(outcome: ClaimOutcome, seed: SeedClaim | undefined): string {
  const word = OUTCOME_WORD[outcome];
  const section = outcome === 'differs' && seed ? ` (${seed.section})` : '';
  return `${OUTCOME_SYMBOL[outcome]} ${word.padEnd(5)}${section}`;
}

/** The seed's side and Docker's side, indented, for the explanation under the list. */
export function seedSides(
  seed: SeedClaim,
  docker: string | undefined,
  host: string,
  evidence: string,
): string[] {
  const words = seed.words ? `"${seed.words}" — ` : '';
  return [
    `  the seed says: ${words}${seed.says}`,
    `  Docker ${docker ?? '(version unknown)'} on ${host} did: ${evidence}`,
  ];
}

/** The claim of the seed in a JSON result: `seed` and the Docker release it was checked on. */
export function seedToJson(
  seed: SeedClaim | undefined,
  docker: string | undefined,
): { seed?: SeedClaim & { docker?: string } } {
  if (!seed) return {};
  return { seed: { ...seed, ...(docker !== undefined && { docker }) } };
}
