/** Assertions in the verdict, like checks: one line each, and the explanation for those that failed. */
import { kindOf } from '../assert/kinds/index.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import { claimWord, differsWord, OUTCOME_WORD, seedSides, seedToJson } from './seed-lines.js';

export function renderAssertionLine(r: AssertionResult): string {
  return `${claimWord(r.outcome, r.assertion.seed, r)} ${r.claim}`;
}

export function renderAssertionDetail(r: AssertionResult): string {
  const a = r.assertion;
  const where = `see for yourself${kindOf(a).local ? '' : ` on ${a.host}`}: ${r.command}`;
  if (r.outcome === 'differs') {
    return [
      `${differsWord(a.seed, r)}: ${r.claim}`,
      ...seedSides(a.seed, r, a.host, r.evidence),
      `  why it is checked: ${a.reason}`,
      `  ${where}`,
    ].join('\n');
  }
  return [
    `${OUTCOME_WORD[r.outcome]}: ${r.claim}`,
    `  why it should hold: ${a.reason}`,
    `  ${r.outcome === 'error' ? 'could not check' : 'observed'}: ${r.evidence}`,
    `  ${where}`,
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
    ...seedToJson(assertion.seed, r),
  };
}
