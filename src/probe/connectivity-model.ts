/** What `lab check connectivity` takes and gives: its inputs, per-host and per-cell results. */
import type { CallCounts } from '../docker/counting-client.js';
import type { LabError } from '../common/errors.js';
import type { SshTarget } from '../ssh/target.js';
import type { Scenario } from '../scenario/model.js';
import type { BuiltMatrix } from './build-matrix.js';
import type { MatrixCell } from './matrix-model.js';
import type { Outcome } from './outcome.js';
import type { ProbeSettings } from './probe-sources.js';

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
  network?: string;
  sourceHosts?: readonly string[];
  names: boolean;
  /** Hosts connected and inspected at once. */
  hostConcurrency: number;
}

export interface HostCheck {
  host: string;
  address: string;
  probeImage: string;
  error?: LabError;
  /** Containers lab deployed there (observed). */
  containers: number;
}

export interface CellResult {
  cell: MatrixCell;
  outcome: Outcome;
  reached?: boolean;
  /** For name probes: whether the name resolved. */
  resolved?: boolean;
  /** The address (or name) actually probed. */
  address: string;
  iface?: string;
  attempts: number;
  durationMs: number;
  /** What was seen, in words; for an ERROR, why the probe could not run. */
  observed: string;
  /** The command that repeats the probe, to run on the source's host. */
  command: string;
  /** The same with the ssh in front. */
  reproduce: string;
}

export interface ConnectivityReport {
  hosts: HostCheck[];
  matrix: BuiltMatrix;
  results: CellResult[];
  /** pass: every cell as expected; fail: some cell the opposite; error: a host or probe error. */
  verdict: 'pass' | 'fail' | 'error';
  durationMs: number;
  phases: { discoverMs: number; probeMs: number };
  /** Engine operations by name, all hosts together. */
  dockerCalls: CallCounts;
  /** Probers started (one per source container that had something to probe). */
  probers: number;
}
