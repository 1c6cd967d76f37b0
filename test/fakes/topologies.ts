import type { TopoContainer, TopoHost, TopoNetwork, Topology } from '../../src/probe/topology.js';

/** Topologies for unit tests of expectation derivation and the matrix: plain data, no hosts. */
export function net(host: string, name: string, extra: Partial<TopoNetwork> = {}): TopoNetwork {
  return {
    host,
    id: `${host}-${name}`,
    name,
    driver: 'bridge',
    internal: false,
    icc: true,
    ...extra,
  };
}

export function macvlan(host: string, name: string, subnet: string, parent: string): TopoNetwork {
  const gateway = subnet.replace(/\.0\/\d+$/, '.1');
  return net(host, name, { driver: 'macvlan', subnet, gateway, parent });
}

export function bridge(host: string, name: string, subnet: string): TopoNetwork {
  return net(host, name, { subnet, gateway: subnet.replace(/\.0\/\d+$/, '.1') });
}

export function container(
  host: string,
  name: string,
  endpoints: [network: string, ipv4: string][],
  extra: Partial<TopoContainer> = {},
): TopoContainer {
  return {
    host,
    id: `id-${name}`,
    name,
    image: 'img',
    running: true,
    endpoints: endpoints.map(([network, ipv4], i) => ({
      network,
      ipv4,
      prefixLength: 24,
      mac: `02:42:00:00:00:${String(i + 10)}`,
    })),
    observed: true,
    ...extra,
  };
}

export function host(
  name: string,
  address: string,
  networks: TopoNetwork[],
  containers: TopoContainer[],
  extra: Partial<TopoHost> = {},
): TopoHost {
  return { name, address, networks, containers, ...extra };
}

/** The seed's two-NIC macvlan lab, at the box's addresses. */
export function twoNic(): Topology {
  const nets = (h: string) => [
    macvlan(h, 'mac_net1', '198.19.1.0/24', 'eth0'),
    macvlan(h, 'mac_net2', '198.19.2.0/24', 'eth1'),
  ];
  return {
    hosts: [
      host('server1', '198.18.0.1', nets('server1'), [
        container('server1', 'vm4', [['mac_net1', '198.19.1.10']]),
        container('server1', 'vm6', [['mac_net2', '198.19.2.10']]),
      ]),
      host('server2', '198.18.0.2', nets('server2'), [
        container('server2', 'vm5', [['mac_net1', '198.19.1.11']]),
        container('server2', 'vm7', [['mac_net2', '198.19.2.11']]),
      ]),
    ],
  };
}

/** Two user-defined bridges on server1 (c2 on both), the same br_a (name and subnet) on server2. */
export function bridges(): Topology {
  const nets = (h: string) => [
    bridge(h, 'br_a', '198.19.21.0/24'),
    bridge(h, 'br_b', '198.19.22.0/24'),
    net(h, 'bridge', { subnet: '198.19.128.0/24', gateway: '198.19.128.1' }),
  ];
  return {
    hosts: [
      host('server1', '198.18.0.1', nets('server1'), [
        container('server1', 'c1', [['br_a', '198.19.21.10']]),
        container('server1', 'c2', [
          ['br_a', '198.19.21.11'],
          ['br_b', '198.19.22.11'],
        ]),
        container('server1', 'c3', [['br_b', '198.19.22.12']]),
        container('server1', 'd1', [['bridge', '198.19.128.2']]),
      ]),
      host('server2', '198.18.0.2', nets('server2'), [
        container('server2', 'c4', [['br_a', '198.19.21.20']]),
      ]),
    ],
  };
}
