import { describe, expect, it } from 'vitest';
import type { Inventory, InventoryHost } from '../inventory/model.js';
import type { Scenario } from '../scenario/model.js';
import { compilePlan } from './compile.js';
import { orderSteps } from './order.js';
import { stepCommands } from './commands.js';
import { renderPlan } from './render.js';

function host(name: string, address: string): InventoryHost {
  return {
    name,
    address,
    port: 22,
    user: 'root',
    become: false,
    groups: ['all'],
    vars: {},
    location: { file: 'inv.ini', line: 1 },
  };
}

const inventory: Inventory = {
  file: 'inv.ini',
  hosts: [host('server1', '172.25.83.1'), host('server2', '172.25.83.2')],
  groups: {},
};

const scenario: Scenario = {
  name: 'macvlan-one-nic',
  description: 'seed section 9',
  file: 'scenarios/macvlan-one-nic.yaml',
  hosts: ['server1', 'server2'],
  vars: {},
  nics: [{ hosts: ['server1', 'server2'], interface: 'eth0', promisc: true }],
  networks: [
    {
      name: 'mac_net1',
      driver: 'macvlan',
      hosts: ['server1', 'server2'],
      subnet: '172.183.1.0/24',
      gateway: '172.183.1.1',
      parent: 'eth0',
      options: {},
    },
  ],
  containers: [
    {
      name: 'vm4',
      host: 'server1',
      image: 'ubuntu',
      networks: [{ network: 'mac_net1', ipv4: '172.183.1.10' }],
    },
    {
      name: 'vm5',
      host: 'server2',
      image: 'ubuntu',
      networks: [{ network: 'mac_net1', ipv4: '172.183.1.11' }],
    },
  ],
  expectations: [
    {
      from: 'vm5',
      to: { kind: 'container', container: 'vm4' },
      reach: true,
      reason: 'same segment',
    },
    {
      from: 'vm5',
      to: { kind: 'gateway', network: 'mac_net1' },
      reach: false,
      reason: 'no router',
    },
  ],
};

/** The command as the seed typed it: lab's own bookkeeping labels taken out. */
const withoutLabels = (cmd: string) => cmd.replace(/ --label \S+/g, '');

describe('compilePlan', () => {
  const plan = compilePlan(scenario, inventory);

  it('gives every host its steps in dependency order', () => {
    expect(plan.hosts.map((h) => h.host)).toEqual(['server1', 'server2']);
    const s1 = plan.hosts[0]!;
    expect(s1.steps.map((s) => s.id)).toEqual([
      'server1/nic/eth0',
      'server1/network/mac_net1',
      'server1/container/vm4',
    ]);
    expect(orderSteps(s1.steps)).toEqual(s1.steps);
    // Docker creates a macvlan network whatever its parent's flags, so the network does not wait
    // for the NIC; the container does, since its interface needs the parent up and promiscuous.
    expect(s1.steps[1]!.dependsOn).toEqual([]);
    expect(s1.steps[2]!.dependsOn).toEqual(['server1/nic/eth0', 'server1/network/mac_net1']);
  });

  it('makes a network on a VLAN sub-interface wait for the NIC step that creates it', () => {
    const subif = compilePlan(
      {
        ...scenario,
        nics: [
          { hosts: ['server1', 'server2'], interface: 'eth0', promisc: true },
          {
            hosts: ['server1', 'server2'],
            interface: 'eth0.1',
            vlan: { parent: 'eth0', id: 1 },
            up: true,
          },
        ],
        networks: scenario.networks.map((n) => ({ ...n, parent: 'eth0.1' })),
      },
      inventory,
    );
    const steps = subif.hosts[0]!.steps;
    const byId = new Map(steps.map((s) => [s.id, s.dependsOn]));
    expect(byId.get('server1/nic/eth0.1')).toEqual(['server1/nic/eth0']);
    expect(byId.get('server1/network/mac_net1')).toEqual(['server1/nic/eth0.1']);
    expect(byId.get('server1/container/vm4')).toEqual([
      'server1/nic/eth0.1',
      'server1/network/mac_net1',
    ]);
    expect(orderSteps(steps)).toEqual(steps);
  });

  it('creates identical networks on every host (same spec hash)', () => {
    const [a, b] = plan.hosts.map((h) => h.steps.find((s) => s.kind === 'network'));
    expect(
      a &&
        b &&
        a.kind === 'network' &&
        b.kind === 'network' &&
        a.labels['lab.spec'] === b.labels['lab.spec'],
    ).toBe(true);
  });

  it('renders the seed’s own commands', () => {
    const [nic, net, vm4] = plan.hosts[0]!.steps.map((s) => stepCommands(s).map(withoutLabels));
    expect(nic).toEqual(['ip link set eth0 promisc on']);
    expect(net).toEqual([
      'docker network create --driver macvlan --subnet 172.183.1.0/24 --gateway 172.183.1.1 -o parent=eth0 mac_net1',
    ]);
    expect(vm4).toEqual([
      'docker run -dit --name vm4 --hostname vm4 --net mac_net1 --ip 172.183.1.10 ubuntu',
    ]);
  });

  it('resolves checks to addresses', () => {
    expect(plan.checks.map((c) => [c.from.container, c.to.address, c.expect])).toEqual([
      ['vm5', '172.183.1.10', 'reach'],
      ['vm5', '172.183.1.1', 'no-reach'],
    ]);
    expect(renderPlan(plan)).toContain('docker exec vm5 ping -c 1 -W 1 172.183.1.10');
  });

  it('labels everything it creates with the scenario', () => {
    const net = plan.hosts[1]!.steps[1]!;
    expect(net.kind === 'network' && net.labels).toMatchObject({
      'lab.managed': 'true',
      'lab.scenario': 'macvlan-one-nic',
      'lab.host': 'server2',
    });
  });

  it('refuses a host the inventory lacks', () => {
    expect(() => compilePlan({ ...scenario, hosts: ['server9'] }, inventory)).toThrow(
      /server9.*inv\.ini/,
    );
  });
});
