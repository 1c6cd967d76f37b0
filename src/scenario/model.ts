/**
 * A scenario after loading, schema validation, variable substitution and semantic checks: every
 * value is concrete (addresses are addresses, host selectors are resolved to inventory host names).
 * The YAML shape is documented in docs/scenario-format.md and enforced by src/scenario/schema.ts.
 */
import type { AssertionSpec, SeedClaim, SwarmSpec } from './model-assert.js';
import type { NetworkSpec } from './network-spec.js';
import type { PortSpec } from '../common/port.js';

export type * from './model-assert.js';
export type { NetworkSpec } from './network-spec.js';
export type { PortSpec } from '../common/port.js';
export { DEFAULT_BRIDGE } from '../docker/bridge.js';

export interface Scenario {
  name: string;
  description: string;
  /** The YAML file it came from. */
  file: string;
  /** Inventory host names taking part, in inventory order. */
  hosts: string[];
  /** The variables in force after defaults < inventory [all:vars] < --var. */
  vars: Record<string, string>;
  nics: NicSpec[];
  networks: NetworkSpec[];
  containers: ContainerSpec[];
  expectations: ExpectationSpec[];
  /** Claims beyond ping (docs/scenario-format.md, `assert:`). */
  assertions?: AssertionSpec[];
  /** Set when the scenario needs a Docker swarm across its hosts (overlay networks). */
  swarm?: SwarmSpec;
}

export interface NicSpec {
  /** Inventory host names this preparation applies to. */
  hosts: string[];
  interface: string;
  /** Set the promiscuous flag on (true) or off (false); leave as is when undefined. */
  promisc?: boolean;
  /** Bring the link up. */
  up?: boolean;
  /** Create `interface` as an 802.1Q sub-interface of parent with this VLAN id, if absent. */
  vlan?: { parent: string; id: number };
}

export interface ContainerNetworkSpec {
  network: string;
  /** Static IPv4 address, already resolved (an offset like `10` in YAML becomes subnet + 10). */
  ipv4?: string;
}

export interface ContainerSpec {
  name: string;
  /** Inventory host name. */
  host: string;
  image: string;
  /** The first is the network the container is created on; the rest are `docker network connect`ed. */
  networks: ContainerNetworkSpec[];
  command?: string[];
  publish?: string[];
}

/** What a probe aims at; with `port`, a connection to that port instead of a ping. */
export type TargetSpec =
  /** A container's address; on `network` if given, else on a network it shares with the source. */
  | { kind: 'container'; container: string; network?: string; port?: PortSpec }
  /** A network's gateway address (nothing answers there for macvlan). */
  | { kind: 'gateway'; network: string }
  /** A host's own address (its inventory address); with a port, a published port seen from elsewhere. */
  | { kind: 'host'; host: string; port?: PortSpec }
  /** A literal IPv4 address. */
  | { kind: 'address'; address: string; port?: PortSpec };

export interface ExpectationSpec {
  /** Source container name. */
  from: string;
  to: TargetSpec;
  reach: boolean;
  /** Why, in words: printed with the verdict. */
  reason: string;
  /** The seed's claim it checks: not bearing it out is DIFFERS FROM THE SEED, not FAIL. */
  seed?: SeedClaim;
  /** Where it was written, for messages. */
  line?: number;
}
