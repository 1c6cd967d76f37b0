/**
 * `lab down`'s last part: leave the swarm lab made for the scenario (workers first, then the manager
 * with --force, which dissolves it), then remove the docker_gwbridge lab made on each host that is
 * in no swarm any more. A swarm lab did not make, or one that meanwhile holds nodes lab did not join,
 * is left exactly as it is, and the report says so.
 */
import type { Clock } from '../box/clock.js';
import { dockerStatusOf } from '../docker/docker-errors.js';
import { LABEL } from '../plan/labels.js';
import type { HostSession } from '../run/session.js';
import { readSwarmFacts } from './facts.js';
import { SWARM_CREATED, SWARM_KIND, SWARM_LABEL } from './labels.js';

export interface SwarmTeardown {
  /** Per host, what was done ("left the swarm", "network docker_gwbridge"). */
  done: Map<string, string[]>;
  notes: string[];
}

export async function dissolveSwarm(
  sessions: readonly HostSession[],
  scenario: string,
  clock: Clock,
): Promise<SwarmTeardown> {
  const done = new Map<string, string[]>();
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
        await (sessions.find((s) => s.host === host) as HostSession).docker.swarmLeave(false);
        add(host, 'left the swarm');
      }
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
      for (const n of nets) {
        await removeWhenFree(s, n.id, clock);
        add(s.host, `network ${n.name}`);
      }
    }),
  );
  return { done, notes };
}

async function removeWhenFree(session: HostSession, id: string, clock: Clock): Promise<void> {
  const deadline = clock.now() + 15_000;
  for (;;) {
    try {
      await session.docker.removeNetwork(id);
      return;
    } catch (err) {
      const status = dockerStatusOf(err);
      if ((status !== 403 && status !== 409 && status !== 500) || clock.now() > deadline) throw err;
      await clock.sleep(250);
    }
  }
}
