/**
 * What is deployed, as `lab check connectivity` sees it: per host, the networks and the containers
 * lab made, with every address on every network. Built from the Engine (discover.ts) or, for a host
 * that could not be reached, from the scenario (scenario-topology.ts). Plain data, no vendor types.
 */
import type { LabError } from '../common/errors.js';
import type { SourceEndpoint } from './bind.js';
import type { PortSpec } from '../common/port.js';

export interface TopoNetwork {
  host: string;
  id: string;
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  /** macvlan/ipvlan parent NIC. */
  parent?: string;
  internal: boolean;
  /** Containers on a bridge may talk to each other (false: com.docker.network.bridge.enable_icc=false). */
  icc: boolean;
  /** Set when the engine does not keep this bridge apart from the host's others (NetworkInfo's). */
  notIsolated?: string;
  /** Whether the engine runs a name server on it (Podman's dns_enabled); absent on Docker. */
  dns?: boolean;
}

/** One of a container's addressed interfaces (see bind.ts). */
export type TopoEndpoint = SourceEndpoint;

export interface TopoContainer {
  host: string;
  id: string;
  name: string;
  image: string;
  running: boolean;
  /**
   * Its main process on its host, as its engine reported it (absent when not running or unknown):
   * where the host can read its /proc/net without an exec (src/probe/host-listening.ts).
   */
  pid?: number;
  scenario?: string;
  endpoints: TopoEndpoint[];
  /**
   * False when the container is only known from the scenario (its host could not be inspected, or it
   * is not deployed): it is shown, but nothing is probed from or to it.
   */
  observed: boolean;
  /** Why it cannot take part, when it cannot (host unreachable, not deployed, not running). */
  unavailable?: string;
  /** Ports it listens on beyond loopback (its /proc/net/tcp, tcp6, udp, udp6); undefined: not read. */
  listening?: ListeningPort[];
  /** Why `listening` could not be read, when it could not. */
  listeningUnknown?: string;
  /** Its published ports: the host's `hostPort` leads to the container's `port`. */
  published?: PublishedPort[];
  /** Its labels (what `--select` and a policy choose containers by). */
  labels?: Readonly<Record<string, string>>;
  /**
   * Not made by lab (found by `--select`): lab only reads it, never execs in it or changes it; its
   * probes run in probers of their own.
   */
  foreign?: boolean;
  /**
   * Not a container: the host's own network namespace, a source only (`HOST_SOURCE_NAME`), which
   * probes the ports other hosts publish, as another machine on the hosts' network would.
   */
  hostSource?: boolean;
  /** Not a container: this machine, from the inventory's outside address (src/probe/outside.ts). */
  outsideSource?: boolean;
}

/** The name of a host's own source row: "(host)@server2". */
export const HOST_SOURCE_NAME = '(host)';

export function hostSource(host: string): TopoContainer {
  return {
    host,
    id: '',
    name: HOST_SOURCE_NAME,
    image: '',
    running: true,
    endpoints: [],
    observed: true,
    hostSource: true,
  };
}

export interface ListeningPort extends PortSpec {
  /** Set when the socket is bound to one address rather than to all of them. */
  address?: string;
}

export interface PublishedPort extends PortSpec {
  hostPort: number;
  /** Set when published on one host address only (`-p 127.0.0.1:8080:80`). */
  hostIp?: string;
}

export interface TopoHost {
  name: string;
  /** The inventory address: what lab connects to, and the host's own address as a probe target. */
  address: string;
  /** Set when the host could not be inspected; its containers are then unobserved. */
  error?: LabError;
  networks: TopoNetwork[];
  containers: TopoContainer[];
}

export interface Topology {
  hosts: TopoHost[];
}

/** Drivers whose networks are layer-2 segments shared by hosts through a parent NIC. */
export const PARENT_DRIVERS: ReadonlySet<string> = new Set(['macvlan', 'ipvlan']);

/**
 * The layer-2 segment an endpoint is on. Two endpoints on the same segment talk directly.
 * - bridge (and any local driver): the one bridge on that host;
 * - macvlan/ipvlan: the same network name, subnet and parent NIC on every host that has it (lab
 *   creates them identically; the parents are assumed cabled to one switch, as in the seed);
 * - overlay: the swarm network, whatever host.
 */
export function segmentOf(net: TopoNetwork): string {
  if (net.driver === 'overlay') return `overlay|${net.id || net.name}`;
  if (PARENT_DRIVERS.has(net.driver) && net.parent) {
    return `${net.driver}|${net.name}|${net.subnet ?? ''}|${net.parent}`;
  }
  return `local|${net.host}|${net.id || net.name}`;
}

export function findNetwork(
  topology: Topology,
  host: string,
  name: string,
): TopoNetwork | undefined {
  return topology.hosts.find((h) => h.name === host)?.networks.find((n) => n.name === name);
}

export function allContainers(topology: Topology): TopoContainer[] {
  return topology.hosts.flatMap((h) => h.containers);
}

/** "vm4@server1": how a container is named in the matrix and in JSON. */
export function containerKey(c: { name: string; host: string }): string {
  return `${c.name}@${c.host}`;
}
