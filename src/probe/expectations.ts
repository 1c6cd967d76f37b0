/**
 * What should happen for one cell, and why, from the topology alone. Pure: the rules of Docker
 * networking that the seed teaches, written down once (docs/check-connectivity.md lists them):
 *
 * - same bridge on one host → reach (unless inter-container communication is off);
 * - same macvlan/ipvlan segment (same name, subnet and parent on every host) or overlay → reach;
 * - anything else between containers → isolated: Docker isolates bridges of one host from each
 *   other, and nothing routes between macvlan segments or to another host's private networks;
 * - a macvlan gateway → unreachable (only a setting; nobody holds it); a bridge's gateway → reach
 *   (the host holds it), from any bridge of that host too;
 * - own host: reach from a bridge, never from macvlan (the kernel keeps parent and children apart);
 *   another host: NATed out of a bridge → reach; from macvlan only when its address is on-link in
 *   the macvlan subnet, otherwise the packet goes to a gateway nobody holds;
 * - a container name resolves only through the asker's own Docker engine, for containers on a
 *   user-defined network it shares (an overlay spans hosts; a bridge or macvlan does not).
 */
import { inSubnet } from '../common/subnet.js';
import type { Expectation, MatrixTarget } from './matrix-model.js';
import {
  findNetwork,
  PARENT_DRIVERS,
  segmentOf,
  type TopoContainer,
  type TopoEndpoint,
  type TopoNetwork,
  type Topology,
} from './topology.js';

interface Attached {
  endpoint: TopoEndpoint;
  net: TopoNetwork;
  segment: string;
}

const reach = (reason: string): Expectation => ({ expect: 'reach', reason });
const isolated = (reason: string): Expectation => ({ expect: 'no-reach', reason });

export function attachments(topology: Topology, c: TopoContainer): Attached[] {
  const out: Attached[] = [];
  for (const endpoint of c.endpoints) {
    const net = findNetwork(topology, c.host, endpoint.network);
    if (net) out.push({ endpoint, net, segment: segmentOf(net) });
  }
  return out;
}

const isParent = (n: TopoNetwork) => PARENT_DRIVERS.has(n.driver);
/** Networks through which a container gets out to its host and beyond (bridge NAT, overlay's gwbridge). */
const hasWayOut = (n: TopoNetwork) => !isParent(n) && !n.internal;

export function describeNetwork(n: TopoNetwork): string {
  if (isParent(n)) return `${n.name} (${n.driver} on ${n.parent ?? 'no parent'})`;
  if (n.driver === 'overlay') return `${n.name} (overlay)`;
  return `${n.name} (${n.driver} on ${n.host})`;
}

export function deriveExpectation(
  topology: Topology,
  source: TopoContainer,
  target: MatrixTarget,
): Expectation | undefined {
  const mine = attachments(topology, source);
  switch (target.kind) {
    case 'container':
      return toContainer(topology, source, mine, target);
    case 'gateway':
      return toGateway(topology, source, mine, target);
    case 'host':
      return toHost(source, mine, target);
    case 'name':
      return toName(topology, source, mine, target);
    case 'address':
      // A literal address means nothing to the topology: only a scenario says what to expect there.
      return undefined;
  }
}

