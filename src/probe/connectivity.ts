/**
 * `lab check connectivity`: connect to every host at once, find what lab deployed, derive the
 * matrix with its expectations, probe every cell from its source's own namespace, judge.
 */
import PQueue from 'p-queue';
import { countingClient, type CallCounts } from '../docker/counting-client.js';
import { isLabError, LabError } from '../errors.js';
import type { SshTarget } from '../plan/model.js';
import { closeAll, type Connector, type HostSession } from '../run/session.js';
import type { Scenario } from '../scenario/model.js';
import { chooseEndpoint, bindingOf } from './bind.js';
import { buildMatrix, type BuiltMatrix } from './build-matrix.js';
import { discoverHost } from './discover.js';
import type { MatrixCell, MatrixTarget } from './matrix-model.js';
import { describeObservation, judge, type Outcome } from './outcome.js';
import type { ProbeLine, ProbeSpec } from './probe-script.js';
import { probeSources, type SourceJob, type SourceResult } from './probe-sources.js';
import { probeCommand, sshCommand } from './reproduce.js';
import { withScenario } from './scenario-topology.js';
import { containerKey, type TopoContainer, type TopoHost, type Topology } from './topology.js';

export interface CheckHost {
  target: SshTarget;
  /** The image probers run on this host. */
  probeImage: string;
}

