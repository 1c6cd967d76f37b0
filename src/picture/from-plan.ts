/**
 * The topology a plan will build, without contacting any host (`lab graph`, and the `topology` of
 * `lab run --json`): each host's NICs as lab prepares them, its Docker networks and its containers
 * with the addresses the scenario gives them (Docker picks the others at run time).
 */
import type { ContainerStep, NetworkStep, NicStep, Plan } from '../plan/model.js';
import type { PicContainer, PicHost, PicNetwork, PicNic, PicTopology } from './model.js';

export function topologyOfPlan(plan: Plan): PicTopology {
  const allNetworks = plan.hosts.flatMap((h) =>
    h.steps.filter((s): s is NetworkStep => s.kind === 'network'),
  );
  return {
    hosts: plan.hosts.map((h): PicHost => {
      const nics = h.steps.filter((s): s is NicStep => s.kind === 'nic').map(nicOf);
      const networks = h.steps.filter((s): s is NetworkStep => s.kind === 'network').map(networkOf);
      const containers = h.steps
        .filter((s): s is ContainerStep => s.kind === 'container')
        .map(containerOf);
      // A network a container joins that this host does not create: Docker's default bridge, or an
      // overlay network created by the swarm's manager.
      for (const c of containers) {
        for (const { network } of c.networks) {
          if (networks.some((n) => n.name === network)) continue;
          const elsewhere = allNetworks.find((n) => n.name === network);
          networks.push(elsewhere ? networkOf(elsewhere) : { name: network, driver: 'bridge' });
        }
      }
      addParentNics(nics, networks);
      return { name: h.host, address: h.target.address, nics, networks, containers };
    }),
  };
}

/** A macvlan parent (or a VLAN's parent) lab does not prepare is still drawn: it carries traffic. */
export function addParentNics(nics: PicNic[], networks: readonly PicNetwork[]): void {
  const wanted = [
    ...networks.flatMap((n) => (n.parent ? [n.parent] : [])),
    ...nics.flatMap((n) => (n.vlan ? [n.vlan.parent] : [])),
  ];
  for (const name of wanted) {
    if (!nics.some((n) => n.name === name)) nics.push({ name, flags: [] });
  }
}

function nicOf(s: NicStep): PicNic {
  const flags = [
    ...(s.up ? ['up'] : []),
    ...(s.promisc === true ? ['promisc'] : s.promisc === false ? ['promisc off'] : []),
    ...(s.vlan ? [`vlan ${s.vlan.id} on ${s.vlan.parent}`] : []),
  ];
  return { name: s.interface, flags, ...(s.vlan && { vlan: { ...s.vlan } }) };
}

function networkOf(s: NetworkStep): PicNetwork {
  const parent = s.options['parent'];
  return {
    name: s.name,
    driver: s.driver,
    ...(s.subnet !== undefined && { subnet: s.subnet }),
    ...(s.gateway !== undefined && { gateway: s.gateway }),
    ...(parent !== undefined && { parent }),
    ...(s.internal && { internal: true }),
  };
}

function containerOf(s: ContainerStep): PicContainer {
  return {
    name: s.name,
    image: s.image,
    networks: s.networks.map((n) => ({
      network: n.network,
      ...(n.ipv4 !== undefined && { address: n.ipv4 }),
    })),
    ports: [...(s.publish ?? [])],
  };
}
