import { describe, expect, it } from 'vitest';
import { hostBatch, machineBatch } from './ip-batch.js';
import { planBox } from './topology.js';

describe('ip batches', () => {
  const plan = planBox(2);

  it('creates the three switches, the LAN one with the machine address, then each host', () => {
    const lines = machineBatch(plan).trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'link add labbox-sw0 type bridge stp_state 0 forward_delay 0',
      'addr add 198.18.0.254/24 dev labbox-sw0',
      'link set labbox-sw0 up',
      'link add labbox-sw1 type bridge stp_state 0 forward_delay 0',
    ]);
    expect(lines).toContain('netns add labbox-server2');
    expect(lines).toContain(
      'link add labbox-2-eth0.1 type veth peer name eth0.1 netns labbox-server2',
    );
    expect(lines).toContain('link set labbox-2-eth0.1 master labbox-sw01 up');
    expect(lines.indexOf('netns add labbox-server1')).toBeLessThan(
      lines.indexOf('link add labbox-1-eth0 type veth peer name eth0 netns labbox-server1'),
    );
  });

  it('configures a host: eth0 addressed and up, eth1 left down, eth0.1 up without address', () => {
    expect(hostBatch(plan.hosts[1]!)).toBe(
      [
        'link set lo up',
        'addr add 198.18.0.2/24 dev eth0',
        'link set eth0 up',
        'link set eth0.1 up',
        'route add default via 198.18.0.254 dev eth0',
        '',
      ].join('\n'),
    );
  });

  it('keeps every interface name within the kernel limit', () => {
    for (const host of planBox(8).hosts) {
      for (const nic of host.interfaces) expect(nic.rootPeer.length).toBeLessThanOrEqual(15);
    }
  });
});
