/**
 * The first phase of a check: connect to every host at once (bounded), find what lab deployed there,
 * make sure the probe image is there, and remove probers a killed run left behind. A host that
 * fails is recorded with its error; the others go on.
 */
import PQueue from 'p-queue';
import { countingClient, type CallCounts } from '../docker/counting-client.js';
import { asLabError, LabError } from '../common/errors.js';
import { engineFoundDown, type Connector, type HostSession } from '../host/session.js';
import type { CheckHost, HostCheck } from './connectivity-model.js';
import { discoverHost, readListening } from './discover.js';
import type { TopoContainer, TopoHost } from './topology.js';
import { hostNics } from './host-nics.js';
import { readLinks } from '../host/nic-state.js';
import type { DockerClient, ExecOutcome } from '../docker/docker-client.js';
import type { ContainerSelector } from '../scenario/selector.js';
import { proberLabels, proberName } from './prober.js';
import { readListeningOnHost } from './host-listening.js';

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
    /**
     * Read the ports each running container listens on: one command on the host for all whose PID it
     * can vouch for, one exec for each other one.
     */
    listening?: boolean;
    /** Containers chosen by label, name or network (`--select`) instead of lab's own. */
    select?: readonly ContainerSelector[];
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
          // The version and the links are for the report only: a failure there costs no cell.
          const [found, hasImage, engine, links] = await Promise.all([
            discoverHost(session.docker, base, {
              ...(options.scenarioName !== undefined && { scenario: options.scenarioName }),
              ...(options.select && { select: options.select }),
              now: options.wallNow(),
            }),
            session.docker.imageExists(h.probeImage),
            session.docker.version().then(
              (v) => v.version,
              () => undefined,
            ),
            readLinks(session).catch(() => undefined),
          ]);
          if (engine !== undefined) check.engine = engine;
          if (links) check.nics = hostNics(found.host, links);
          await Promise.all([
            ...found.leftovers.map((c) => session.docker.removeContainer(c.id)),
            options.listening && readAllListening(session, h, found.host, options.wallNow()),
          ]);
          check.containers = found.host.containers.length;
          if (!hasImage) check.error = missingImage(h);
          return { topo: found.host, check };
        } catch (err) {
          // A Docker call that failed on an engine found dead says so ("Docker is not running").
          const session = into.sessions.get(h.target.host);
          const down = session ? await engineFoundDown(session, err) : undefined;
          check.error = down ?? asLabError(err, h.target.host);
          return { topo: { ...base, error: check.error, networks: [], containers: [] }, check };
        }
      }),
    ),
  );
}

/**
 * The ports every running container listens on: all of them with one command on the host where the
 * host can vouch for their PIDs; each other one by itself, as before (an exec in it, or for a foreign
 * one a prober in its network namespace). Written into the containers.
 */
async function readAllListening(
  session: HostSession,
  h: CheckHost,
  host: TopoHost,
  now: number,
): Promise<void> {
  const running = host.containers.filter((c) => c.running);
  const fromHost = await readListeningOnHost(
    session.shell,
    running.flatMap((c) => (c.pid !== undefined ? [{ id: c.id, pid: c.pid }] : [])),
    LISTEN_READ_MS,
  );
  await Promise.all(
    running.map(async (c) => {
      const ports = fromHost.get(c.id);
      if (ports) return Object.assign(c, { listening: ports });
      const cat = c.foreign ? catInProber(session.docker, h, c, now) : undefined;
      return Object.assign(c, await readListening(session.docker, c, cat));
    }),
  );
}

/**
 * `cat` in a container lab did not make, without touching it: a prober of its own in the container's
 * network namespace (its /proc/net is the namespace's), removed when it ends.
 */
function catInProber(
  docker: DockerClient,
  h: CheckHost,
  c: TopoContainer,
  now: number,
): (argv: string[]) => Promise<ExecOutcome> {
  return (argv) =>
    docker.run(
      {
        name: proberName(`ls${now.toString(36)}`, c.name),
        image: h.probeImage,
        command: argv,
        labels: proberLabels(h.target.host, 'listening', c.name, now + LISTEN_READ_MS),
        networkMode: `container:${c.id}`,
        autoRemove: true,
      },
      { timeoutMs: LISTEN_READ_MS },
    );
}

const LISTEN_READ_MS = 15_000;

function missingImage(h: CheckHost): LabError {
  return new LabError('remote', `${h.target.host}: the probe image ${h.probeImage} is not there`, {
    host: h.target.host,
    command: `docker image inspect ${h.probeImage}`,
    hint: 'pull it on the host, or pass --probe-image with an image the host has (busybox-based)',
  });
}
