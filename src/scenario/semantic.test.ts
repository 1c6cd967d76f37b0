import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { parseScenario } from './load.js';
import { resolveScenario } from './resolve.js';

function inventory(): Inventory {
  const host = (name: string, address: string, group: string) => ({
    name,
    address,
    port: 22,
    become: false,
    groups: ['all', group],
    vars: {},
    location: { file: 'inv.ini', line: 1 },
  });
  const group = (name: string, hosts: string[]) => ({ name, hosts, children: [], vars: {} });
  return {
    file: 'inv.ini',
    hosts: [
      host('server1', '172.25.83.1', 'servers'),
      host('server2', '172.25.83.2', 'servers'),
      host('server3', '172.25.83.3', 'others'),
    ],
    groups: {
      all: group('all', []),
      servers: group('servers', ['server1', 'server2']),
      others: group('others', ['server3']),
      empty: group('empty', []),
    },
  };
}

/**
 * Resolve `body` (after a common header) and return the error. The line to blame is marked `#!` in
 * the fixture, so each case shows where its error must point.
 */
function errorOf(body: string): { err: LabError; markedLine: number } {
  const text = `name: s\nhosts: [server1, server2]\nvars: { image: 'busybox:latest' }\n${body}`;
  const markedLine = text.split('\n').findIndex((l) => l.includes('#!')) + 1;
  try {
    resolveScenario(parseScenario(text, 's.yaml'), inventory(), {});
  } catch (err) {
    if (err instanceof LabError) return { err, markedLine };
    throw err;
  }
  throw new Error('expected a LabError');
}

const NET1 = `networks:
  - { name: mac_net1, driver: macvlan, parent: eth0, subnet: 172.183.1.0/24, gateway: 1 }
`;
const BR = `networks:
  - { name: my_net2, driver: bridge, subnet: 172.20.0.0/24, gateway: 172.20.0.1 }
`;

