/**
 * Before anything changes: can the scenario's swarm be had on these hosts, and how? Pure: it looks at
 * what each host's Docker said (swarm state, node, the manager's labels) and answers with problems
 * (the run stops) and notes (the run says what it will do).
 *
 * lab creates a swarm only where there is none, joins hosts only to a swarm it created, and uses a
 * swarm that already spans the hosts as it is. Everything else (a host in another swarm, the manager
 * a worker, a half-joined set) is a person's decision, so it stops with what to do.
 */
import type { Labels, SwarmNodeState } from '../docker/docker-client.js';
import { LABEL } from '../plan/labels.js';
import { SWARM_CREATED, SWARM_LABEL } from '../plan/swarm-labels.js';

export interface SwarmHostFacts {
  host: string;
  state: string;
  node?: SwarmNodeState;
  /** The labels of this node, when it is a manager (only managers can read them). */
  nodeLabels?: Labels;
}

export interface SwarmFindings {
  problems: Map<string, string[]>;
  notes: Map<string, string[]>;
}

export function decideSwarm(
  scenario: string,
  manager: string,
  workers: readonly string[],
  facts: ReadonlyMap<string, SwarmHostFacts>,
): SwarmFindings {
  const problems = new Map<string, string[]>();
  const notes = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, host: string, text: string) =>
    m.set(host, [...(m.get(host) ?? []), text]);
  const m = facts.get(manager);
  if (!m) return { problems, notes };
  const healthy = (f: SwarmHostFacts) => f.state === 'inactive' || f.state === 'active';
  for (const f of [m, ...workers.flatMap((w) => facts.get(w) ?? [])]) {
    if (!healthy(f))
      add(
        problems,
        f.host,
        `its swarm state is "${f.state}"; lab only works with a host in no swarm or in a healthy one`,
      );
  }
  if (problems.size > 0) return { problems, notes };

  if (m.state === 'inactive') {
    const inOne = workers.filter((w) => facts.get(w)?.state === 'active');
    for (const w of inOne) {
      add(
        problems,
        w,
        `${w} is in a swarm and ${manager}, the scenario's swarm manager, is not; lab does not mix swarms`,
      );
    }
    if (inOne.length === 0) {
      add(
        notes,
        manager,
        `no swarm yet: lab creates one with ${manager} as manager${workers.length > 0 ? ` and joins ${workers.join(', ')}` : ''}; lab down removes it again`,
      );
    }
    return { problems, notes };
  }
  if (!m.node?.isManager) {
    add(
      problems,
      manager,
      `${manager} is a worker in a swarm; the scenario's manager (swarm: manager:) must be a manager of it`,
    );
    return { problems, notes };
  }
  const labels = m.nodeLabels ?? {};
  const ours = labels[SWARM_LABEL] === SWARM_CREATED && labels[LABEL.scenario] === scenario;
  add(
    notes,
    manager,
    ours
      ? `the swarm lab made for ${scenario} is there already: it is used`
      : `${manager} manages a swarm lab did not make: it is used as it is, and left in place by lab down`,
  );
  for (const w of workers) {
    const f = facts.get(w);
    if (!f) continue;
    if (f.state === 'active') {
      if (!f.node?.managers.some((x) => x.nodeId === m.node?.nodeId)) {
        add(
          problems,
          w,
          `${w} is in another swarm than ${manager}'s; lab does not move hosts between swarms`,
        );
      }
    } else if (!ours) {
      add(
        problems,
        w,
        `${w} is in no swarm, and ${manager}'s swarm is not one lab made; lab joins hosts only to a swarm of its own`,
      );
    }
  }
  return { problems, notes };
}
