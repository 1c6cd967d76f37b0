/**
 * The registry of assertion kinds: the single list, one line per kind, in the order messages list
 * them. The schema, the resolver, the models (AssertionSpec, PlannedAssertion) and the compiler are
 * derived from it; the check registry (assert/kinds/index.ts) is a map its type forces to match.
 */
import { fails } from './fails.js';
import { http } from './http.js';
import { iface } from './interface.js';
import { iptables } from './iptables.js';
import { listening } from './listening.js';
import { network } from './network.js';
import { notResolves, resolves } from './resolves.js';

export const KIND_DEFS = [
  fails,
  network,
  iface,
  iptables,
  listening,
  http,
  resolves,
  notResolves,
] as const;
