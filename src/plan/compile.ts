import { LabError } from '../common/errors.js';
import { portWords, type PortSpec } from '../common/port.js';
import type { Inventory, InventoryHost } from '../inventory/model.js';
import type { ContainerSpec, ExpectationSpec, NetworkSpec, Scenario } from '../scenario/model.js';
import { LABEL, ownershipLabels, specHash } from './labels.js';
import { sshTarget } from './ssh-target.js';
import type {
  ContainerStep,
  HostPlan,
  NetworkStep,
  NicStep,
  Plan,
  PlannedCheck,
  ProbeTarget,
  Step,
  SwarmStep,
} from './model.js';
import { compileAssertions } from './compile-assertions.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import { SWARM_CREATED, SWARM_LABEL, SWARM_PORT } from './swarm-labels.js';

/**
 * Compiles a resolved scenario and its inventory into a plan. Pure: no host is contacted, so the
 * plan can be printed (`lab plan`), compared in tests, and only then executed.
 */
export function compilePlan(scenario: Scenario, inventory: Inventory): Plan {
  const hostsByName = new Map(inventory.hosts.map((h) => [h.name, h]));
  const hosts: HostPlan[] = scenario.hosts.map((name) => {
    const host = hostsByName.get(name);
    if (!host) {
      throw new LabError(
        'input',
        `scenario ${scenario.name} names host ${name}, which ${inventory.file} does not define`,
        {
          file: scenario.file,
          hint: `hosts in the inventory: ${inventory.hosts.map((h) => h.name).join(', ')}`,
        },
      );
    }
    const steps = [...swarmSteps(scenario, name, hostsByName), ...hostSteps(scenario, name)];
    return { host: name, target: sshTarget(host), steps };
  });
  const assertions = compileAssertions(scenario, hosts, hostsByName);
  return {
    scenario: scenario.name,
    inventory: inventory.file,
    vars: scenario.vars,
    hosts,
    checks: scenario.expectations.map((e, i) => plannedCheck(scenario, hostsByName, e, i)),
    ...(assertions.length > 0 && { assertions }),
  };
}

/** The host's swarm step, first of all: overlay networks and the containers on them wait for it. */
function swarmSteps(
  scenario: Scenario,
  host: string,
  hostsByName: Map<string, InventoryHost>,
): SwarmStep[] {
  const swarm = scenario.swarm;
  if (!swarm) return [];
  const manager = swarm.manager;
  const address = (name: string) => hostsByName.get(name)?.address ?? name;
  const role = host === manager ? 'manager' : 'worker';
  return [
    {
      kind: 'swarm',
      id: swarmStepId(host),
      host,
      // A worker joins once the manager's swarm exists: a step of another host.
      dependsOn: role === 'worker' ? [swarmStepId(manager)] : [],
      role,
      manager,
      managerAddress: `${address(manager)}:${SWARM_PORT}`,
      advertiseAddress: address(host),
      ...(swarm.addressPool !== undefined && { addressPool: swarm.addressPool }),
      ...(swarm.poolSize !== undefined && { poolSize: swarm.poolSize }),
      labels: { ...ownershipLabels(scenario.name, manager), [SWARM_LABEL]: SWARM_CREATED },
    },
  ];
}

const swarmStepId = (host: string) => `${host}/swarm`;

/**
 * Where a network's step is: on the host itself, except an overlay network, which is created once,
 * on the swarm's manager, for every host of the swarm; Docker's default bridge has no step at all.
 */
function networkStepId(scenario: Scenario, host: string, network: string): string | undefined {
  if (network === DEFAULT_BRIDGE) return undefined;
  const net = scenario.networks.find((n) => n.name === network);
  if (net?.driver === 'overlay' && scenario.swarm) {
    return `${scenario.swarm.manager}/network/${network}`;
  }
  return `${host}/network/${network}`;
}

