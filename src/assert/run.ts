/**
 * Runs every planned assertion, each as soon as the steps it depends on are done, all at once. One
 * that cannot be checked is an ERROR with the reason; nothing here throws.
 */
import { errorText } from '../common/errors.js';
import type { HostSession } from '../host/session.js';
import { makeContext, type AssertContext, type AssertOptions } from './context.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';
import { kindOf, type KindChecks } from './kinds/index.js';
import { assertionCommand, assertionClaim } from './render.js';

/** Checks one assertion with its kind's check (assert/kinds/). */
export function checkAssertion(
  a: PlannedAssertion,
  ctx: AssertContext,
  checks?: KindChecks,
): Promise<AssertionResult> {
  return kindOf(a, checks).check(a, ctx);
}

export async function runAssertions(
  assertions: readonly PlannedAssertion[],
  sessions: ReadonlyMap<string, HostSession>,
  options: AssertOptions,
  /** Resolves when the assertion's steps are done; rejects when one of them failed. */
  ready: (a: PlannedAssertion) => Promise<void> = async () => {},
): Promise<AssertionResult[]> {
  const ctx = makeContext(sessions, options);
  return Promise.all(
    assertions.map(async (a): Promise<AssertionResult> => {
      try {
        await ready(a);
      } catch (err) {
        return {
          assertion: a,
          outcome: 'error',
          claim: assertionClaim(a),
          evidence: `not checked: ${errorText(err).split('\n')[0] ?? ''}`,
          command: assertionCommand(a),
          durationMs: 0,
        };
      }
      return checkAssertion(a, ctx);
    }),
  );
}
