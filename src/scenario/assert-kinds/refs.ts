/**
 * The values assertion kinds share after resolution: references to what only the hosts know (a subnet
 * Docker picked, a gateway), the operations Docker must refuse, facts, rules, and the seed's claim.
 */
import type { NetworkSpec } from '../network-spec.js';

/** An interface address: a literal, the gateway of a network, or any address within one. */
export type AddressRef =
  | { kind: 'literal'; address: string; prefixLength?: number }
  | { kind: 'gateway_of'; network: string }
  | { kind: 'in'; network: string };

/** A subnet: a literal (or a single address), or the subnet of a network as Docker reports it. */
export type SubnetRef = { kind: 'literal'; cidr: string } | { kind: 'subnet_of'; network: string };

/** An address on a network: literal, or a host number of a subnet only known at run time. */
export type StaticAddress = { ipv4: string } | { hostNumber: number };

export interface FailingRun {
  op: 'run';
  name: string;
  image: string;
  networks: ({ network: string } & Partial<StaticAddress>)[];
  command?: string[];
  publish?: string[];
}

export interface FailingNetwork {
  op: 'create_network';
  network: Omit<NetworkSpec, 'hosts'>;
}

export interface FailingConnect {
  op: 'connect';
  network: string;
  container: string;
  address?: StaticAddress;
}

export type FailingOp = FailingRun | FailingNetwork | FailingConnect;

export interface NetworkFacts {
  driver?: string;
  subnet?: string;
  /** A literal address, or a host number of the subnet Docker reports (1 = its first host). */
  gateway?: StaticAddress;
  parent?: string;
  scope?: 'local' | 'swarm';
  attachable?: boolean;
}

export interface InterfaceFacts {
  address?: AddressRef;
  up?: boolean;
  promisc?: boolean;
  /**
   * Of a bridge network's bridge: the containers whose veth on the network is a port of it (those on
   * the host it is checked on), and no more ports than Docker lists containers there (the seed's 二.5).
   */
  veths?: string[];
}

export interface RuleSpec {
  target: string;
  source?: SubnetRef;
  destination?: SubnetRef;
  protocol?: 'tcp' | 'udp' | 'icmp';
  dport?: number;
  /** DNAT destination: the container's address on the network, and the port. */
  to?: { container: string; network: string; port: number };
}

/**
 * A claim of the seed that an expectation or assertion checks (`seed:`; docs/seed-claims.md). When
 * the hosts do not bear it out, the result is DIFFERS FROM THE SEED: what the seed says beside what
 * this Docker did, neither a pass nor a failure of the lab.
 */
export interface SeedClaim {
  /** The seed's section, as docs/seed.md numbers it: "二.6", "三", "五.1". */
  section: string;
  /** The claim, in English. */
  says: string;
  /** The seed's own words, quoted briefly. */
  words?: string;
}
