/** What `lab check connectivity` takes and gives: its inputs, per-host and per-cell results. */
import type { CallCounts } from '../docker/counting-client.js';
import type { LabError } from '../common/errors.js';
import type { SshTarget } from '../ssh/target.js';
import type { Scenario } from '../scenario/model.js';
import type { Policy } from '../scenario/policy.js';
import type { ContainerSelector } from '../scenario/selector.js';
import type { BuiltMatrix } from './build-matrix.js';
import type { CellResult } from './probe-result.js';
import type { ProbeSettings } from './probe-sources.js';
import type { TopoNetwork } from './topology.js';
import type { PortSelection } from './port-targets.js';
import type { HostNic } from './host-nics.js';

import type { OutsideSource } from './outside.js';
export type { CellResult };

export interface CheckHost {
  target: SshTarget;
  /** The image probers run on this host. */
  probeImage: string;
}

/** The probers' settings (ping timeout, wait, run id, probers per host, clocks), and the check's own. */
export interface ConnectivityOptions extends ProbeSettings {
  /** Only containers of this scenario (label lab.scenario). */
  scenarioName?: string;
  /** The scenario's file, resolved: its expectations override the derived ones. */
  scenario?: Scenario;
  /** Containers chosen by label, name or network (`--select`), lab's or not, instead of lab's own. */
  select?: readonly ContainerSelector[];
  /** A policy file's expectations, over the derived ones (and the scenario's). */
  policy?: Policy;
  network?: string;
  sourceHosts?: readonly string[];
  names: boolean;
  /** Which port cells to derive (default none). */
  ports?: PortSelection;
  /** Hosts connected and inspected at once. */
  hostConcurrency: number;
  /** The inventory's outside address: published ports probed from it (src/probe/outside.ts). */
  outside?: OutsideSource;
}

export interface HostCheck {
  host: string;
  address: string;
  probeImage: string;
  error?: LabError;
  /** Containers lab deployed there (observed). */
  containers: number;
  /** The Docker Engine's version ("20.10.24"), when it answered. */
  engine?: string;
  /** The parent NICs of its macvlan/ipvlan networks with their flags, when `ip link` could be read. */
  nics?: HostNic[];
}

export interface ConnectivityReport {
  hosts: HostCheck[];
  /** Every network found on the hosts (what the picture of the check draws). */
  networks: TopoNetwork[];
  matrix: BuiltMatrix;
  results: CellResult[];
  /**
   * pass: every cell as expected; differs: as expected but for claims of the seed this Docker does
   * not bear out; fail: some cell the opposite; error: a host or probe error.
   */
  verdict: 'pass' | 'differs' | 'fail' | 'error';
  durationMs: number;
  phases: { discoverMs: number; probeMs: number };
  /** Engine operations by name, all hosts together. */
  dockerCalls: CallCounts;
  /** Probers started (one per source container that had something to probe). */
  probers: number;
}
