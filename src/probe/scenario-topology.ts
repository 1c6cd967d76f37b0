/**
 * With `--scenario`, the scenario says what should be there. Containers it defines that could not be
 * seen (their host did not answer, or they are not deployed) are added to the topology as
 * unobserved, with the scenario's addresses: they show in the matrix, and their cells are ERROR
 * rather than missing, so a host that is down can never pass for a host whose containers are isolated.
 */
import type { ContainerSpec, Scenario } from '../scenario/model.js';
import type { TopoContainer, TopoHost, TopoNetwork, Topology } from './topology.js';

export function withScenario(topology: Topology, scenario: Scenario): Topology {
  return {
    hosts: topology.hosts.map((h) => {
      const mine = scenario.containers.filter((c) => c.host === h.name);
      if (mine.length === 0) return h;
      const networks: TopoNetwork[] = [...h.networks];
      const containers: TopoContainer[] = [...h.containers];
      for (const spec of mine) {
        const seen = containers.findIndex((c) => c.name === spec.name);
        if (seen >= 0) {
          // A stopped container has no addresses: the scenario's stand in, so that its cells show
          // (blocked, "not running") instead of vanishing or being judged on no network at all.
          const c = containers[seen] as TopoContainer;
          if (!c.running && c.endpoints.length === 0) {
            containers[seen] = { ...c, endpoints: scenarioEndpoints(spec) };
          }
          continue;
        }
        for (const n of spec.networks) {
          if (networks.some((x) => x.name === n.network)) continue;
          const net = scenario.networks.find((x) => x.name === n.network);
          if (!net) continue;
          networks.push({
            host: h.name,
            id: '',
            name: net.name,
            driver: net.driver,
            ...(net.subnet !== undefined && { subnet: net.subnet }),
            ...(net.gateway !== undefined && { gateway: net.gateway }),
            ...(net.parent !== undefined && { parent: net.parent }),
            internal: net.internal === true,
            icc: net.options['com.docker.network.bridge.enable_icc'] !== 'false',
          });
        }
        containers.push({
          host: h.name,
          id: '',
          name: spec.name,
          image: spec.image,
          running: false,
          scenario: scenario.name,
          endpoints: scenarioEndpoints(spec),
          observed: false,
          unavailable: unavailableReason(h, spec.name, scenario.name),
        });
      }
      return { ...h, networks, containers };
    }),
  };
}

function scenarioEndpoints(spec: ContainerSpec): TopoContainer['endpoints'] {
  return spec.networks
    .filter((n) => n.ipv4 !== undefined)
    .map((n) => ({ network: n.network, ipv4: n.ipv4 ?? '' }));
}

function unavailableReason(h: TopoHost, container: string, scenario: string): string {
  if (h.error) return `${h.name} could not be inspected: ${h.error.message}`;
  return `${container} is not deployed on ${h.name} (no container of scenario ${scenario} by that name)`;
}
