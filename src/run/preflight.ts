import type { EngineVersion } from '../docker/docker-client.js';
import { LabError } from '../common/errors.js';
import { isOwnedBy, LABEL } from '../plan/labels.js';
import type { HostPlan } from '../plan/model.js';
import { readLinks, type LinkState } from '../host/nic-state.js';
import type { HostSession } from '../host/session.js';
import { routeText } from '../docker/engine-route.js';
import { hostFindings } from '../preflight/findings.js';
import { probeHost } from '../preflight/host-probe.js';
import { privilegeProblem } from '../preflight/privilege.js';
import { apiFeatureProblems } from '../preflight/api-features.js';
import { readSwarmFacts } from '../swarm/facts.js';
import type { SwarmHostFacts } from '../swarm/decide.js';

/** What preflight learnt of a host; apply starts from it. */
export interface HostFacts {
  host: string;
  engine: EngineVersion;
  links: Map<string, LinkState>;
  /** What the run should say about this host (an existing stand-in used as it is, an unknown). */
  notes?: string[];
  /** Swarm membership, when the plan has a swarm step here (checked across hosts afterwards). */
  swarm?: SwarmHostFacts;
}

/**
 * Checks, before anything changes on any host, that the plan can be applied here: Docker answers,
 * the images and parent NICs exist, and nothing lab did not make already holds one of our names.
 * Every problem on the host is reported at once, not just the first.
 */
