/**
 * The matrix's port columns: every port a container listens on (on each of its addresses), and
 * every published port on its host's address. `--ports` chooses which.
 */
import { portText, type PortSpec } from '../common/port.js';
import type { MatrixTarget } from './matrix-model.js';
import {
  containerKey,
  findNetwork,
  segmentOf,
  type TopoContainer,
  type Topology,
} from './topology.js';

export interface PortSelection {
  /** Ports containers listen on (read from their /proc/net). */
  listening: boolean;
  /** Ports published on the hosts' addresses. */
  published: boolean;
  /** Only these ports (a container's own port or a published host port); undefined: every one. */
  only?: PortSpec[];
}

export const ALL_PORTS: PortSelection = { listening: true, published: true };
export const NO_PORTS: PortSelection = { listening: false, published: false };

function chosen(selection: PortSelection, port: PortSpec): boolean {
  return (
    selection.only === undefined ||
    selection.only.some((p) => p.port === port.port && p.protocol === port.protocol)
  );
}

export function portTargets(
  topology: Topology,
  containers: readonly TopoContainer[],
  selection: PortSelection,
  network?: string,
): MatrixTarget[] {
  const out: MatrixTarget[] = [];
  const sorted = [...containers].sort(
    (a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
  );
  if (selection.listening) {
    for (const c of sorted) {
      for (const e of c.endpoints) {
        if (network !== undefined && e.network !== network) continue;
        const net = findNetwork(topology, c.host, e.network);
        for (const l of c.listening ?? []) {
          // A socket bound to one address listens only there.
          if (l.address !== undefined && l.address !== e.ipv4) continue;
          const port = { port: l.port, protocol: l.protocol };
          if (!chosen(selection, port)) continue;
          out.push({
            key: `port:${containerKey(c)}/${e.network}:${portText(port)}`,
            kind: 'container',
            label: `${c.name} ${e.ipv4}:${portText(port)}`,
            address: e.ipv4,
            network: e.network,
            ...(net && { driver: net.driver }),
            host: c.host,
            container: c.name,
            segment: net ? segmentOf(net) : `local|${c.host}|${e.network}`,
            port,
          });
        }
      }
    }
  }
  if (selection.published) {
    const hostAddress = new Map(topology.hosts.map((h) => [h.name, h.address]));
    for (const c of sorted) {
      for (const p of c.published ?? []) {
        const port = { port: p.hostPort, protocol: p.protocol };
        // Published on loopback only: nothing but the host itself can reach it.
        if (p.hostIp?.startsWith('127.') || !chosen(selection, port)) continue;
        const address = p.hostIp ?? hostAddress.get(c.host) ?? '';
        if (address === '') continue;
        out.push({
          key: `port:host:${c.host}:${portText(port)}`,
          kind: 'host',
          label: `${c.host} ${address}:${portText(port)} (published by ${c.name})`,
          address,
          host: c.host,
          port,
          publishedBy: containerKey(c),
        });
      }
    }
  }
  return out;
}