function toContainer(
  topology: Topology,
  source: TopoContainer,
  mine: Attached[],
  target: MatrixTarget,
): Expectation | undefined {
  const tnet = target.host && target.network && findNetwork(topology, target.host, target.network);
  const who = `${source.name} and ${target.container}`;
  const shared = mine.find((a) => a.segment === target.segment);
  if (shared && tnet) {
    const n = shared.net;
    if (n.driver === 'bridge' && !n.icc) {
      return isolated(
        `${who} are both on ${n.name}, but that bridge has inter-container communication turned off (enable_icc=false).`,
      );
    }
    if (isParent(n)) {
      return reach(
        source.host === target.host
          ? `${who} are both on ${describeNetwork(n)} on ${n.host}: the parent NIC switches frames between its ${n.driver} children.`
          : `${who} are both on ${describeNetwork(n)}, the same subnet on ${source.host} and ${target.host}: one layer-2 segment that ${n.parent} carries between the hosts.`,
      );
    }
    if (n.driver === 'overlay') {
      return reach(
        `${who} are both on the overlay network ${n.name}, which VXLAN carries between the hosts.`,
      );
    }
    return reach(`${who} are both on ${n.name}, one ${n.driver} on ${n.host}: it joins them.`);
  }
  const theirs = tnet ? describeNetwork(tnet) : (target.network ?? 'another network');
  const ours = mine.map((a) => describeNetwork(a.net)).join(' and ') || 'no network';
  if (
    source.host === target.host &&
    tnet &&
    !isParent(tnet) &&
    mine.some((a) => !isParent(a.net))
  ) {
    // An engine that forwards to or from a bridge (Podman's netavark without `isolate`) says why.
    // A source on such a bridge and on an isolated one reaches an isolated bridge or not by which
    // of them holds its route, which lab does not read: no claim then.
    const bridges = mine.filter((a) => !isParent(a.net));
    const mixed = bridges.some((a) => a.net.notIsolated) && bridges.some((a) => !a.net.notIsolated);
    if (mixed && !tnet.notIsolated) return undefined;
    const open = [tnet, ...mine.map((a) => a.net)].find((n) => !isParent(n) && n.notIsolated);
    if (open?.notIsolated) {
      return reach(
        `${source.name} is on ${ours}, ${target.container}'s address is on ${theirs}: different bridges on one host, yet ${open.notIsolated}.`,
      );
    }
    return isolated(
      `${source.name} is on ${ours}, ${target.container}'s address is on ${theirs}: different bridges on one host, which Docker isolates from each other.`,
    );
  }
  if (mine.length > 0 && mine.every((a) => isParent(a.net))) {
    const gw = mine.map((a) => a.net.gateway).filter(Boolean);
    return isolated(
      `${source.name} is only on ${ours}; ${target.container}'s address is on ${theirs}, another segment, and no router joins them: ${source.name} sends to its gateway${gw.length ? ` ${gw.join(', ')}` : ''}, which nobody holds on ${mine[0]?.net.driver ?? 'macvlan'}.`,
    );
  }
  return isolated(
    `${source.name} (${ours}) shares no network with ${target.container}'s address on ${theirs}, and nothing routes between them.`,
  );
}

function toGateway(
  topology: Topology,
  source: TopoContainer,
  mine: Attached[],
  target: MatrixTarget,
): Expectation {
  const net = target.network ?? '?';
  if (target.driver && PARENT_DRIVERS.has(target.driver)) {
    return isolated(
      `The gateway ${target.address} of ${net} is only a setting on ${target.driver}: no interface holds it, so nothing answers.`,
    );
  }
  const shared = mine.find((a) => a.segment === target.segment);
  if (shared) {
    return reach(
      target.driver === 'overlay'
        ? `The overlay ${net}'s own bridge holds its gateway ${target.address}.`
        : `The bridge of ${net} on ${target.host} holds its gateway ${target.address}: the host answers.`,
    );
  }
  if (
    target.driver !== 'overlay' &&
    target.host === source.host &&
    mine.some((a) => a.net.driver === 'bridge' && !a.net.internal)
  ) {
    return reach(
      `${target.address}, the gateway of ${net}, is an address of ${source.host} itself, which answers the containers of all its bridges.`,
    );
  }
  // The same subnet on two hosts' bridges: the "other" gateway is then the source host's own address.
  const own = topology.hosts
    .find((h) => h.name === source.host)
    ?.networks.find((n) => n.driver === 'bridge' && n.gateway === target.address);
  if (own && mine.some((a) => a.net.driver === 'bridge' && !a.net.internal)) {
    return reach(
      `${target.address} is also an address of ${source.host} itself (the gateway of its own ${own.name}), and ${source.host} answers its bridge containers.`,
    );
  }
  return isolated(
    `${source.name} is not on ${net}, and the gateway ${target.address} is private to ${target.driver === 'overlay' ? 'that overlay' : (target.host ?? 'its host')}: no route leads there.`,
  );
}

