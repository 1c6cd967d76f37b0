/**
 * The matrix's columns: every container address (on every network), the gateways of the networks in
 * use, every host's own address and every container's name. Ordered so that the matrix reads in
 * blocks: addresses by network, then gateways, hosts, names.
 */
import type { MatrixTarget } from './matrix-model.js';
import {
  containerKey,
  findNetwork,
  segmentOf,
  type TopoContainer,
  type Topology,
} from './topology.js';

export interface TargetOptions {
  /** Only this network's addresses and gateway (and names of containers on it). */
  network?: string;
  /** Include name targets (default true). */
  names: boolean;
}

export function addressTargetKey(c: TopoContainer, network: string): string {
  return `addr:${containerKey(c)}/${network}`;
}

export function buildTargets(
  topology: Topology,
  containers: readonly TopoContainer[],
  options: TargetOptions,
): MatrixTarget[] {
  const addresses: MatrixTarget[] = [];
  const gateways = new Map<string, MatrixTarget>();
  for (const c of containers) {
    for (const e of c.endpoints) {
      if (options.network !== undefined && e.network !== options.network) continue;
      const net = findNetwork(topology, c.host, e.network);
      const segment = net ? segmentOf(net) : `local|${c.host}|${e.network}`;
      addresses.push({
        key: addressTargetKey(c, e.network),
        kind: 'container',
        label: `${c.name} ${e.ipv4}`,
        address: e.ipv4,
        network: e.network,
        ...(net && { driver: net.driver }),
        host: c.host,
        container: c.name,
        segment,
      });
      if (net?.gateway && !gateways.has(segment)) {
        const local = segment.startsWith('local|');
        gateways.set(segment, {
          key: `gw:${segment}`,
          kind: 'gateway',
          label: `gateway ${net.gateway}${local ? ` (${net.host})` : ''}`,
          address: net.gateway,
          network: net.name,
          driver: net.driver,
          ...(local && { host: net.host }),
          segment,
        });
      }
    }
  }
  addresses.sort(
    (a, b) =>
      (a.network ?? '').localeCompare(b.network ?? '') ||
      (a.host ?? '').localeCompare(b.host ?? '') ||
      (a.container ?? '').localeCompare(b.container ?? ''),
  );
  const hosts: MatrixTarget[] = topology.hosts.map((h) => ({
    key: `host:${h.name}`,
    kind: 'host',
    label: `${h.name} ${h.address}`,
    address: h.address,
    host: h.name,
  }));
  const names: MatrixTarget[] = options.names
    ? [...containers]
        .filter(
          (c) =>
            options.network === undefined || c.endpoints.some((e) => e.network === options.network),
        )
        .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name))
        .map((c) => ({
          key: `name:${containerKey(c)}`,
          kind: 'name',
          label: `name "${c.name}"`,
          address: c.name,
          host: c.host,
          container: c.name,
        }))
    : [];
  const gw = [...gateways.values()].sort((a, b) =>
    (a.network ?? '').localeCompare(b.network ?? ''),
  );
  return [...addresses, ...gw, ...hosts, ...names];
}