const cases: [string, string, RegExp][] = [
  // addresses
  [
    'an ip outside its subnet',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 172.183.2.10 }] } #!\n`,
    /^containers\[0\]\.networks\[0\]\.ip: ip 172\.183\.2\.10 is outside mac_net1's subnet 172\.183\.1\.0\/24$/,
  ],
  [
    'a host number outside its subnet',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 255 }] } #!\n`,
    /^containers\[0\]\.networks\[0\]\.ip: host number 255 is outside 172\.183\.1\.0\/24 \(usable host numbers: 1 to 254\)$/,
  ],
  [
    'host number 0',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 0 }] } #!\n`,
    /host number 0 is outside/,
  ],
  [
    'a gateway outside its subnet',
    `networks:\n  - name: n\n    driver: bridge\n    subnet: 10.1.0.0/24\n    gateway: 10.2.0.1 #!\n`,
    /^networks\[0\]\.gateway: gateway 10\.2\.0\.1 is outside the network's subnet 10\.1\.0\.0\/24$/,
  ],
  [
    'a gateway at the network address',
    `networks:\n  - name: n\n    driver: bridge\n    subnet: 10.1.0.0/24\n    gateway: 10.1.0.0 #!\n`,
    /gateway 10\.1\.0\.0 is the network address of 10\.1\.0\.0\/24/,
  ],
  [
    'a gateway without a subnet',
    `networks:\n  - name: n\n    driver: bridge\n    gateway: 10.1.0.1 #!\n`,
    /^networks\[0\]\.gateway: a gateway needs a subnet/,
  ],
  [
    'an ip equal to the gateway',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 1 }] } #!\n`,
    /ip 172\.183\.1\.1 is the gateway address of mac_net1/,
  ],
  [
    'an ip equal to the network address',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 172.183.1.0 }] } #!\n`,
    /ip 172\.183\.1\.0 is the network address of 172\.183\.1\.0\/24, not a host address/,
  ],
  [
    'an ip equal to the broadcast address',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 172.183.1.255 }] } #!\n`,
    /is the broadcast address/,
  ],
  [
    'an ip equal to a host address',
    `networks:\n  - { name: lan, driver: macvlan, parent: eth0, subnet: 172.25.83.0/24 }\ncontainers:\n  - { name: vm4, host: server1, networks: [{ network: lan, ip: 2 }] } #!\n`,
    /ip 172\.25\.83\.2 is the address of host server2/,
  ],
  [
    'a static ip on a network without a subnet',
    `networks:\n  - { name: n, driver: bridge }\ncontainers:\n  - { name: vm1, host: server1, networks: [{ network: n, ip: 10.0.0.5 }] } #!\n`,
    /^containers\[0\]\.networks\[0\]\.ip: a static ip needs a subnet, and network n has none$/,
  ],
  [
    'the same ip twice on a macvlan network, on two hosts',
    `${NET1}containers:\n  - { name: vm4, host: server1, networks: [{ network: mac_net1, ip: 10 }] }\n  - { name: vm5, host: server2, networks: [{ network: mac_net1, ip: 10 }] } #!\n`,
    /ip 172\.183\.1\.10 on mac_net1 is already taken by vm4 \(macvlan spans hosts/,
  ],
  [
    'the same ip twice on a bridge on one host',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [{ network: my_net2, ip: 10 }] }\n  - { name: vm2, host: server1, networks: [{ network: my_net2, ip: 10 }] } #!\n`,
    /ip 172\.20\.0\.10 on my_net2 is already taken by vm1 on server1/,
  ],
  [
    'overlapping subnets on one host',
    `networks:\n  - { name: a, driver: bridge, subnet: 10.1.0.0/16 }\n  - { name: b, driver: bridge, subnet: 10.1.2.0/24 } #!\n`,
    /^networks\[1\]\.subnet: subnet 10\.1\.2\.0\/24 overlaps 10\.1\.0\.0\/16 of network a \(networks\[0\], line 5\) on server1$/,
  ],
  // hosts
  [
    'an unknown group on a network',
    `networks:\n  - { name: n, driver: bridge, hosts: [servrs] } #!\n`,
    /^networks\[0\]\.hosts\[0\]: "servrs" is neither a host nor a group of the inventory \(did you mean "servers"\?\)$/,
  ],
  [
    'an empty group',
    `networks:\n  - { name: n, driver: bridge, hosts: empty } #!\n`,
    /group "empty" has no hosts/,
  ],
  [
    'a NIC host outside the scenario',
    `nics:\n  - { interface: eth0, hosts: [server3] } #!\n`,
    /^nics\[0\]\.hosts\[0\]: "server3" is not one of this scenario's hosts \(server1, server2\)$/,
  ],
  [
    'a group with none of the scenario hosts',
    `nics:\n  - { interface: eth0, hosts: others } #!\n`,
    /group "others" has none of this scenario's hosts/,
  ],
  [
    'a container on a group',
    `${BR}containers:\n  - { name: vm1, host: servers, networks: [my_net2] } #!\n`,
    /^containers\[0\]\.host: "servers" is a group; a container runs on one host$/,
  ],
  [
    'a container on an unknown host',
    `${BR}containers:\n  - { name: vm1, host: server9, networks: [my_net2] } #!\n`,
    /^containers\[0\]\.host: "server9" is neither a host nor a group/,
  ],
  [
    'a container on a network not present on its host',
    `networks:\n  - { name: n, driver: bridge, hosts: server1 }\ncontainers:\n  - { name: vm1, host: server2, networks: [n] } #!\n`,
    /^containers\[0\]\.networks\[0\]: network n is not created on server2 \(it is on: server1\)$/,
  ],
  // references
  [
    'a container on an unknown network',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net1] } #!\n`,
    /^containers\[0\]\.networks\[0\]: unknown network "my_net1" \(did you mean "my_net2"\?\)$/,
  ],
  [
    'a container on one network twice',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2, my_net2] } #!\n`,
    /the container is already on my_net2/,
  ],
  [
    'an expectation from an unknown container',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm9, reach: vm1, reason: r } #!\n`,
    /^expect\[0\]\.from: unknown container "vm9" \(did you mean "vm1"\?\)$/,
  ],
  [
    'an expectation to an unknown container',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, reach: vm2, reason: r } #!\n`,
    /^expect\[0\]\.reach: unknown container "vm2"/,
  ],
  [
    'an expectation to an unknown gateway',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, reach: { gateway: my_net3 }, reason: r } #!\n`,
    /^expect\[0\]\.reach\.gateway: unknown network "my_net3"/,
  ],
  [
    'an expectation to a gateway that is not set',
    `networks:\n  - { name: n, driver: bridge }\ncontainers:\n  - { name: vm1, host: server1, networks: [n] }\nexpect:\n  - { from: vm1, not_reach: { gateway: n }, reason: r } #!\n`,
    /network n has no gateway set/,
  ],
  [
    'a container target on a network it is not on',
    `${BR}  - { name: other, driver: bridge }\ncontainers:\n  - { name: vm1, host: server1, networks: [my_net2] }\n  - { name: vm2, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, reach: { container: vm2, network: other }, reason: r } #!\n`,
    /^expect\[0\]\.reach\.network: container vm2 is not on network other$/,
  ],
  [
    'an expectation to an unknown host',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, not_reach: { host: server7 }, reason: r } #!\n`,
    /^expect\[0\]\.not_reach\.host: "server7" is neither a host nor a group/,
  ],
  [
    'a reach expectation from a container to itself',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, reach: vm1, reason: r } #!\n`,
    /^expect\[0\]\.reach: vm1 reaching itself proves nothing/,
  ],
  [
    'a not_reach expectation from a container to itself',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\nexpect:\n  - { from: vm1, not_reach: { container: vm1 }, reason: r } #!\n`,
    /^expect\[0\]\.not_reach: vm1 cannot fail to reach itself$/,
  ],
  // macvlan
  [
    'two macvlan networks on one parent on one host',
    `networks:\n  - { name: mac_net1, driver: macvlan, parent: eth0, subnet: 172.183.1.0/24 }\n  - { name: mac_net2, driver: macvlan, parent: eth0, subnet: 172.183.2.0/24 } #!\n`,
    /^networks\[1\]\.parent: networks mac_net1 and mac_net2 both use parent eth0 on server1, and Docker allows one macvlan network per parent interface \(the seed, section 10\)$/,
  ],
  [
    'a macvlan network without parent',
    `networks:\n  - name: mac_net1\n    driver: macvlan #!\n    subnet: 172.183.1.0/24\n`,
    /^networks\[0\]\.driver: a macvlan network needs a parent interface$/,
  ],
  [
    'a parent on a bridge network',
    `networks:\n  - name: n\n    driver: bridge\n    parent: eth0 #!\n`,
    /parent applies to macvlan networks only; this one is bridge/,
  ],
  [
    'the parent written as a driver option',
    `networks:\n  - name: n\n    driver: macvlan\n    parent: eth0\n    options: { parent: eth1 } #!\n`,
    /write the macvlan parent as parent: on the network/,
  ],
  // NICs
  [
    'a VLAN NIC whose name lies about its VLAN',
    `nics:\n  - interface: eth0.1 #!\n    vlan: { parent: eth1, id: 2 }\n`,
    /^nics\[0\]\.interface: the name eth0\.1 reads as VLAN 1 on eth0, but vlan says parent eth1, id 2$/,
  ],
  [
    'a VLAN NIC that is its own parent',
    `nics:\n  - interface: vlan7\n    vlan: { parent: vlan7, id: 7 } #!\n`,
    /a VLAN interface cannot be its own parent/,
  ],
  [
    'a NIC prepared twice on one host',
    `nics:\n  - { interface: eth1, up: true }\n  - { interface: eth1, promisc: true, hosts: server2 } #!\n`,
    /^nics\[1\]\.interface: interface eth1 on server2 is already prepared \(nics\[0\], line 5\)$/,
  ],
  // names
  [
    'two networks with one name',
    `networks:\n  - { name: n, driver: bridge }\n  - { name: n, driver: bridge } #!\n`,
    /^networks\[1\]\.name: network "n" is already defined \(networks\[0\], line 5\)$/,
  ],
  [
    'two containers with one name',
    `${BR}containers:\n  - { name: vm1, host: server1, networks: [my_net2] }\n  - { name: vm1, host: server2, networks: [my_net2] } #!\n`,
    /^containers\[1\]\.name: container "vm1" is already defined/,
  ],
  [
    "a network named like one of Docker's own",
    `networks:\n  - { name: host, driver: bridge } #!\n`,
    /"host" is one of Docker's predefined networks/,
  ],
];

