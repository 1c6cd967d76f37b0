/**
 * The preflight decisions that go beyond "does it exist": kernel features, an existing interface
 * standing in for a VLAN sub-interface, subnets against the host's routes, Docker's default bridge.
 * Pure: it judges what preflight has read.
 */
import type { NetworkInfo } from '../docker/docker-client.js';
import { isOwnedBy, LABEL } from '../plan/labels.js';
import type { HostPlan } from '../plan/model.js';
import type { LinkState } from '../host/nic-state.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import { bridgeName } from '../docker/bridge.js';
import { describeExistingLink } from './existing-link.js';
import type { HostProbe } from './host-probe.js';
import { featureFindings, neededFeatures } from './kernel-features.js';
import { routeClashes, type PlannedSubnet } from './routes.js';

export function hostFindings(
  plan: HostPlan,
  scenario: string,
  links: ReadonlyMap<string, LinkState>,
  networks: readonly NetworkInfo[],
  probe: HostProbe,
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];

  if (probe.features) {
    const f = featureFindings(neededFeatures(plan, links), probe.features);
    problems.push(...f.problems);
    notes.push(...f.notes);
  }

  for (const s of plan.steps) {
    if (s.kind === 'nic' && s.vlan && links.has(s.interface)) {
      notes.push(
        describeExistingLink(s.interface, s.vlan, probe.linkDetails.get(s.interface) ?? ''),
      );
    }
  }

  const bridges = networks.filter((n) => n.driver === 'bridge');
  const ours = new Set(bridges.filter((n) => isOwnedBy(n.labels, scenario)).map(bridgeName));
  const owners = new Map(
    bridges.map((n) => {
      const of = n.labels[LABEL.scenario];
      const what =
        n.name === DEFAULT_BRIDGE
          ? "Docker's default bridge"
          : `Docker network ${n.name}${of ? ` of lab scenario ${of}` : ''}`;
      return [bridgeName(n), what];
    }),
  );
  const subnets: PlannedSubnet[] = plan.steps.flatMap((s) =>
    s.kind === 'network' && s.subnet
      ? [
          {
            network: s.name,
            driver: s.driver,
            subnet: s.subnet,
            ...(s.options['parent'] !== undefined && { parent: s.options['parent'] }),
          },
        ]
      : [],
  );
  problems.push(...routeClashes(subnets, probe.routes, ours, owners));

  const onDefault = plan.steps.filter(
    (s) => s.kind === 'container' && s.networks.some((n) => n.network === DEFAULT_BRIDGE),
  );
  if (onDefault.length > 0 && !networks.some((n) => n.name === DEFAULT_BRIDGE)) {
    problems.push(
      `Docker's default bridge (network ${DEFAULT_BRIDGE}) is missing here (dockerd --bridge=none?), and ${onDefault.map((s) => (s.kind === 'container' ? s.name : '')).join(', ')} need it`,
    );
  }
  return { problems, notes };
}
