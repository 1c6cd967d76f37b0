import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../inventory/load.js';
import { inBoxRange } from './address-plan.js';
import { renderInventory } from '../inventory-text.js';
import { hostBatch, machineBatch } from './ip-batch.js';
import { planBox } from './topology.js';

describe('a host behind a jump host (lab box up --behind server3=server1)', () => {
  const plan = planBox(3, { server3: 'server1' });
  const [server1, server2, server3] = plan.hosts;

  it('moves the hidden host’s eth0 to a switch without the machine, and gives the jump host a leg', () => {
    expect(plan.bridges.find((b) => b.name === 'labbox-swj')).toMatchObject({
      name: 'labbox-swj',
    });
    expect(plan.bridges.find((b) => b.name === 'labbox-swj')?.address).toBeUndefined();
    expect(server3?.behind).toBe('server1');
    expect(server3?.interfaces.find((n) => n.name === 'eth0')?.bridge).toBe('labbox-swj');
    expect(server3?.interfaces.find((n) => n.name === 'eth1')?.bridge).toBe('labbox-sw1');
    expect(server1?.interfaces.map((n) => `${n.name}@${n.bridge}`)).toContain('mgmt0@labbox-swj');
    expect(server2?.interfaces.map((n) => n.name)).not.toContain('mgmt0');
    expect(machineBatch(plan)).toContain('link set labbox-1-mgmt0 master labbox-swj up');
  });

  it('routes the jump host to the hidden one over its leg; addresses stay in 198.18.0.0/15', () => {
    expect(hostBatch(server1!)).toContain('route add 198.18.0.3/32 dev mgmt0 src 198.18.0.1\n');
    expect(hostBatch(server3!)).toContain('addr add 198.18.0.3/24 dev eth0\n');
    for (const host of plan.hosts) expect(inBoxRange(host.address)).toBe(true);
  });

  it('writes ProxyJump into the inventory, which lab reads back as Ansible would', () => {
    const text = renderInventory({
      createdAt: '2026-01-02T03:04:05.000Z',
      hosts: plan.hosts.map((h) => ({ name: h.name, address: h.address, behind: h.behind })),
      clientKey: '/k',
      knownHosts: '/kh',
    });
    expect(text).toContain(
      "server3 ansible_host=198.18.0.3 ansible_ssh_common_args='-o ProxyJump=server1'",
    );
    const inv = parseInventory(text, 'inventory.ini');
    expect(inv.hosts.find((h) => h.name === 'server3')?.vars['ansible_ssh_common_args']).toBe(
      '-o ProxyJump=server1',
    );
  });

  it.each([
    [{ server4: 'server1' }, /server4 is not one of the box's hosts/],
    [{ server3: 'server3' }, /cannot sit behind itself/],
    [{ server3: 'server2', server2: 'server1' }, /server2 is itself behind server1/],
  ])('refuses %j', (behind, message) => {
    expect(() => planBox(3, behind)).toThrow(message);
  });

  it('leaves a plain box as it was', () => {
    expect(planBox(2).bridges.map((b) => b.name)).not.toContain('labbox-swj');
  });
});
