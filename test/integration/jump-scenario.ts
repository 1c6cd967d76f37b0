/**
 * A small scenario for a box with server3 behind server1 (jump.test.ts, bench/jump.bench.ts): macvlan
 * on eth1, the switch every host shares, between server1 and `other`. With other = server3 it goes
 * through the jump host; with server2, the same work reaches both hosts directly.
 */
export const jumpScenario = (name: string, other: string) => `name: ${name}
description: macvlan on eth1 between server1 and ${other}.
hosts: [server1, ${other}]
nics:
  - interface: eth1
    up: true
    promisc: true
networks:
  - name: mac_net2
    driver: macvlan
    subnet: \${mac_net2_subnet}
    gateway: \${mac_net2_gateway}
    parent: eth1
containers:
  - name: vm6
    host: server1
    networks: [{ network: mac_net2, ip: 10 }]
    command: [sleep, '3600']
  - name: vm7
    host: ${other}
    networks: [{ network: mac_net2, ip: 11 }]
    command: [sleep, '3600']
expect:
  - from: vm7
    reach: vm6
    reason: both on mac_net2, which eth1 carries between the hosts.
  - from: vm6
    reach: vm7
    reason: the same segment, the other way.
`;