function toHost(source: TopoContainer, mine: Attached[], target: MatrixTarget): Expectation {
  const host = target.host ?? target.address;
  const out = mine.find((a) => hasWayOut(a.net));
  if (target.host === source.host) {
    if (out) {
      return reach(
        out.net.driver === 'overlay'
          ? `${source.name} leaves ${out.net.name} (overlay) through docker_gwbridge, a bridge of ${host} itself, which answers on its own addresses.`
          : `${host} answers on its own addresses to its containers on ${out.net.name} (the bridge is ${host}'s own interface).`,
      );
    }
    const parent = mine.find((a) => isParent(a.net));
    if (parent) {
      return isolated(
        `The kernel never passes traffic between a ${parent.net.driver} interface and its parent NIC (${parent.net.parent}): a container on ${parent.net.name} cannot reach its own host ${host}.`,
      );
    }
    return isolated(`${source.name} has no way out of its internal network to ${host}.`);
  }
  const onLink = mine.find((a) => isParent(a.net) && inSubnet(target.address, a.net.subnet));
  if (onLink) {
    return reach(
      `${host}'s address ${target.address} lies in ${onLink.net.name}'s subnet ${onLink.net.subnet}: on-link on the segment of ${onLink.net.parent}, answered directly (assuming ${host} sits on that segment).`,
    );
  }
  if (out) {
    return reach(
      out.net.driver === 'overlay'
        ? `${source.host} NATs (masquerades) ${source.name}'s traffic out of ${out.net.name} through docker_gwbridge onto its own network, where ${host} answers.`
        : `${source.host} NATs (masquerades) ${source.name}'s traffic from ${out.net.name} onto its own network, where ${host} answers.`,
    );
  }
  const parent = mine.find((a) => isParent(a.net));
  if (parent) {
    return isolated(
      `${target.address} is outside ${parent.net.name} (${parent.net.subnet ?? 'no subnet'}): ${source.name} sends it to the gateway ${parent.net.gateway ?? '(none)'}, which nobody holds on ${parent.net.driver}.`,
    );
  }
  return isolated(`${source.name} has no way out of its internal network to ${host}.`);
}

function toName(
  topology: Topology,
  source: TopoContainer,
  mine: Attached[],
  target: MatrixTarget,
): Expectation | undefined {
  const other = topology.hosts
    .find((h) => h.name === target.host)
    ?.containers.find((c) => c.name === target.container);
  // No name server of the engine on any of the source's networks (Podman's dns_enabled off, as on
  // its default network and macvlan): its lookups go to the host's own servers, which a macvlan
  // container may not even reach, so they may never be answered. Nothing of the engine to claim.
  if (mine.length > 0 && mine.every((a) => a.net.dns === false)) return undefined;
  const theirs = other ? attachments(topology, other) : [];
  const name = target.container ?? target.address;
  const resolvable = mine.find((a) =>
    theirs.some(
      (b) =>
        b.segment === a.segment &&
        a.net.name !== 'bridge' &&
        (a.net.driver === 'overlay' || source.host === target.host),
    ),
  );
  if (resolvable) {
    // Podman's aardvark-dns: the asker's first name server answers only for its own network, and a
    // container on several networks lists theirs in no fixed order (docs/podman.md); when the target
    // is not on every one of them, whether its name resolves is decided by that order: no claim.
    const servers = mine.filter((a) => a.net.dns === true);
    if (servers.length > 1 && servers.some((a) => !theirs.some((b) => b.segment === a.segment))) {
      return undefined;
    }
    if (resolvable.net.driver === 'bridge' && !resolvable.net.icc) {
      return isolated(
        `"${name}" resolves on ${resolvable.net.name}, but that bridge has inter-container communication turned off.`,
      );
    }
    return reach(
      `Docker's DNS on ${source.host} answers "${name}" with its address on ${resolvable.net.name}, a user-defined network both are on.`,
    );
  }
  if (mine.length > 0 && mine.every((a) => a.net.name === 'bridge')) {
    return isolated(
      `${source.name} is only on the default bridge, which has no name resolution (only user-defined networks do).`,
    );
  }
  if (target.host !== source.host) {
    return isolated(
      `Each Docker engine's DNS knows only its own containers: ${name} runs on ${target.host}, and ${source.name} shares no overlay network with it, so "${name}" does not resolve on ${source.host}.`,
    );
  }
  return isolated(
    `Docker's DNS answers only names of containers on a network the asker is on: ${source.name} and ${name} share none, so "${name}" does not resolve.`,
  );
}
