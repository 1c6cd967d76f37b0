/**
 * Assertions and the swarm after resolution: every host named, every address that can be known before
 * the run computed. What only the hosts know (the subnet Docker picked, a bridge's interface name, a
 * container's address) stays a reference, resolved by the run.
 */
import type { KIND_DEFS } from './assert-kinds/index.js';
import type { AssertionCommon, ResolvedOf } from './assert-kinds/kind.js';

export interface SwarmSpec {
  /** The inventory host that initialises the swarm and holds the overlay networks. */
  manager: string;
  /** The other scenario hosts, joined as workers. */
  workers: string[];
  /** `--default-addr-pool`, used only when lab creates the swarm. */
  addressPool?: string;
  /** `--default-addr-pool-mask-length`. */
  poolSize?: number;
}

export type {
  AddressRef,
  FailingConnect,
  FailingNetwork,
  FailingOp,
  FailingRun,
  InterfaceFacts,
  NetworkFacts,
  RuleSpec,
  SeedClaim,
  StaticAddress,
  SubnetRef,
} from './assert-kinds/refs.js';
export type { AssertionCommon } from './assert-kinds/kind.js';

/** A resolved assertion: its kind's resolved claim (assert-kinds/, one module each) and the common keys. */
export type AssertionSpec = AssertionCommon & ResolvedOf<(typeof KIND_DEFS)[number]>;

export type AssertionKind = AssertionSpec['kind'];
