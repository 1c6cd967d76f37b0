/**
 * The first phase of a check: connect to every host at once (bounded), find what lab deployed there,
 * make sure the probe image is there, and remove probers a killed run left behind. A host that
 * fails is recorded with its error; the others go on.
 */
import PQueue from 'p-queue';
import { countingClient, type CallCounts } from '../docker/counting-client.js';
import { asLabError, LabError } from '../common/errors.js';
import type { Connector, HostSession } from '../host/session.js';
import type { CheckHost, HostCheck } from './connectivity-model.js';
import { discoverHost, readListening } from './discover.js';
import type { TopoHost } from './topology.js';

export interface Inspected {
  topo: TopoHost;
  check: HostCheck;
}

export async function inspectHosts(
  hosts: readonly CheckHost[],
  connect: Connector,
  into: { sessions: Map<string, HostSession>; counts: CallCounts },
  options: {
    concurrency: number;
    scenarioName?: string;
    wallNow: () => number;
    signal?: AbortSignal;
    /** Read the ports each running container listens on (one exec each). */
    listening?: boolean;
  },
): Promise<Inspected[]> {
  const queue = new PQueue({ concurrency: options.concurrency });
  return Promise.all(
    hosts.map((h) =>
      queue.add(async (): Promise<Inspected> => {
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
          const session = { ...s, docker: countingClient(s.docker, into.counts) };
          into.sessions.set(h.target.host, session);
          const [found, hasImage] = await Promise.all([
            discoverHost(session.docker, base, {
              ...(options.scenarioName !== undefined && { scenario: options.scenarioName }),
              now: options.wallNow(),
            }),
            session.docker.imageExists(h.probeImage),
          ]);
          await Promise.all([
            ...found.leftovers.map((c) => session.docker.removeContainer(c.id)),
            ...(options.listening ? found.host.containers : [])
              .filter((c) => c.running)
              .map(async (c) => Object.assign(c, await readListening(session.docker, c))),
          ]);
          check.containers = found.host.containers.length;
          if (!hasImage) check.error = missingImage(h);
          return { topo: found.host, check };
        } catch (err) {
          check.error = asLabError(err, h.target.host);
          return { topo: { ...base, error: check.error, networks: [], containers: [] }, check };
        }
      }),
    ),
  );
}

function missingImage(h: CheckHost): LabError {
  return new LabError('remote', `${h.target.host}: the probe image ${h.probeImage} is not there`, {
    host: h.target.host,
    command: `docker image inspect ${h.probeImage}`,
    hint: 'pull it on the host, or pass --probe-image with an image the host has (busybox-based)',
  });
}
