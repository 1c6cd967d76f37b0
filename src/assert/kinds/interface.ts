/** `interface:` an interface of a host (or of a container) is up, promiscuous, carries an address. */
import type { AddressRef } from '../../scenario/model-assert.js';
import { checkInterface } from '../interface-fact.js';
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
    return `${a.container ? `docker exec ${a.container} ` : ''}ip addr show ${name}`;
  },
  claim(a) {
    const parts = [
      ...(a.has.up !== undefined ? [a.has.up ? 'is UP' : 'is DOWN'] : []),
      ...(a.has.promisc !== undefined
        ? [a.has.promisc ? 'is promiscuous' : 'is not promiscuous']
        : []),
      ...(a.has.address ? [`carries ${address(a.has.address)}`] : []),
    ];
    return parts.join(' and ') || 'exists';
  },
  check: checkInterface,
};
