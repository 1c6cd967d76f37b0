/**
 * The topology as a graph of boxes and lines, before any layout: hosts hold their containers, Docker
 * networks and NICs; a NIC is cabled to its segment (one per NIC name across hosts, as the seed's
 * hosts share a switch per NIC); an overlay network spans the hosts. svg.ts lays it out, mermaid.ts
 * and dot.ts leave the layout to the viewer.
 */
import type { PicHost, PicTopology } from './model.js';

export type NodeKind = 'host' | 'container' | 'network' | 'overlay' | 'nic' | 'segment';
export type EdgeKind = 'attach' | 'parent' | 'vlan' | 'cable';

export interface GNode {
  id: string;
  kind: NodeKind;
  /** The first is the title; the others are facts, one a line. */
  lines: string[];
  /** The host a node sits in. */
  parent?: string;
  /** The driver, for a network: its style. */
  driver?: string;
  /** Flagged as failed (a host that failed, a container that took no part). */
  failed?: boolean;
}

export interface GEdge {
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  label?: string;
}

export interface Graph {
  nodes: GNode[];
  edges: GEdge[];
}

export const nodeId = {
  host: (host: string) => `h:${host}`,
  container: (host: string, name: string) => `c:${name}@${host}`,
  network: (host: string, name: string) => `n:${host}/${name}`,
  overlay: (name: string) => `o:${name}`,
  nic: (host: string, name: string) => `i:${host}/${name}`,
  segment: (nic: string) => `s:${nic}`,
};

/** The node a network is drawn as on a host: overlay networks are one node for every host. */
export function networkNode(host: string, name: string, driver: string | undefined): string {
  return driver === 'overlay' ? nodeId.overlay(name) : nodeId.network(host, name);
}

export function graphOf(topology: PicTopology): Graph {
  const nodes: GNode[] = [];
  const edges: GEdge[] = [];
  const seen = new Set<string>();
  const add = (n: GNode) => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    nodes.push(n);
  };
  const edge = (kind: EdgeKind, from: string, to: string, label?: string) =>
    edges.push({ id: `e${edges.length}`, kind, from, to, ...(label && { label }) });
  for (const h of topology.hosts) hostNodes(h, add, edge);
  return { nodes, edges };
}

function hostNodes(
  h: PicHost,
  add: (n: GNode) => void,
  edge: (kind: EdgeKind, from: string, to: string, label?: string) => void,
): void {
  const hostId = nodeId.host(h.name);
  add({
    id: hostId,
    kind: 'host',
    lines: [
      [h.name, h.address].filter(Boolean).join(' · '),
      ...(h.engine ? [h.engine] : []),
      ...(h.error ? [`failed: ${h.error}`] : []),
    ],
    ...(h.error && { failed: true }),
  });
  const drivers = new Map(h.networks.map((n) => [n.name, n.driver]));
  for (const c of h.containers) {
    const id = nodeId.container(h.name, c.name);
    add({
      id,
      kind: 'container',
      parent: hostId,
      // Addresses in the box, not on the lines: lines too close together would mix them up.
      lines: [
        c.name,
        ...c.networks.flatMap((a) =>
          a.address === undefined
            ? []
            : [c.networks.length > 1 ? `${a.network} ${a.address}` : a.address],
        ),
        ...(c.ports.length ? [`-p ${c.ports.join(' -p ')}`] : []),
        ...(c.unavailable ? [c.unavailable] : []),
      ],
      ...(c.unavailable && { failed: true }),
    });
    for (const a of c.networks) {
      edge('attach', id, networkNode(h.name, a.network, drivers.get(a.network)));
    }
  }
  for (const n of h.networks) {
    const id = networkNode(h.name, n.name, n.driver);
    const facts = [
      [n.subnet, n.gateway && `gw ${n.gateway}`].filter(Boolean).join(' '),
      n.parent ? `parent ${n.parent}` : '',
      n.internal ? 'internal' : '',
    ].filter(Boolean);
    add({
      id,
      kind: n.driver === 'overlay' ? 'overlay' : 'network',
      driver: n.driver,
      ...(n.driver !== 'overlay' && { parent: hostId }),
      lines: [`${n.name} (${n.driver})`, ...facts],
    });
    if (n.parent) edge('parent', id, nodeId.nic(h.name, n.parent));
  }
  for (const nic of h.nics) {
    const id = nodeId.nic(h.name, nic.name);
    add({
      id,
      kind: 'nic',
      parent: hostId,
      lines: [nic.name, ...(nic.flags.length ? [nic.flags.join(', ')] : [])],
    });
    if (nic.vlan) {
      edge('vlan', id, nodeId.nic(h.name, nic.vlan.parent), `vlan ${nic.vlan.id}`);
    } else {
      add({ id: nodeId.segment(nic.name), kind: 'segment', lines: [`${nic.name} segment`] });
      edge('cable', id, nodeId.segment(nic.name));
    }
  }
}
