/**
 * `lab down`'s last part: leave the swarm lab made for the scenario (workers first, then the manager
 * with --force, which dissolves it), then remove the docker_gwbridge lab made on each host that is
 * in no swarm any more. A swarm lab did not make, or one that meanwhile holds nodes lab did not join,
 * is left exactly as it is, and the report says so.
 */
import { pollUntil, type Clock } from '../common/clock.js';
import { removeNetworkWhenFree } from '../docker/remove-network.js';
import { LabError } from '../common/errors.js';
import { LABEL } from '../plan/labels.js';
import type { HostSession } from '../host/session.js';
import { readSwarmFacts } from './facts.js';
import { SWARM_CREATED, SWARM_KIND, SWARM_LABEL } from '../plan/swarm-labels.js';

export interface SwarmTeardown {
  /** Per host, what was done ("left the swarm", "network docker_gwbridge"). */
  done: Map<string, string[]>;
  notes: string[];
}

/**
 * `done` is filled as the work goes, so that a failure half-way still tells what was done.
 */
export async function dissolveSwarm(
  sessions: readonly HostSession[],
  scenario: string,
  clock: Clock,
  done: Map<string, string[]> = new Map(),
): Promise<SwarmTeardown> {
  const notes: string[] = [];
  const add = (host: string, what: string) => done.set(host, [...(done.get(host) ?? []), what]);
  const facts = await Promise.all(sessions.map(readSwarmFacts));
  const manager = facts.find(
    (f) =>
      f.node?.isManager &&
      f.nodeLabels?.[SWARM_LABEL] === SWARM_CREATED &&
      f.nodeLabels[LABEL.scenario] === scenario,
  );
  const managerNode = manager?.node;
  if (manager && managerNode) {
    const m = sessions.find((s) => s.host === manager.host) as HostSession;
    const mine = new Map(
      facts.flatMap((f) => (f.node && f.state === 'active' ? [[f.node.nodeId, f.host]] : [])),
    );
    const nodes = await m.docker.listNodes();
    const strangers = nodes.filter((n) => !mine.has(n.id));
    if (strangers.length > 0) {
      notes.push(
        `the swarm lab made on ${manager.host} also holds nodes lab did not join (${strangers.map((n) => n.hostname || n.id).join(', ')}): it is left in place`,
      );
    } else {
      const workers = nodes.filter((n) => n.id !== managerNode.nodeId);
      for (const w of workers) {
        const host = mine.get(w.id) as string;
        const worker = sessions.find((s) => s.host === host) as HostSession;
        await untilIngressSettled(worker, clock);
        await worker.docker.swarmLeave(false);
        add(host, 'left the swarm');
      }
      await untilIngressSettled(m, clock);
      await m.docker.swarmLeave(true);
      add(manager.host, 'left the swarm (it was its manager: the swarm is gone)');
    }
  }
  // docker_gwbridge can go once nothing uses it: the host's ingress sandbox leaves with the swarm.
  await Promise.all(
    sessions.map(async (s) => {
      const info = await s.docker.info();
      if (info.swarm !== 'inactive') return;
      const nets = await s.docker.listNetworks({
        labels: { [LABEL.managed]: 'true', [LABEL.scenario]: scenario, [LABEL.kind]: SWARM_KIND },
      });
      if (nets.length > 0 && !(await untilIngressGone(s, clock))) {
        if (!(await clearStaleIngress(s, clock))) throw staleIngress(s.host, scenario);
        add(
          s.host,
          'cleared the stale ingress network Docker kept (a throwaway swarm, made and left)',
        );
      }
      for (const n of nets) {
        // The ingress sandbox leaves with the swarm, a moment later.
        await removeNetworkWhenFree(s.docker, n.id, clock, 15_000);
        add(s.host, `network ${n.name}`);
      }
    }),
  );
  return { done, notes };
}

/** Docker's routing-mesh network, which a node sets up about a second after it joins a swarm. */
const INGRESS = 'ingress';
/** The name of the node's ingress sandbox among the ingress network's endpoints. */
const INGRESS_ENDPOINT = 'ingress-endpoint';

/**
 * A node that leaves while Docker is still busy with its swarm networks (setting up its ingress
 * sandbox a second after joining, or removing the endpoint of a container just removed from an
 * overlay network) keeps a stale ingress network, and its endpoint on docker_gwbridge, until dockerd
 * restarts ("timeout while waiting for ingress network removal" in the daemon's log). A `lab down`
 * right after `lab run` would hit this, so a node leaves only once its ingress is in place and no
 * other swarm network is left on it (or, if that never comes, after a while anyway).
 */
async function untilIngressSettled(
  session: HostSession,
  clock: Clock,
  /** The id of a stale ingress being replaced: settled means replaced. */
  replacing?: string,
): Promise<void> {
  await pollUntil(clock, 10_000, 100, async () => {
    const networks = await session.docker.listNetworks();
    if (networks.some((n) => n.swarmScoped && n.name !== INGRESS)) return undefined;
    const ingress = networks.filter((n) => n.name === INGRESS);
    const only = ingress.length === 1 ? ingress[0] : undefined;
    if (!only || only.id === replacing) return undefined;
    const detail = await session.docker.inspectNetwork(only.id);
    return detail?.containers.some((c) => c.name === INGRESS_ENDPOINT) ? true : undefined;
  });
}

/** After a node leaves, Docker removes its ingress network in the background (giving up after 6 s). */
async function untilIngressGone(session: HostSession, clock: Clock): Promise<boolean> {
  const gone = await pollUntil(clock, 8_000, 100, async () =>
    (await session.docker.listNetworks()).some((n) => n.name === INGRESS) ? undefined : true,
  );
  return gone === true;
}

/**
 * Docker's own way out of a stale ingress, short of restarting dockerd: a node that starts a swarm
 * replaces the ingress network it finds, and leaving that swarm removes the new one properly. So lab
 * starts a throwaway single-node swarm on loopback (nothing outside the host sees it), in the stale
 * network's own subnet, waits for its ingress, and leaves it. Only ever on a host that has just left
 * the swarm lab made, and is in none.
 */
async function clearStaleIngress(session: HostSession, clock: Clock): Promise<boolean> {
  const stale = (await session.docker.listNetworks()).find((n) => n.name === INGRESS);
  if (!stale) return true;
  const prefix = stale.subnet?.split('/')[1];
  await session.docker.swarmInit({
    advertiseAddress: '127.0.0.1',
    listenAddress: '127.0.0.1:2377',
    ...(stale.subnet !== undefined &&
      prefix !== undefined && { defaultAddressPool: [stale.subnet], subnetSize: Number(prefix) }),
  });
  await untilIngressSettled(session, clock, stale.id);
  await session.docker.swarmLeave(true);
  return untilIngressGone(session, clock);
}

function staleIngress(host: string, scenario: string): LabError {
  return new LabError(
    'host',
    `${host}: Docker kept its ingress network after leaving the swarm, even after lab made and left a throwaway swarm to clear it, so docker_gwbridge is still in use (a Docker race when a node leaves while its routing mesh is busy)`,
    {
      host,
      hint: `restart Docker on ${host} (systemctl restart docker), then run lab down ${scenario} again`,
    },
  );
}
