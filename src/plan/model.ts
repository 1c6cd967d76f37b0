/**
 * A plan: what runs where, in what order. Compiled from a Scenario and an Inventory without touching
 * any host, printable as the shell commands a person would type (`lab plan`), serialisable as JSON
 * (`lab plan --json`), and executed host by host in dependency order (`lab run`).
 */
import type { PlannedAssertion } from './assertion-model.js';
import type { SeedClaim } from '../scenario/model-assert.js';
import type { Labels } from '../docker/docker-client.js';
import type { NicSettings } from '../host/nic-state.js';
import type { SshTarget } from '../ssh/target.js';
import type { PortSpec } from '../common/port.js';

interface StepBase {
  /** Unique within the plan: "server1/nic/eth0", "server1/network/mac_net1", "server1/container/vm4". */
  id: string;
  host: string;
  /** Ids of steps on the same host that must be done first. */
  dependsOn: string[];
}

export interface NicStep extends StepBase, NicSettings {
  kind: 'nic';
}

export interface NetworkStep extends StepBase {
  kind: 'network';
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  options: Record<string, string>;
  attachable?: boolean;
  internal?: boolean;
  labels: Labels;
}

export interface ContainerStep extends StepBase {
  kind: 'container';
  name: string;
  image: string;
  command?: string[];
  /** Created on the first, connected to the rest in order. */
  networks: { network: string; ipv4?: string }[];
  publish?: string[];
  labels: Labels;
}

/**
 * Joins the host to the scenario's swarm: the manager initialises one (unless it is already in one),
 * workers join it. Only the overlay scenario has these.
 */
export interface SwarmStep extends StepBase {
  kind: 'swarm';
  role: 'manager' | 'worker';
  manager: string;
  /** Where workers reach the manager ("198.18.0.1:2377"). */
  managerAddress: string;
  /** This host's own address, advertised to the others. */
  advertiseAddress: string;
  addressPool?: string;
  poolSize?: number;
  /** Put on the manager node when lab creates the swarm: `lab down` dissolves only such a swarm. */
  labels: Labels;
}

export type Step = NicStep | NetworkStep | ContainerStep | SwarmStep;

export interface HostPlan {
  host: string;
  target: SshTarget;
  /** In a valid execution order (a topological order of dependsOn). */
  steps: Step[];
}

export interface ProbeTarget {
  kind: 'container' | 'gateway' | 'host' | 'address';
  /** What a person calls it: "vm4 on mac_net1", "gateway of mac_net1", "server1". */
  label: string;
  /** Empty when only known at run time (an address Docker assigns): the executor looks it up. */
  address: string;
  network?: string;
  /** For a container target: its name and the host it runs on. */
  container?: string;
  host?: string;
  /** Set: connect to this port (TCP or UDP) instead of pinging the address. */
  port?: PortSpec;
}

export interface PlannedCheck {
  id: string;
  from: { host: string; container: string };
  to: ProbeTarget;
  expect: 'reach' | 'no-reach';
  reason: string;
  /** The seed's claim it checks (scenario `seed:`). */
  seed?: SeedClaim;
}

export interface Plan {
  scenario: string;
  inventory: string;
  vars: Record<string, string>;
  hosts: HostPlan[];
  checks: PlannedCheck[];
  /** Claims beyond ping (src/assert); absent when the scenario makes none. */
  assertions?: PlannedAssertion[];
}
