/**
 * `lab check connectivity`: connect to every host at once, find what lab deployed, derive the
 * matrix with its expectations, probe every cell from its source's own namespace, judge.
 */
import type { CallCounts } from '../docker/counting-client.js';
import { closeAll, engineFoundDown, type Connector, type HostSession } from '../host/session.js';
import { lostHosts, markLost } from '../host/lost.js';
import { buildMatrix } from './build-matrix.js';
import { cellResults } from './cell-results.js';
import type {
  CellResult,
  CheckHost,
  ConnectivityOptions,
  ConnectivityReport,
} from './connectivity-model.js';
import { inspectHosts } from './inspect-hosts.js';
import { indexMatrix } from './matrix-model.js';
import { buildProbeJobs } from './probe-jobs.js';
import { probeSources, type SourceResult } from './probe-sources.js';
import { withScenario } from './scenario-topology.js';
import { outsideSource, probeFromOutside } from './outside.js';
import { containerKey, type Topology } from './topology.js';

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
  try {
    const inspected = await inspectHosts(
      hosts,
      connect,
      { sessions, counts },
      {
        concurrency: options.hostConcurrency,
        wallNow,
        ...(options.scenarioName !== undefined && { scenarioName: options.scenarioName }),
        ...(options.signal && { signal: options.signal }),
        listening: options.ports?.listening === true,
        ...(options.select && { select: options.select }),
      },
    );
    let topology: Topology = { hosts: inspected.map((i) => i.topo) };
    if (options.scenario) topology = withScenario(topology, options.scenario);
    const hostChecks = inspected.map((i) => i.check);
    const matrix = buildMatrix(topology, {
      names: options.names,
      ...(options.ports && { ports: options.ports }),
      ...(options.network !== undefined && { network: options.network }),
      ...(options.sourceHosts && { sourceHosts: options.sourceHosts }),
      ...(options.scenario && { scenario: options.scenario }),
      ...(options.policy && { policy: options.policy }),
      ...(options.ports?.published && {
        hostSources: topology.hosts.filter((h) => !h.error).map((h) => h.name),
      }),
      ...(options.outside && {
        outside: {
          address: options.outside.address,
          ...('notChecked' in options.outside && { notChecked: options.outside.notChecked }),
        },
      }),
    });
    const discovered = now();

    const { results, hostErrors, probers } = await probeMatrix(
      hosts,
      hostChecks,
      matrix,
      sessions,
      {
        ...options,
        now,
        wallNow,
      },
    );
    await withDockerOfDiffering(results, sessions);
    const verdict = verdictOf(hostErrors, results);
    const ended = now();
    return {
      hosts: hostChecks,
      networks: topology.hosts.flatMap((h) => h.networks),
      matrix,
      results,
      verdict,
      durationMs: Math.round(ended - started),
      phases: {
        discoverMs: Math.round(discovered - started),
        probeMs: Math.round(ended - discovered),
      },
      dockerCalls: counts,
      probers,
    };
  } finally {
    await closeAll(sessions.values());
  }
}

