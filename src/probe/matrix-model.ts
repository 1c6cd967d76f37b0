/**
 * The reachability matrix: sources (containers) × targets, one cell per pair with what is expected
 * and why. Built by build-matrix.ts, probed by connectivity.ts, rendered by src/report.
 */
import { containerKey, type TopoContainer } from './topology.js';
import type { PortSpec } from '../common/port.js';
import type { SeedClaim } from '../scenario/model-assert.js';

export type TargetKind = 'container' | 'gateway' | 'host' | 'name' | 'address';

export interface MatrixTarget {
  /** Unique within the matrix: "addr:vm5@server2/mac_net1", "gw:…", "host:server1", "name:vm5@server2". */
  key: string;
  kind: TargetKind;
  /** Short, for the matrix key: "vm5 198.19.1.11", "gateway 198.19.1.1", "server1 198.18.0.1". */
  label: string;
  /** What a probe aims at: an address, or a container name (kind name). */
  address: string;
  network?: string;
  driver?: string;
  /** The container's (container, name) or the host's own (host) or, for a local network's gateway, its host. */
  host?: string;
  container?: string;
  /** The layer-2 segment of a container address or gateway (topology.ts segmentOf). */
  segment?: string;
  /**
   * A port on the address (kinds container, host, address): the cell connects to it (TCP) or sends
   * it a datagram (UDP) instead of pinging. Derived for ports a container listens on and for
   * published ports on hosts' addresses.
   */
  port?: PortSpec;
  /** For a published port on a host's address: the container that publishes it (containerKey). */
  publishedBy?: string;
  /** A column only a scenario's expectation asked for: no cell is derived for it. */
  scenarioOnly?: boolean;
}

export type Expect = 'reach' | 'no-reach';

export interface Expectation {
  expect: Expect;
  reason: string;
}

export interface MatrixCell {
  /** "vm4@server1 → addr:vm5@server2/mac_net1". */
  id: string;
  /** containerKey of the source. */
  source: string;
  /** MatrixTarget.key. */
  target: string;
  expect: Expect;
  reason: string;
  /**
   * derived: from the topology; scenario: the scenario's own expectation; policy: a policy file's
   * (the reason then names its file and line).
   */
  origin: 'derived' | 'scenario' | 'policy';
  /** The seed's claim the scenario's expectation checks (`seed:`): not borne out, it is DIFFERS. */
  seed?: SeedClaim;
  /** Set when the cell cannot be probed (host down, container gone): it is an ERROR, never a verdict. */
  blocked?: string;
}

export interface Matrix {
  sources: TopoContainer[];
  targets: MatrixTarget[];
  cells: MatrixCell[];
}

/** A matrix's sources (by containerKey) and targets (by key), to look its cells' ends up. */
export interface MatrixIndex {
  sources: ReadonlyMap<string, TopoContainer>;
  targets: ReadonlyMap<string, MatrixTarget>;
}

export function indexMatrix(matrix: Matrix): MatrixIndex {
  return {
    sources: new Map(matrix.sources.map((c) => [containerKey(c), c])),
    targets: new Map(matrix.targets.map((t) => [t.key, t])),
  };
}
