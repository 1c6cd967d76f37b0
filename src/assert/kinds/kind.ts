/**
 * The check half of an assertion kind (docs/architecture.md, "a new assertion kind"): how `lab plan`
 * shows it, the claim in words, and the check on the hosts. Its definition half (schema, resolution,
 * planning) sits lower, in scenario/ and plan/, where the loader and the compiler can reach it.
 */
import type { AssertionResult, PlannedAssertion } from '../../plan/assertion-model.js';
import type { AssertContext } from '../context.js';

export type PlannedOf<K extends PlannedAssertion['kind']> = Extract<PlannedAssertion, { kind: K }>;

export interface AssertionKindCheck<K extends PlannedAssertion['kind']> {
  /** The command a person would type to see the fact (run-time values in <angle brackets>). */
  command(a: PlannedOf<K>): string;
  /** The claim in words, as planned. */
  claim(a: PlannedOf<K>): string;
  /** Reads the fact and judges it; an ERROR, never a throw, when it cannot be read. */
  check(a: PlannedOf<K>, ctx: AssertContext): Promise<AssertionResult>;
  /** Checked from the machine running lab rather than on the host (`lab plan` groups it so). */
  local?: boolean;
  /** The claim is that Docker refuses something (`lab plan` says "must FAIL"). */
  refusal?: boolean;
}