/** Probes every cell of the matrix from its source's prober and judges the results. */
async function probeMatrix(
  hosts: readonly CheckHost[],
  hostChecks: ConnectivityReport['hosts'],
  matrix: ConnectivityReport['matrix'],
  sessions: ReadonlyMap<string, HostSession>,
  options: ConnectivityOptions & { now: () => number; wallNow: () => number },
): Promise<{ results: CellResult[]; hostErrors: Map<string, string>; probers: number }> {
  const imageOf = new Map(hosts.map((h) => [h.target.host, h.probeImage]));
  const hostErrors = new Map(
    hostChecks.flatMap((h) => (h.error ? [[h.host, h.error.message] as const] : [])),
  );
  const index = indexMatrix(matrix);
  const { jobs, tagOf } = buildProbeJobs(
    matrix,
    index,
    sessions,
    imageOf,
    new Set(hostErrors.keys()),
    // Lost during discovery: cells towards it are not probed, they are marked lost below.
    new Set(lostHosts(sessions.values()).keys()),
  );
  const outside = options.outside;
  const [probed, fromOutside] = await Promise.all([
    probeSources([...jobs.values()], options),
    outside && 'prober' in outside ? probeFromOutside(matrix, index, outside, options) : undefined,
  ]);
  const bySource = new Map<string, Pick<SourceResult, 'lines' | 'error'>>(
    // By the matrix's key: a host's own row's prober is named after the host, not "(host)".
    probed.map((r) => [
      r.job.key ?? containerKey({ name: r.job.source.name, host: r.job.host }),
      r,
    ]),
  );
  if (outside && fromOutside) {
    bySource.set(containerKey(outsideSource(outside.address)), { lines: fromOutside.lines });
    for (const [cell, tag] of fromOutside.tagOf) tagOf.set(cell, tag);
  }
  const cells = cellResults({
    matrix,
    index,
    probed: bySource,
    tagOf,
    hostErrors,
    imageOf,
    targetOf: new Map(hosts.map((h) => [h.target.host, h.target])),
    timeoutSeconds: options.timeoutSeconds,
  });
  // A host lost while probing is named as lost in every cell it takes part in, never as a probe;
  // so is an engine that died under its probers ("Docker is not running on server2").
  const lost = lostHosts(sessions.values());
  for (const [host, why] of await enginesDown(probed, sessions))
    if (!lost.has(host)) lost.set(host, why);
  for (const [host, why] of lost) hostErrors.set(host, `${why} during the probes`);
  const results = markLost(
    cells,
    lost,
    'the probes',
    (r) => [index.sources.get(r.cell.source)?.host, index.targets.get(r.cell.target)?.host],
    (r, evidence) => ({ ...r, outcome: 'error' as const, evidence }),
  );
  return { results, hostErrors, probers: jobs.size };
}

/** Hosts whose probers failed because their Docker Engine is found dead, with the words for it. */
async function enginesDown(
  probed: readonly SourceResult[],
  sessions: ReadonlyMap<string, HostSession>,
): Promise<Map<string, string>> {
  const failed = new Map<string, unknown>();
  for (const r of probed) if (r.error && !failed.has(r.job.host)) failed.set(r.job.host, r.error);
  const down = new Map<string, string>();
  for (const [host, err] of failed) {
    const session = sessions.get(host);
    const why = session ? await engineFoundDown(session, err) : undefined;
    if (why) down.set(host, why.message);
  }
  return down;
}

/**
 * The Docker release beside each cell of a claim of the seed that it does not bear out (the seed's
 * word against this release's): one version call per source host that has such a cell.
 */
async function withDockerOfDiffering(
  results: CellResult[],
  sessions: ReadonlyMap<string, HostSession>,
): Promise<void> {
  const hostOf = (r: CellResult) => r.cell.source.split('@')[1] ?? '';
  const hosts = [...new Set(results.filter((r) => r.outcome === 'differs').map(hostOf))];
  const versions = new Map(
    await Promise.all(
      hosts.map(
        async (h) =>
          [
            h,
            await sessions
              .get(h)
              ?.docker.version()
              .then(
                (v) => v.version,
                () => undefined,
              ),
          ] as const,
      ),
    ),
  );
  for (const r of results) {
    const v = r.outcome === 'differs' ? versions.get(hostOf(r)) : undefined;
    if (v !== undefined) r.docker = v;
  }
}

function verdictOf(
  hostErrors: ReadonlyMap<string, string>,
  results: readonly CellResult[],
): ConnectivityReport['verdict'] {
  return hostErrors.size > 0 || results.some((r) => r.outcome === 'error')
    ? 'error'
    : results.some((r) => r.outcome === 'fail')
      ? 'fail'
      : results.some((r) => r.outcome === 'differs')
        ? 'differs'
        : 'pass';
}
