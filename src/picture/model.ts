/**
 * What a picture of a lab shows, as plain data: the topology (hosts, their NICs, Docker networks and
 * containers) and the reachability matrix with every cell's expectation, reason, observation and the
 * command that repeats it. Built from lab's JSON report documents (report-documents.ts) or from a
 * plan (from-plan.ts); drawn by svg.ts, mermaid.ts, dot.ts and html.ts. No vendor types.
 */

/** 'differs': a claim of the seed that this Docker did not bear out (docs/exit-codes.md). */
export type Outcome = 'pass' | 'fail' | 'error' | 'differs';

export interface PicNic {
  name: string;
  /** "promisc", "up", "vlan 1 on eth0": what lab set or found. */
  flags: string[];
  /** For a VLAN sub-interface (eth0.1): the NIC it rides on and its tag. */
  vlan?: { parent: string; id: number };
}

export interface PicNetwork {
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  /** macvlan/ipvlan parent NIC. */
  parent?: string;
  internal?: boolean;
}

export interface PicAttachment {
  network: string;
  /** Known when static, or once Docker gave it (a report); absent in a plan for a dynamic address. */
  address?: string;
}

export interface PicContainer {
  name: string;
  image?: string;
  networks: PicAttachment[];
  /** Published ports as `docker run -p` has them ("8080:80"). */
  ports: string[];
  /** Why it took no part (not running, host down), when it did not. */
  unavailable?: string;
}

export interface PicHost {
  name: string;
  /** The inventory address. */
  address?: string;
  /** The engine and its version ("Docker 20.10.24", "Podman 4.3.1"), when the report has them. */
  engine?: string;
  nics: PicNic[];
  networks: PicNetwork[];
  containers: PicContainer[];
  /** Why the host failed, when it did. */
  error?: string;
}

/** The shape written into `lab run --json` as `topology` (docs/exit-codes.md). */
export interface PicTopology {
  hosts: PicHost[];
}

export type TargetKind = 'container' | 'gateway' | 'host' | 'name' | 'address';

export interface PicTarget {
  key: string;
  kind: TargetKind;
  label: string;
  address?: string;
  network?: string;
  host?: string;
  container?: string;
}

export interface PicSource {
  /** "vm4@server1". */
  key: string;
  name: string;
  host: string;
}

export interface PicCell {
  source: string;
  target: string;
  expect: 'reach' | 'no-reach';
  reason: string;
  outcome: Outcome;
  /** The claim of the seed it checks, in words ("the seed (二.6) says: …"). */
  seed?: string;
  reached?: boolean;
  /** What was probed (an address, or a name). */
  address: string;
  observed: string;
  reproduce: string;
  durationMs?: number;
}

export interface PicMatrix {
  sources: PicSource[];
  targets: PicTarget[];
  cells: PicCell[];
}

export interface PicAssertion {
  claim: string;
  host: string;
  outcome: Outcome;
  reason: string;
  /** The claim of the seed it checks, in words ("the seed (二.6) says: …"). */
  seed?: string;
  evidence: string;
  command: string;
}

/** One scenario's run, or one connectivity check: a topology and its matrix. */
export interface PicSection {
  title: string;
  /** "lab run", "lab check connectivity". */
  source: string;
  verdict: Outcome | 'bad input' | 'interrupted';
  durationMs?: number;
  topology: PicTopology;
  matrix: PicMatrix;
  assertions: PicAssertion[];
  /** Timing and round trips, as label and value. */
  facts: [string, string][];
  /** Host failures and notes, one line each. */
  notes: string[];
}

export interface PicReport {
  title: string;
  verdict: Outcome | 'bad input' | 'interrupted';
  sections: PicSection[];
  /** `lab run --all`: one row per scenario. */
  summary?: { scenario: string; verdict: string; held: number; total: number; runMs: number }[];
  durationMs?: number;
}

/** "vm4@server1": how a container is named in the matrix (as src/probe has it). */
export function containerKey(c: { name: string; host: string }): string {
  return `${c.name}@${c.host}`;
}
