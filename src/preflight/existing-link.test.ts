import { describe, expect, it } from 'vitest';
import { describeExistingLink } from './existing-link.js';

describe('an interface that exists already where a VLAN sub-interface is asked for', () => {
  const vlan = { parent: 'eth0', id: 1 };

  it('the box’s stand-in: a veth, used as it is, said so', () => {
    const detail =
      '4: eth0.1@if363: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 0a:2e:17:37:bf:43 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    veth addrgenmode eui64 numtxqueues 2';
    expect(describeExistingLink('eth0.1', vlan, detail)).toBe(
      'eth0.1 already exists (a veth, not an 802.1Q sub-interface: a stand-in for VLAN 1); it is used as it is, and lab neither creates nor deletes it',
    );
  });

  it('a real VLAN, as asked or not', () => {
    const real =
      '7: eth0.1@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP \\    link/ether 52:54:00:c5:33:5c brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    vlan protocol 802.1Q id 1 <REORDER_HDR> addrgenmode eui64';
    expect(describeExistingLink('eth0.1', vlan, real)).toMatch(
      /\(an 802\.1Q sub-interface, VLAN 1 on eth0, as asked\)/,
    );
    expect(describeExistingLink('eth0.1', vlan, real.replace('id 1 ', 'id 5 '))).toMatch(
      /but VLAN 5 on eth0, not VLAN 1 on eth0/,
    );
  });

  it('nothing known about it', () => {
    expect(describeExistingLink('eth0.1', vlan, '')).toMatch(
      /^eth0\.1 already exists \(an interface, not an 802\.1Q/,
    );
  });
});
