import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { compilePlan } from '../../src/plan/compile.js';
import { stepCommands } from '../../src/plan/commands.js';
import { loadScenarioFile, resolveScenario } from '../../src/scenario/index.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The plan's commands for a host, without lab's ownership labels: what the seed typed by hand. */
async function seedCommands(scenario: string, host: string): Promise<string[]> {
  const inventory = await loadInventory(path.join(root, 'inventory/seed.ini'));
  const doc = await loadScenarioFile(path.join(root, 'scenarios', `${scenario}.yaml`));
  const plan = compilePlan(resolveScenario(doc, inventory, {}), inventory);
  const hostPlan = plan.hosts.find((h) => h.host === host);
  return (hostPlan?.steps ?? []).flatMap(stepCommands).map((c) => c.replace(/ --label \S+/g, ''));
}

// The seed's own lines (000_d5d7c6b94ee9472d.txt, sections 9 and 11), on server1 and server2 alike.
const seedMacNet1 =
  'docker network create --driver macvlan --subnet 172.183.1.0/24 --gateway 172.183.1.1 -o parent=eth0 mac_net1';
const seedMacNet2 =
  'docker network create --driver macvlan --subnet 172.183.2.0/24 --gateway 172.183.2.1 -o parent=eth1 mac_net2';

describe('the plan for the seed inventory is the seed’s own lab', () => {
  it('macvlan-one-nic: eth0 promiscuous, mac_net1 on both hosts, vm4 = .10 and vm5 = .11', async () => {
    for (const host of ['server1', 'server2']) {
      const cmds = await seedCommands('macvlan-one-nic', host);
      expect(cmds).toContain('ip link set eth0 promisc on');
      expect(cmds).toContain(seedMacNet1);
    }
    expect((await seedCommands('macvlan-one-nic', 'server1')).join('\n')).toMatch(
      /--name vm4 .*--net mac_net1 --ip 172\.183\.1\.10 /,
    );
    expect((await seedCommands('macvlan-one-nic', 'server2')).join('\n')).toMatch(
      /--name vm5 .*--net mac_net1 --ip 172\.183\.1\.11 /,
    );
  });

  it('macvlan-two-nic: eth1 brought up and promiscuous, mac_net2 on eth1, containers of both networks', async () => {
    for (const host of ['server1', 'server2']) {
      const cmds = await seedCommands('macvlan-two-nic', host);
      expect(cmds.slice(0, 3)).toEqual([
        'ip link set eth0 promisc on',
        'ip link set eth1 up',
        'ip link set eth1 promisc on',
      ]);
      expect(cmds).toContain(seedMacNet1);
      expect(cmds).toContain(seedMacNet2);
    }
    const s1 = (await seedCommands('macvlan-two-nic', 'server1')).join('\n');
    const s2 = (await seedCommands('macvlan-two-nic', 'server2')).join('\n');
    expect(s1).toMatch(/--net mac_net2 --ip 172\.183\.2\.10 /);
    expect(s2).toMatch(/--net mac_net2 --ip 172\.183\.2\.11 /);
  });
});
