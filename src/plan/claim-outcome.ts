/**
 * How a claim (an expectation or an assertion) came out: PASS, FAIL, ERROR (it could not be
 * checked), or DIFFERS, a claim of the seed (`seed:`) that this Docker does not bear out, or one the
 * host's engine meets otherwise than the seed's Docker (Podman: NETAVARK chains, conmon, what it
 * accepts that Docker refuses): said as such, with both sides, and neither a pass nor a failure of
 * the lab (docs/exit-codes.md).
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

/** What a result carries for its DIFFERS (check and assertion results alike). */
export interface DifferenceFields {
  /** The engine release of the host, and its product when it is not Docker. */
  docker?: string | undefined;
  engine?: string | undefined;
  /** How the host's engine does otherwise than the seed's Docker (not a `seed:` claim). */
  difference?: string | undefined;
}

/** "Docker 20.10.24", "Podman 4.3.1": the engine that did otherwise. */
export function engineRelease(r: DifferenceFields): string {
  return `${r.engine ?? 'Docker'} ${r.docker ?? '(version unknown)'}`;
}