export async function preflightHost(
  session: HostSession,
  plan: HostPlan,
  scenario: string,
): Promise<HostFacts> {
  const vlanNics = plan.steps.flatMap((s) => (s.kind === 'nic' && s.vlan ? [s] : []));
  const wantsFeatures = plan.steps.some(
    (s) =>
      (s.kind === 'network' && s.driver === 'macvlan') ||
      (s.kind === 'nic' && s.vlan !== undefined) ||
      s.kind === 'swarm',
  );
  // NIC changes and trying kernel features run as root.
  const needsRoot = wantsFeatures || plan.steps.some((s) => s.kind === 'nic');
  // Asked beside the reads below (one round trip less), judged after them as before: a dead engine
  // is still named by the reads' own failure.
  const containers = containerProblems(session, plan, scenario);
  containers.catch(() => {});
  const [engine, links, networks, privilege, probe, swarm] = await Promise.all([
    session.docker.version(),
    readLinks(session),
    session.docker.listNetworks(),
    needsRoot ? privilegeProblem(session) : undefined,
    // Held, not thrown: without root the probe fails too, and the privilege problem says why.
    probeHost(
      session,
      vlanNics.map((s) => s.interface),
      wantsFeatures,
    ).catch((err: unknown) => ({ failed: err })),
    plan.steps.some((s) => s.kind === 'swarm') && !session.docker.engine.noSwarm
      ? readSwarmFacts(session)
      : undefined,
  ]);
  const problems: string[] = [];
  const notes: string[] = [];
  // A hardened host is reached another way: say which, and why (docs/host-requirements.md).
  const route = session.docker.route;
  if (route && route.via !== 'forward') notes.push(routeText(route));
  const noSwarm = session.docker.engine.noSwarm;
  if (noSwarm && plan.steps.some((s) => s.kind === 'swarm')) problems.push(noSwarm);
  if (privilege) problems.push(privilege);
  if ('failed' in probe) {
    if (!privilege) throw probe.failed;
  } else {
    const extra = hostFindings(plan, scenario, links, networks, probe);
    problems.push(...extra.problems);
    notes.push(...extra.notes);
  }
  problems.push(...stepProblems(plan, scenario, links, networks));
  problems.push(...apiFeatureProblems(plan, session.host, engine.apiVersion));
  problems.push(...(await containers));

  if (problems.length > 0) {
    throw new LabError(
      'conflict',
      `${session.host} is not ready for ${scenario}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        host: session.host,
        hint: preflightHint(problems, scenario),
      },
    );
  }
  return {
    host: session.host,
    engine,
    links,
    ...(notes.length > 0 && { notes }),
    ...(swarm && { swarm }),
  };
}

type Networks = Awaited<ReturnType<HostSession['docker']['listNetworks']>>;

/** What stands in the way of the plan's NIC and network steps. */
function stepProblems(
  plan: HostPlan,
  scenario: string,
  links: ReadonlyMap<string, LinkState>,
  networks: Networks,
): string[] {
  const problems: string[] = [];
  const createdNics = new Set(
    plan.steps.flatMap((s) => (s.kind === 'nic' && s.vlan ? [s.interface] : [])),
  );

  for (const step of plan.steps) {
    if (step.kind === 'nic') {
      if (!links.has(step.interface) && !step.vlan) {
        problems.push(
          `interface ${step.interface} does not exist (interfaces: ${[...links.keys()].join(', ')})`,
        );
      }
      if (step.vlan && !links.has(step.vlan.parent)) {
        problems.push(`VLAN parent ${step.vlan.parent} of ${step.interface} does not exist`);
      }
    }
    if (step.kind === 'network') {
      const parent = step.options['parent'];
      if (parent !== undefined && !links.has(parent) && !createdNics.has(parent)) {
        problems.push(`network ${step.name}: parent interface ${parent} does not exist`);
      }
      const existing = networks.find((n) => n.name === step.name);
      if (existing && !isOwnedBy(existing.labels, scenario)) {
        problems.push(
          `network ${step.name} already exists and was not made by lab for ${scenario}${describeOwner(existing.labels)}; lab will not touch it`,
        );
      }
      if (step.driver === 'macvlan' && parent !== undefined) {
        const rival = networks.find(
          (n) => n.driver === 'macvlan' && n.options['parent'] === parent && n.name !== step.name,
        );
        if (rival) {
          problems.push(
            `network ${rival.name} already uses parent ${parent}; Docker allows one macvlan network per parent interface`,
          );
        }
      }
    }
  }
  return problems;
}

/** Missing images, and containers of our names that lab did not make for this scenario. */
async function containerProblems(
  session: HostSession,
  plan: HostPlan,
  scenario: string,
): Promise<string[]> {
  const problems: string[] = [];
  const containerSteps = plan.steps.filter((s) => s.kind === 'container');
  const images = [...new Set(containerSteps.map((s) => s.image))];
  const [imagePresence, existingContainers] = await Promise.all([
    Promise.all(
      images.map(async (image) => [image, await session.docker.imageExists(image)] as const),
    ),
    Promise.all(containerSteps.map((s) => session.docker.inspectContainer(s.name))),
  ]);
  for (const [image, present] of imagePresence) {
    if (!present)
      problems.push(`image ${image} is not on the host (docker pull ${image}, or docker load it)`);
  }
  existingContainers.forEach((c, i) => {
    if (c && !isOwnedBy(c.labels, scenario)) {
      problems.push(
        `container ${containerSteps[i]?.name} already exists and was not made by lab for ${scenario}${describeOwner(c.labels)}; lab will not touch it`,
      );
    }
  });
  return problems;
}

/**
 * Where the fix is: a subnet that overlaps the hosts' own routes or an interface the host does not
 * have is fixed in the scenario; an object in the way or a missing image on the host.
 */
export function preflightHint(problems: readonly string[], scenario: string): string {
  const inScenario = problems.filter((p) => /overlaps the host's route|does not exist/.test(p));
  const parts: string[] = [];
  if (inScenario.length > 0)
    parts.push(
      `change the scenario: give ${scenario}'s networks subnets (and NICs) that fit these hosts, in its file or with --var; a route of another lab scenario goes with its lab down`,
    );
  if (inScenario.length < problems.length) parts.push('fix or remove the others on the host');
  return `${parts.join('; ')} (nothing was changed), then run again`;
}

function describeOwner(labels: Record<string, string>): string {
  const other = labels[LABEL.scenario];
  return other ? ` (it belongs to scenario ${other})` : '';
}
