/**
 * The matrix's cells, grouped into one job per source container: every probe its prober must make,
 * each tagged so that its result line finds its cell again. Blocked cells and sources on hosts that
 * failed get no probe.
 */
import type { HostSession } from '../host/session.js';
import { bindingOf, chooseEndpoint } from './bind.js';
import type { Matrix, MatrixCell, MatrixIndex, MatrixTarget } from './matrix-model.js';
import type { ProbeSpec } from './probe-script.js';
import type { SourceJob } from './probe-sources.js';
import type { TopoContainer } from './topology.js';

export interface ProbeJobs {
  /** By source key. */
  jobs: Map<string, SourceJob>;
  /** Each probed cell's tag within its source's job. */
  tagOf: Map<MatrixCell, string>;
}

export function buildProbeJobs(
  matrix: Matrix,
  { sources, targets }: MatrixIndex,
  sessions: ReadonlyMap<string, HostSession>,
  imageOf: ReadonlyMap<string, string>,
  failedHosts: ReadonlySet<string>,
  /** Hosts already lost: a probe towards them would only wait out its time (its cell says lost). */
  lostHosts: ReadonlySet<string> = new Set(),
): ProbeJobs {
  const jobs = new Map<string, SourceJob>();
  const tagOf = new Map<MatrixCell, string>();
  for (const cell of matrix.cells) {
    const source = sources.get(cell.source);
    const target = targets.get(cell.target);
    const session = source && sessions.get(source.host);
    if (!source || !target || !session || cell.blocked || failedHosts.has(source.host)) continue;
    if (lostHosts.has(source.host) || (target.host !== undefined && lostHosts.has(target.host)))
      continue;
    let job = jobs.get(cell.source);
    if (!job) {
      job = {
        key: cell.source,
        host: source.host,
        docker: session.docker,
        // A host's own row runs in a prober on the host's network, named after the host.
        source: source.hostSource
          ? { id: '', name: `host-${source.host}` }
          : { id: source.id, name: source.name },
        ...(source.hostSource && { networkMode: 'host' }),
        image: imageOf.get(source.host) ?? '',
        // Never an exec in a container lab did not make: its probes run in a prober of their own.
        ...(!source.foreign && !source.hostSource && { sourceImage: source.image }),
        specs: [],
      };
      jobs.set(cell.source, job);
    }
    const tag = String(job.specs.length + 1);
    tagOf.set(cell, tag);
    job.specs.push(specFor(tag, cell, source, target));
  }
  return { jobs, tagOf };
}

/** "Must reach" retries, "must not reach" pings once; addresses leave through the cell's interface. */
export function specFor(
  tag: string,
  cell: MatrixCell,
  source: TopoContainer,
  target: MatrixTarget,
): ProbeSpec {
  const mode = cell.expect === 'reach' ? 'retry' : 'once';
  if (target.kind === 'name') return { tag, mode, kind: 'name', dest: target.address };
  // nc cannot bind an interface: a port probe leaves the way the source's routes say.
  if (target.port) {
    return { tag, mode, kind: target.port.protocol, dest: target.address, port: target.port.port };
  }
  const endpoint = chooseEndpoint(source.endpoints, {
    ...((target.kind === 'container' || target.kind === 'gateway') &&
      target.network !== undefined && { network: target.network }),
    address: target.address,
  });
  // Across hosts, a pair that must reach also carries one full-size packet (path MTU).
  const fullSize =
    cell.expect === 'reach' && target.kind === 'container' && target.host !== source.host;
  return {
    tag,
    mode,
    kind: 'ip',
    dest: target.address,
    ...bindingOf(endpoint),
    ...(fullSize && { fullSize, path: `${target.host}/${target.network ?? '-'}` }),
  };
}
