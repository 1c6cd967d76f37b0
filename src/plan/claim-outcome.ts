/**
 * How a claim (an expectation or an assertion) came out: PASS, FAIL, ERROR (it could not be
 * checked), or DIFFERS, a claim of the seed (`seed:`) that this Docker does not bear out: said as
 * such, with both sides, and neither a pass nor a failure of the lab (docs/exit-codes.md).
 */
export type ClaimOutcome = 'pass' | 'fail' | 'error' | 'differs';

/** A claim that did not hold, weighed against the seed: its claim not borne out is DIFFERS. */
export function againstTheSeed(outcome: ClaimOutcome, seed: unknown): ClaimOutcome {
  return outcome === 'fail' && seed !== undefined ? 'differs' : outcome;
}

/** Each outcome's mark and word, readable without colour (the mark is doubled by the word). */
export const OUTCOME_SYMBOL = { pass: '✔', fail: '✘', error: '!', differs: '≠' } as const;
export const OUTCOME_WORD = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  differs: 'DIFFERS FROM THE SEED',
} as const;