function hostSteps(scenario: Scenario, host: string): Step[] {
  const nicSteps: NicStep[] = scenario.nics
    .filter((n) => n.hosts.includes(host))
    .map((n) => ({
      kind: 'nic',
      id: `${host}/nic/${n.interface}`,
      host,
      dependsOn: [],
      interface: n.interface,
      ...(n.promisc !== undefined && { promisc: n.promisc }),
      ...(n.up !== undefined && { up: n.up }),
      ...(n.vlan && { vlan: { ...n.vlan } }),
    }));
  const nicIds = new Set(nicSteps.map((s) => s.id));
  // Docker creates a macvlan network on a parent that is down or not promiscuous, so a network
  // waits only for a NIC step that creates its parent; its containers wait for the parent's flags.
  const creatingNicIds = new Set(nicSteps.filter((s) => s.vlan).map((s) => s.id));
  for (const step of nicSteps) {
    // A VLAN sub-interface needs its parent prepared first (promiscuous, up).
    const parentId = step.vlan && `${host}/nic/${step.vlan.parent}`;
    if (parentId && nicIds.has(parentId)) step.dependsOn.push(parentId);
  }

  const networkSteps: NetworkStep[] = scenario.networks
    .filter((n) => n.hosts.includes(host))
    .filter((n) => n.driver !== 'overlay' || !scenario.swarm || scenario.swarm.manager === host)
    .map((n) => {
      const step = networkStep(scenario.name, host, n, creatingNicIds);
      if (n.driver === 'overlay' && scenario.swarm) step.dependsOn.push(swarmStepId(host));
      return step;
    });

  const containerSteps: ContainerStep[] = scenario.containers
    .filter((c) => c.host === host)
    .map((c) => {
      const step = containerStep(scenario.name, host, c);
      const parentNics = c.networks.flatMap((n) => {
        const parent = scenario.networks.find((x) => x.name === n.network)?.parent;
        const id = parent !== undefined ? `${host}/nic/${parent}` : undefined;
        return id && nicIds.has(id) ? [id] : [];
      });
      step.dependsOn = [
        ...new Set([
          ...parentNics,
          ...c.networks.flatMap((n) => networkStepId(scenario, host, n.network) ?? []),
        ]),
      ];
      const overlay = c.networks.some(
        (n) => scenario.networks.find((x) => x.name === n.network)?.driver === 'overlay',
      );
      if (overlay && scenario.swarm) step.dependsOn.push(swarmStepId(host));
      return step;
    });

  return [...nicSteps, ...networkSteps, ...containerSteps];
}

function networkStep(
  scenario: string,
  host: string,
  n: NetworkSpec,
  nicIds: Set<string>,
): NetworkStep {
  const options = { ...n.options, ...(n.parent !== undefined && { parent: n.parent }) };
  const spec = {
    driver: n.driver,
    subnet: n.subnet,
    gateway: n.gateway,
    options,
    attachable: n.attachable,
    internal: n.internal,
  };
  const parentNic = n.parent !== undefined ? `${host}/nic/${n.parent}` : undefined;
  return {
    kind: 'network',
    id: `${host}/network/${n.name}`,
    host,
    dependsOn: parentNic && nicIds.has(parentNic) ? [parentNic] : [],
    name: n.name,
    driver: n.driver,
    ...(n.subnet !== undefined && { subnet: n.subnet }),
    ...(n.gateway !== undefined && { gateway: n.gateway }),
    options,
    ...(n.attachable !== undefined && { attachable: n.attachable }),
    ...(n.internal !== undefined && { internal: n.internal }),
    labels: { ...ownershipLabels(scenario, host), [LABEL.spec]: specHash(spec) },
  };
}

