/** Assertions in the verdict, like checks: one line each, and the explanation for those that failed. */
import type { AssertionResult } from '../plan/assertion-model.js';

const SYMBOL = { pass: '✔', fail: '✘', error: '!' } as const;
const WORD = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' } as const;

export function renderAssertionLine(r: AssertionResult): string {
  const line = `${SYMBOL[r.outcome]} ${WORD[r.outcome].padEnd(5)} ${r.claim}`;
  return r.differs ? `${line}\n        differs from the seed: ${r.differs}` : line;
}

export function renderAssertionDetail(r: AssertionResult): string {
  const a = r.assertion;
  return [
    `${WORD[r.outcome]}: ${r.claim}`,
    `  why it should hold: ${a.reason}`,
    `  ${r.outcome === 'error' ? 'could not check' : 'observed'}: ${r.evidence}`,
    ...(r.differs ? [`  differs from the seed: ${r.differs}`] : []),
    `  see for yourself${a.kind === 'http' ? '' : ` on ${a.host}`}: ${r.command}`,
  ].join('\n');
}

export function assertionToJson(r: AssertionResult): unknown {
  const { assertion, ...rest } = r;
  return {
    id: assertion.id,
    kind: assertion.kind,
    host: assertion.host,
    reason: assertion.reason,
    ...rest,
  };
}
