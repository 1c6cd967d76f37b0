/**
 * `interface:` an interface of a host or a container (by name, or a bridge network's bridge, whose
 * `veths:` are the containers' ports on it, as `brctl show` lists them).
 */
import { z } from 'zod';
import * as f from '../formats.js';
import type { YamlPath } from '../positions.js';
import { defineKind, type ResolveTools, type SourceOf } from './kind.js';
import type { AddressRef, InterfaceFacts } from './refs.js';

interface Interface {
  kind: 'interface';
  hosts: string[];
  /** Read inside this container instead of on the host. */
  container?: string;
  interface: { name: string } | { bridgeOf: string };
  has: InterfaceFacts;
}

export const iface = defineKind({
  kind: 'interface',
  keys: ['interface'],
  companions: ['host', 'container', 'has'],
  required: ['has'],
  has: { fields: ['address', 'up', 'promisc', 'veths'], of: 'an interface' },
  shape: (h) => ({
    interface: z
      .union([h.str(f.interfaceName), z.strictObject({ bridge_of: h.str(f.dockerName) })])
      .describe('an interface name like eth0.1, or {bridge_of: NET}')
      .optional(),
  }),
  resolve(a, t): Interface {
    const path = t.path;
    const has = a.has ?? {};
    const given = a.interface ?? '';
    const named: { name: string } | { bridgeOf: string } =
      typeof given === 'string' ? { name: given } : { bridgeOf: given.bridge_of };
    let fallback = t.hosts;
    if ('bridgeOf' in named) {
      const net = t.network(named.bridgeOf, [...path, 'interface', 'bridge_of']);
      if (net && net.driver !== 'bridge') {
        throw t.fail(
          [...path, 'interface', 'bridge_of'],
          `network ${net.name} is a ${net.driver} network; only bridge networks have a bridge interface`,
        );
      }
      fallback = net?.hosts ?? t.hosts;
    }
    if (a.container !== undefined) {
      const c = t.container(a.container, [...path, 'container']);
      if ('bridgeOf' in named)
        throw t.fail(
          [...path, 'interface'],
          'a container has no bridge interface; name the interface (eth0, eth1)',
        );
      fallback = [c.host];
    }
    const veths = has.veths && bridgeVeths(t, named, has.veths, [...path, 'has', 'veths']);
    return {
      kind: 'interface',
      hosts: a.container !== undefined ? fallback : t.hostsOr(fallback),
      ...(a.container !== undefined && { container: a.container }),
      interface: named,
      has: {
        ...(has.address !== undefined && {
          address: addressRef(t, has.address, [...path, 'has', 'address']),
        }),
        ...(has.up !== undefined && { up: has.up }),
        ...(has.promisc !== undefined && { promisc: has.promisc }),
        ...(veths && { veths }),
      },
    };
  },
  checkedOn: (a) => a.hosts,
  plan: (a, base, t): typeof base & Omit<Interface, 'hosts'> => ({
    ...base,
    kind: 'interface',
    ...(a.container !== undefined && { container: a.container }),
    interface: a.interface,
    // A container's veth is on the bridge of its own host: each host checks its own.
    has: a.has.veths
      ? { ...a.has, veths: a.has.veths.filter((c) => t.hostOf(c) === base.host) }
      : a.has,
  }),
});

/** `veths:` of a bridge network's bridge: containers of the scenario, each on that network. */
function bridgeVeths(
  t: ResolveTools,
  named: { name: string } | { bridgeOf: string },
  names: readonly string[],
  path: YamlPath,
): string[] {
  if (!('bridgeOf' in named))
    throw t.fail(
      path,
      "veths are the ports of a bridge network's bridge: name it with interface: { bridge_of: NET }",
    );
  return names.map((name, i) => {
    const c = t.container(name, [...path, i]);
    const on = c.networks.map((n) => n.network);
    if (!on.includes(named.bridgeOf))
      throw t.fail(
        [...path, i],
        `container ${name} is not on network ${named.bridgeOf}`,
        `${name} is on: ${on.join(', ') || 'none'}`,
      );
    return name;
  });
}

function addressRef(
  t: ResolveTools,
  v: NonNullable<NonNullable<SourceOf<object>['has']>['address']>,
  path: YamlPath,
): AddressRef {
  if (typeof v === 'string') {
    const [address = '', prefix] = v.split('/');
    return {
      kind: 'literal',
      address,
      ...(prefix !== undefined && { prefixLength: Number(prefix) }),
    };
  }
  if ('gateway_of' in v) {
    t.network(v.gateway_of, [...path, 'gateway_of']);
    return { kind: 'gateway_of', network: v.gateway_of };
  }
  t.network(v.in, [...path, 'in']);
  return { kind: 'in', network: v.in };
}
