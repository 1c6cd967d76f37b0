/**
 * Runs every planned assertion, each as soon as the steps it depends on are done, all at once. One
 * that cannot be checked is an ERROR with the reason; nothing here throws.
 */
import { errorText } from '../common/errors.js';
import type { HostSession } from '../host/session.js';
import { makeContext, type AssertContext, type AssertOptions } from './context.js';
import { checkFails } from './expected-error.js';
import { checkHttp } from './http-fact.js';
import { checkInterface } from './interface-fact.js';
import { checkIptables } from './iptables-fact.js';
import { checkListening } from './listening-fact.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';
import { checkNetwork } from './network-fact.js';
import { assertionCommand, assertionClaim } from './render.js';
import { checkResolve } from './resolve-fact.js';

export function checkAssertion(a: PlannedAssertion, ctx: AssertContext): Promise<AssertionResult> {
  switch (a.kind) {
    case 'fails':
      return checkFails(a, ctx);
    case 'network':
      return checkNetwork(a, ctx);
    case 'interface':
      return checkInterface(a, ctx);
    case 'iptables':
      return checkIptables(a, ctx);
    case 'listening':
      return checkListening(a, ctx);
    case 'http':
      return checkHttp(a, ctx);
    case 'resolves':
      return checkResolve(a, ctx);
  }
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
