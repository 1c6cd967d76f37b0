/**
 * Preflight across hosts, once each host passed its own: what no single host can answer. Today that
 * is the swarm (src/swarm/decide.ts): which host makes it, who joins, and whether lab may at all.
 */
import { LabError } from '../common/errors.js';
import type { Plan } from '../plan/model.js';
import { decideSwarm, type SwarmHostFacts } from '../swarm/decide.js';
import type { HostFacts } from './preflight.js';

export function preflightAcrossHosts(
  plan: Plan,
  facts: ReadonlyMap<string, HostFacts>,
): { errors: Map<string, LabError>; notes: Map<string, string[]> } {
  const errors = new Map<string, LabError>();
  const steps = plan.hosts.flatMap((h) => h.steps.filter((s) => s.kind === 'swarm'));
  const manager = steps.find((s) => s.role === 'manager')?.host;
  if (!manager) return { errors, notes: new Map() };
  const swarmFacts = new Map<string, SwarmHostFacts>();
  for (const [host, f] of facts) if (f.swarm) swarmFacts.set(host, f.swarm);
  const workers = steps.filter((s) => s.role === 'worker').map((s) => s.host);
  const found = decideSwarm(plan.scenario, manager, workers, swarmFacts);
  for (const [host, problems] of found.problems) {
    errors.set(
      host,
      new LabError(
        'conflict',
        `${host} is not ready for ${plan.scenario}'s swarm:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        { host, hint: 'nothing was changed on any host; sort the swarm out, then run again' },
      ),
    );
  }
  return { errors, notes: found.notes };
}
