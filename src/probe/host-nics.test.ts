import { describe, expect, it } from 'vitest';
import { container, host, macvlan, net } from '../../test/fakes/topologies.js';
import { parseLinks } from '../host/nic-state.js';
import { hostNics } from './host-nics.js';

const IP_LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN',
  '2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP',
  '3: eth1@if7: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP',
  '4: eth0.1@eth0: <BROADCAST,MULTICAST,PROMISC> mtu 1500 qdisc noqueue state DOWN',
  '6: eth2@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP',
  '5: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN',
].join('\n');

describe('hostNics', () => {
  it('the parents of its containers’ macvlan networks with their flags, a VLAN with its own parent; bridges and unused networks add none', () => {
    const links = parseLinks(IP_LINK);
    const networks = [
      macvlan('server1', 'mac_net3', '198.19.3.0/24', 'eth0.1'),
      macvlan('server1', 'mac_net2', '198.19.2.0/24', 'eth1'),
      macvlan('server1', 'theirs', '198.19.9.0/24', 'eth2'),
      net('server1', 'br_net'),
    ];
    const containers = [
      container('server1', 'vm1', [
        ['mac_net3', '198.19.3.10'],
        ['br_net', '198.19.4.2'],
      ]),
      container('server1', 'vm2', [['mac_net2', '198.19.2.10']]),
    ];
    const s1 = host('server1', '198.18.0.1', networks, containers);
    expect(hostNics(s1, links)).toEqual([
      {
        name: 'eth0.1',
        up: false,
        promisc: true,
        vlan: { parent: 'eth0', id: 1 },
      },
      { name: 'eth0', up: true, promisc: false },
      { name: 'eth1', up: true, promisc: true },
    ]);
  });

  it('a parent the host does not have is left out (the picture still draws its name)', () => {
    const networks = [macvlan('server1', 'm', '198.19.3.0/24', 'eth9')];
    const vm1 = container('server1', 'vm1', [['m', '198.19.3.10']]);
    expect(hostNics(host('server1', '198.18.0.1', networks, [vm1]), parseLinks(IP_LINK))).toEqual(
      [],
    );
  });
});
