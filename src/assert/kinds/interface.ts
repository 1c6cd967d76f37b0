/**
 * `interface:` an interface of a host (or of a container) is up, promiscuous, carries an address; a
 * bridge network's bridge has the containers' veths as its ports.
 */
import type { AddressRef } from '../../scenario/model-assert.js';
import { checkInterface, vethsWords } from '../interface-fact.js';
import type { AssertionKindCheck } from './kind.js';

const address = (r: AddressRef) =>
  r.kind === 'literal'
    ? `${r.address}${r.prefixLength !== undefined ? `/${r.prefixLength}` : ''}`
    : r.kind === 'gateway_of'
      ? `the gateway of ${r.network}`
      : `an address in ${r.network}`;

export const iface: AssertionKindCheck<'interface'> = {
  command(a) {
    const name = 'name' in a.interface ? a.interface.name : `<bridge of ${a.interface.bridgeOf}>`;
    const shown = `${a.container ? `docker exec ${a.container} ` : ''}ip addr show ${name}`;
    if (!a.has.veths) return shown;
    // brctl show when the host has it, iproute2 always (docs/seed-claims.md, 二.5).
    const ports = `brctl show ${name} || ip -d link show master ${name}`;
    const other =
      a.has.address !== undefined || a.has.up !== undefined || a.has.promisc !== undefined;
    return other ? `${shown}; ${ports}` : ports;
  },
  claim(a) {
    const parts = [
      ...(a.has.up !== undefined ? [a.has.up ? 'is UP' : 'is DOWN'] : []),
      ...(a.has.promisc !== undefined
        ? [a.has.promisc ? 'is promiscuous' : 'is not promiscuous']
        : []),
      ...(a.has.address ? [`carries ${address(a.has.address)}`] : []),
      ...(a.has.veths ? [vethsWords(a.has.veths)] : []),
    ];
    return parts.join(' and ') || 'exists';
  },
  check: checkInterface,
};
