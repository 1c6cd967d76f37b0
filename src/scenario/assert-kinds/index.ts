/** The registry of assertion kinds' schema halves: one line per kind, in the order messages list them. */
import { fails } from './fails.js';
import { http } from './http.js';
import { iface } from './interface.js';
import { iptables } from './iptables.js';
import { listening } from './listening.js';
import { network } from './network.js';
import { notResolves, resolves } from './resolves.js';

export const KIND_SCHEMAS = [
  fails,
  network,
  iface,
  iptables,
  listening,
  http,
  resolves,
  notResolves,
] as const;