export interface ConnectivityOptions {
  /** Only containers of this scenario (label lab.scenario). */
  scenarioName?: string;
  /** The scenario's file, resolved: its expectations override the derived ones. */
  scenario?: Scenario;
  network?: string;
  sourceHosts?: readonly string[];
  names: boolean;
  /** Reply timeout of one ping, seconds. */
  timeoutSeconds: number;
  /** How long "must reach" cells keep trying, ms. */
  waitMs: number;
  /** Hosts connected and inspected at once. */
  hostConcurrency: number;
  /** Probers at once per host. */
  perHost: number;
  runId: string;
  signal?: AbortSignal;
  /** Monotonic clock, ms (default performance.now). */
  now?: () => number;
  /** Wall clock, epoch ms (default Date.now): probers carry the time until which they may live. */
  wallNow?: () => number;
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

export async function checkConnectivity(
  hosts: readonly CheckHost[],
  connect: Connector,
  options: ConnectivityOptions,
): Promise<ConnectivityReport> {
  const now = options.now ?? (() => performance.now());
  const wallNow = options.wallNow ?? Date.now;
  const started = now();
  const counts: CallCounts = {};
  const sessions = new Map<string, HostSession>();
  const queue = new PQueue({ concurrency: options.hostConcurrency });
  try {
    const seen = await Promise.all(
      hosts.map((h) =>
        queue.add(async (): Promise<{ topo: TopoHost; check: HostCheck }> => {
          const base = { name: h.target.host, address: h.target.address };
          const check: HostCheck = {
            host: h.target.host,
            address: h.target.address,
            probeImage: h.probeImage,
            containers: 0,
          };
          try {
            if (options.signal?.aborted) throw new LabError('aborted', 'interrupted');
            const s = await connect(h.target);
            const session = { ...s, docker: countingClient(s.docker, counts) };
            sessions.set(h.target.host, session);
            const [found, hasImage] = await Promise.all([
              discoverHost(session.docker, base, {
                ...(options.scenarioName !== undefined && { scenario: options.scenarioName }),
                now: wallNow(),
              }),
              session.docker.imageExists(h.probeImage),
            ]);
            const topo = found.host;
            // Left behind by a run that was killed (a prober created but never started): remove.
            await Promise.all(found.leftovers.map((c) => session.docker.removeContainer(c.id)));
            check.containers = topo.containers.length;
            if (!hasImage) {
              check.error = new LabError(
                'remote',
                `${h.target.host}: the probe image ${h.probeImage} is not there`,
                {
                  host: h.target.host,
                  command: `docker image inspect ${h.probeImage}`,
                  hint: 'pull it on the host, or pass --probe-image with an image the host has (busybox-based)',
                },
              );
            }
            return { topo, check };
          } catch (err) {
            check.error = asLabError(err, h.target.host);
            return { topo: { ...base, error: check.error, networks: [], containers: [] }, check };
          }
        }),
      ),
    );
    let topology: Topology = { hosts: seen.map((s) => s.topo) };
    if (options.scenario) topology = withScenario(topology, options.scenario);
    const hostChecks = seen.map((s) => s.check);
    const matrix = buildMatrix(topology, {
      names: options.names,
      ...(options.network !== undefined && { network: options.network }),
      ...(options.sourceHosts && { sourceHosts: options.sourceHosts }),
      ...(options.scenario && { scenario: options.scenario }),
    });
    const discovered = now();

    const targets = new Map(matrix.targets.map((t) => [t.key, t]));
    const sources = new Map(matrix.sources.map((c) => [containerKey(c), c]));
    const imageOf = new Map(hosts.map((h) => [h.target.host, h.probeImage]));
    const hostErrors = new Map(hostChecks.filter((h) => h.error).map((h) => [h.host, h.error]));

    // One job per source: every probe it must make.
    const tagOf = new Map<MatrixCell, string>();
    const jobs = new Map<string, { job: SourceJob; tags: Map<string, MatrixCell> }>();
    for (const cell of matrix.cells) {
      const source = sources.get(cell.source);
      const target = targets.get(cell.target);
      const session = source && sessions.get(source.host);
      if (!source || !target || !session || cell.blocked || hostErrors.has(source.host)) continue;
      let entry = jobs.get(cell.source);
      if (!entry) {
        entry = {
          job: {
            host: source.host,
            docker: session.docker,
            source: { id: source.id, name: source.name },
            image: imageOf.get(source.host) ?? '',
            specs: [],
          },
          tags: new Map(),
        };
        jobs.set(cell.source, entry);
      }
      const tag = String(entry.tags.size + 1);
      entry.tags.set(tag, cell);
      tagOf.set(cell, tag);
      entry.job.specs.push(specFor(tag, cell, source, target));
    }
    const probed = await probeSources(
      [...jobs.values()].map((j) => j.job),
      {
        timeoutSeconds: options.timeoutSeconds,
        waitMs: options.waitMs,
        runId: options.runId,
        perHost: options.perHost,
        ...(options.signal && { signal: options.signal }),
        now,
        wallNow,
      },
    );
    const bySource = new Map<string, { result: SourceResult; tags: Map<string, MatrixCell> }>();
    for (const r of probed) {
      const key = containerKey({ name: r.job.source.name, host: r.job.host });
      const entry = jobs.get(key);
      if (entry) bySource.set(key, { result: r, tags: entry.tags });
    }

    const targetOfHost = new Map(hosts.map((h) => [h.target.host, h.target]));
    const results = matrix.cells.map((cell): CellResult => {
      const source = sources.get(cell.source);
      const target = targets.get(cell.target);
      const kind = target?.kind === 'name' ? 'name' : 'ip';
      const entry = bySource.get(cell.source);
      const tag = tagOf.get(cell);
      const line: ProbeLine | undefined = tag ? entry?.result.lines.get(tag) : undefined;
      const command = probeCommand({
        container: source?.name ?? cell.source,
        image: imageOf.get(source?.host ?? '') ?? '',
        kind,
        dest: target?.address ?? '',
        ...(line?.iface && { iface: line.iface }),
        timeoutSeconds: options.timeoutSeconds,
      });
      const base = {
        cell,
        address: target?.address ?? '',
        command,
        reproduce: sshCommand(targetOfHost.get(source?.host ?? ''), command),
      };
      const why =
        cell.blocked ??
        (source && hostErrors.get(source.host)?.message) ??
        (!line && entry?.result.error ? entry.result.error.message : undefined);
      if (why !== undefined && !line) {
        return { ...base, outcome: 'error', attempts: 0, durationMs: 0, observed: why };
      }
      const judged = judge(cell.expect, line);
      return {
        ...base,
        outcome: judged.outcome,
        ...(judged.reached !== undefined && { reached: judged.reached }),
        ...(line?.resolved !== undefined && { resolved: line.resolved }),
        ...(line?.iface && { iface: line.iface }),
        attempts: line?.attempts ?? 0,
        durationMs: line?.durationMs ?? 0,
        observed: describeObservation(line, kind),
      };
    });
    const verdict =
      hostChecks.some((h) => h.error) || results.some((r) => r.outcome === 'error')
        ? 'error'
        : results.some((r) => r.outcome === 'fail')
          ? 'fail'
          : 'pass';
    const ended = now();
    return {
      hosts: hostChecks,
      matrix,
      results,
      verdict,
      durationMs: Math.round(ended - started),
      phases: {
        discoverMs: Math.round(discovered - started),
        probeMs: Math.round(ended - discovered),
      },
      dockerCalls: counts,
      probers: jobs.size,
    };
  } finally {
    await closeAll(sessions.values());
  }
}

function specFor(
  tag: string,
  cell: MatrixCell,
  source: TopoContainer,
  target: MatrixTarget,
): ProbeSpec {
  const mode = cell.expect === 'reach' ? 'retry' : 'once';
  if (target.kind === 'name') return { tag, mode, kind: 'name', dest: target.address };
  const endpoint = chooseEndpoint(source.endpoints, {
    ...((target.kind === 'container' || target.kind === 'gateway') &&
      target.network !== undefined && { network: target.network }),
    address: target.address,
  });
  return { tag, mode, kind: 'ip', dest: target.address, ...bindingOf(endpoint) };
}

function asLabError(err: unknown, host: string): LabError {
  if (isLabError(err)) return err;
  return new LabError(
    'host',
    err instanceof Error ? err.message : String(err),
    { host },
    { cause: err },
  );
}