describe('semantic checks: each one a LabError at the offending line, before any host is touched', () => {
  it.each(cases)('%s', (_what, body, message) => {
    const { err, markedLine } = errorOf(body);
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(message);
    expect(err.context.file).toBe('s.yaml');
    if (markedLine > 0) expect(err.context.line).toBe(markedLine);
  });

  it('an unknown host in the scenario hosts, with the inventory hosts and groups listed', () => {
    const text = 'name: s\nhosts: [server1, server9]\n';
    let err: unknown;
    try {
      resolveScenario(parseScenario(text, 's.yaml'), inventory(), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabError);
    const e = err as LabError;
    expect(e.describe()).toBe(
      's.yaml:2:18: hosts[1]: "server9" is neither a host nor a group of the inventory (did you mean "server1"?)\n' +
        '  hint: hosts in inv.ini: server1, server2, server3; groups: all, empty, others, servers',
    );
  });
});

describe('what is allowed', () => {
  const ok = (body: string) =>
    resolveScenario(
      parseScenario(
        `name: s\nhosts: [server1, server2]\nvars: { image: 'busybox:latest' }\n${body}`,
        's.yaml',
      ),
      inventory(),
      {},
    );

  it('the same ip on a bridge network on two hosts: each host has its own bridge', () => {
    const s = ok(
      `${BR}containers:\n  - { name: vm1, host: server1, networks: [{ network: my_net2, ip: 10 }] }\n  - { name: vm2, host: server2, networks: [{ network: my_net2, ip: 10 }] }\n`,
    );
    expect(s.containers.map((c) => c.networks[0]?.ipv4)).toEqual(['172.20.0.10', '172.20.0.10']);
  });

  it('overlapping subnets on networks that share no host', () => {
    expect(() =>
      ok(
        `networks:\n  - { name: a, driver: bridge, hosts: server1, subnet: 10.1.0.0/24 }\n  - { name: b, driver: bridge, hosts: server2, subnet: 10.1.0.0/24 }\n`,
      ),
    ).not.toThrow();
  });

  it('two macvlan networks on one parent name, on different hosts', () => {
    expect(() =>
      ok(
        `networks:\n  - { name: a, driver: macvlan, parent: eth0, hosts: server1 }\n  - { name: b, driver: macvlan, parent: eth0, hosts: server2 }\n`,
      ),
    ).not.toThrow();
  });

  it('macvlan on a VLAN sub-interface (the seed, section 12)', () => {
    const s = ok(
      `nics:\n  - { interface: eth0, promisc: true }\n  - { interface: eth0.1, vlan: { parent: eth0, id: 1 } }\nnetworks:\n  - { name: mac_net1, driver: macvlan, parent: eth0, subnet: 172.183.1.0/24 }\n  - { name: mac_net3, driver: macvlan, parent: eth0.1, subnet: 172.183.3.0/24 }\n`,
    );
    expect(s.nics[1]).toEqual({
      hosts: ['server1', 'server2'],
      interface: 'eth0.1',
      vlan: { parent: 'eth0', id: 1 },
    });
  });

  it('the same interface on different hosts in separate entries', () => {
    expect(() =>
      ok(
        `nics:\n  - { interface: eth1, up: true, hosts: server1 }\n  - { interface: eth1, hosts: server2 }\n`,
      ),
    ).not.toThrow();
  });
});