function containerStep(scenario: string, host: string, c: ContainerSpec): ContainerStep {
  const networks = c.networks.map((n) => ({
    network: n.network,
    ...(n.ipv4 !== undefined && { ipv4: n.ipv4 }),
  }));
  const spec = { image: c.image, command: c.command, networks, publish: c.publish };
  return {
    kind: 'container',
    id: `${host}/container/${c.name}`,
    host,
    dependsOn: c.networks.map((n) => `${host}/network/${n.network}`),
    name: c.name,
    image: c.image,
    ...(c.command !== undefined && { command: [...c.command] }),
    networks,
    ...(c.publish !== undefined && { publish: [...c.publish] }),
    labels: { ...ownershipLabels(scenario, host), [LABEL.spec]: specHash(spec) },
  };
}

function plannedCheck(
  scenario: Scenario,
  hostsByName: Map<string, InventoryHost>,
  e: ExpectationSpec,
  index: number,
): PlannedCheck {
  const source = findContainer(scenario, e.from);
  return {
    id: `check-${index + 1}`,
    from: { host: source.host, container: source.name },
    to: probeTarget(scenario, hostsByName, source, e),
    expect: e.reach ? 'reach' : 'no-reach',
    reason: e.reason,
    ...(e.seed && { seed: e.seed }),
  };
}

function findContainer(scenario: Scenario, name: string): ContainerSpec {
  const c = scenario.containers.find((x) => x.name === name);
  if (!c)
    throw new LabError(
      'input',
      `expectation names container ${name}, which the scenario does not define`,
      { file: scenario.file },
    );
  return c;
}

function probeTarget(
  scenario: Scenario,
  hostsByName: Map<string, InventoryHost>,
  source: ContainerSpec,
  e: ExpectationSpec,
): ProbeTarget {
  const to = e.to;
  switch (to.kind) {
    case 'container': {
      const target = findContainer(scenario, to.container);
      const sourceNets = new Set(source.networks.map((n) => n.network));
      // Without a named network, aim at the address on a network both share; for "must not reach"
      // pairs that share none, the target's first address is what a person would try.
      const endpoint =
        (to.network !== undefined
          ? target.networks.find((n) => n.network === to.network)
          : target.networks.find((n) => sourceNets.has(n.network))) ?? target.networks[0];
      if (!endpoint) {
        throw new LabError('input', `container ${target.name} has no network to be reached on`, {
          file: scenario.file,
          ...(e.line !== undefined && { line: e.line }),
        });
      }
      return {
        kind: 'container',
        label: `${target.name} on ${endpoint.network}${portWords(to.port)}`,
        address: endpoint.ipv4 ?? '',
        network: endpoint.network,
        container: target.name,
        host: target.host,
        ...(to.port && { port: to.port }),
      };
    }
    case 'gateway': {
      const net = scenario.networks.find((n) => n.name === to.network);
      return {
        kind: 'gateway',
        label: `gateway of ${to.network}`,
        address: net?.gateway ?? '',
        network: to.network,
      };
    }
    case 'host': {
      const host = hostsByName.get(to.host);
      // A published port: its container, so that the probe waits until it runs.
      const port = to.port;
      const publisher =
        port && scenario.containers.find((c) => c.host === to.host && publishes(c, port));
      return {
        kind: 'host',
        label: `host ${to.host}${portWords(to.port)}`,
        address: host?.address ?? '',
        ...(to.port && { port: to.port }),
        ...(publisher && { host: to.host, container: publisher.name }),
      };
    }
    case 'address':
      return {
        kind: 'address',
        label: `${to.address}${portWords(to.port)}`,
        address: to.address,
        ...(to.port && { port: to.port }),
      };
  }
}

/** Whether the container publishes this port on its host ("8080:80", "1.2.3.4:8080:80/udp"). */
function publishes(c: ContainerSpec, port: PortSpec): boolean {
  return (c.publish ?? []).some((p) => {
    const m = /(?:^|:)(\d+):\d+(?:\/(tcp|udp|sctp))?$/.exec(p);
    return Number(m?.[1]) === port.port && (m?.[2] ?? 'tcp') === port.protocol;
  });
}
