/**
 * The registry of assertion kinds' check halves: one line per kind. The kinds themselves are listed
 * once, in scenario/assert-kinds/index.ts (KIND_DEFS); the mapped type makes a kind listed there
 * without its line here a type error, and a line here for no such kind one too.
 */
import type { PlannedAssertion } from '../../plan/assertion-model.js';
import { fails } from './fails.js';
import { http } from './http.js';
import { iface } from './interface.js';
import { iptables } from './iptables.js';
import type { AssertionKindCheck, PlannedOf } from './kind.js';
import { listening } from './listening.js';
import { network } from './network.js';
import { resolves } from './resolves.js';

type Registry = { [K in PlannedAssertion['kind']]: AssertionKindCheck<K> };

/** Check halves by kind: what a caller (a test with a toy kind) may pass instead of KIND_CHECKS. */
export type KindChecks = Readonly<Record<string, AssertionKindCheck<PlannedAssertion['kind']>>>;

export const KIND_CHECKS: Registry = {
  fails,
  network,
  interface: iface,
  iptables,
  listening,
  http,
  resolves,
};

/** The check half of `a`'s kind. */
export function kindOf<K extends PlannedAssertion['kind']>(
  a: PlannedOf<K>,
  checks: KindChecks = KIND_CHECKS as unknown as KindChecks,
): AssertionKindCheck<K> {
  const check = checks[a.kind];
  if (!check) throw new Error(`assertion kind ${a.kind} has no check`);
  return check as unknown as AssertionKindCheck<K>;
}
