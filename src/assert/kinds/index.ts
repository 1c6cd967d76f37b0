/**
 * The registry of assertion kinds' check halves: one line per kind. The mapped type makes a kind of
 * PlannedAssertion without its line here a type error.
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

const KINDS: Registry = {
  fails,
  network,
  interface: iface,
  iptables,
  listening,
  http,
  resolves,
};

/** The check half of `a`'s kind. */
export function kindOf<K extends PlannedAssertion['kind']>(a: PlannedOf<K>): AssertionKindCheck<K> {
  return KINDS[a.kind as K] as unknown as AssertionKindCheck<K>;
}
