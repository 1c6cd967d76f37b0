import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { parseScenario } from './load.js';
import { resolveScenario } from './resolve.js';

function inventory(): Inventory {
  const host = (name: string, groups: string[]) => ({
    name,
    address: `172.25.83.${name.slice(-1)}`,
    port: 22,
    become: false,
    groups: ['all', ...groups],
    vars: {},
    location: { file: 'inv.ini', line: 1 },
  });
  const group = (name: string, hosts: string[]) => ({ name, hosts, children: [], vars: {} });
  return {
    file: 'inv.ini',
    // Declared out of name order on purpose: resolved host lists follow the inventory.
    hosts: [host('server2', ['docker']), host('server1', ['docker']), host('server3', ['spare'])],
    groups: {
      all: group('all', []),
      docker: group('docker', ['server2', 'server1']),
      spare: group('spare', ['server3']),
    },
  };
}

const resolve = (text: string, cli: Record<string, string> = {}) =>
  resolveScenario(parseScenario(text, 'r.yaml'), inventory(), cli);

describe('addresses: an address, or a host number within the subnet', () => {
  const scenario = (subnet: string, ip: string, gateway = '1') => `name: r
vars: { image: 'busybox:latest' }
networks:
  - { name: n, driver: bridge, subnet: '${subnet}', gateway: ${gateway} }
containers:
  - { name: c, host: server1, networks: [{ network: n, ip: ${ip} }] }
`;
  const ipOf = (text: string) => resolve(text).containers[0]?.networks[0]?.ipv4;

  it.each([
    ['172.183.1.0/24', '10', '172.183.1.10'],
    ['172.183.1.0/24', '254', '172.183.1.254'],
    ['172.20.0.0/16', '300', '172.20.1.44'],
    ['198.19.1.0/24', '11', '198.19.1.11'],
    ['10.0.0.0/30', '2', '10.0.0.2'],
    ['172.183.1.0/24', '172.183.1.77', '172.183.1.77'],
    ['172.183.1.0/24', "'12'", '172.183.1.12'],
  ])('in %s, %s is %s', (subnet, ip, expected) => {
    expect(ipOf(scenario(subnet, ip))).toBe(expected);
  });

  it('the gateway too, as a number or an address', () => {
    expect(resolve(scenario('172.183.1.0/24', '10')).networks[0]?.gateway).toBe('172.183.1.1');
    expect(resolve(scenario('172.183.1.0/24', '10', '172.183.1.254')).networks[0]?.gateway).toBe(
      '172.183.1.254',
    );
  });

  it('a host number from a variable (a string of digits)', () => {
    const text = scenario('172.183.1.0/24', "'${vm_ip}'");
    expect(resolve(text, { vm_ip: '33' }).containers[0]?.networks[0]?.ipv4).toBe('172.183.1.33');
  });

  it('a host number beyond a small subnet', () => {
    expect(() => ipOf(scenario('10.0.0.0/30', '3'))).toThrow(
      /host number 3 is outside 10\.0\.0\.0\/30 \(usable host numbers: 1 to 2\)/,
    );
  });

  it('no gateway and no ip: Docker chooses, and the spec says nothing', () => {
    const s = resolve(
      'name: r\nvars: { image: x }\nnetworks: [{ name: n, driver: bridge }]\ncontainers: [{ name: c, host: server1, networks: [n] }]\n',
    );
    expect(s.networks[0]).toEqual({
      name: 'n',
      driver: 'bridge',
      hosts: ['server2', 'server1', 'server3'],
      options: {},
    });
    expect(s.containers[0]?.networks).toEqual([{ network: 'n' }]);
  });
});

describe('hosts and defaults', () => {
  it('hosts default to the whole inventory, in inventory order', () => {
    expect(resolve('name: r\n').hosts).toEqual(['server2', 'server1', 'server3']);
  });

  it('a group selects its hosts in inventory order; a single name works without a list', () => {
    expect(resolve('name: r\nhosts: docker\n').hosts).toEqual(['server2', 'server1']);
    expect(resolve('name: r\nhosts: [server1, server2]\n').hosts).toEqual(['server2', 'server1']);
  });

  it('NICs and networks default to the scenario hosts; `all` is narrowed to them', () => {
    const s = resolve(`name: r
hosts: docker
nics:
  - { interface: eth0, promisc: true }
  - { interface: eth1, up: true, hosts: server1 }
networks:
  - { name: a, driver: bridge }
  - { name: b, driver: bridge, hosts: all }
`);
    expect(s.nics.map((n) => n.hosts)).toEqual([['server2', 'server1'], ['server1']]);
    expect(s.networks.map((n) => n.hosts)).toEqual([
      ['server2', 'server1'],
      ['server2', 'server1'],
    ]);
  });

  it('a container image defaults to the variable image', () => {
    const text =
      'name: r\nvars: { image: lab/busybox:latest }\nnetworks: [{ name: n, driver: bridge }]\ncontainers:\n  - { name: a, host: server1, networks: [n] }\n  - { name: b, host: server1, networks: [n], image: alpine:3.20 }\n';
    expect(resolve(text).containers.map((c) => c.image)).toEqual([
      'lab/busybox:latest',
      'alpine:3.20',
    ]);
  });

  it('no image and no variable image is an error at the container', () => {
    const err = (() => {
      try {
        resolve(
          'name: r\nnetworks: [{ name: n, driver: bridge }]\ncontainers:\n  - { name: a, host: server1, networks: [n] }\n',
        );
      } catch (e) {
        return e as LabError;
      }
      throw new Error('expected an error');
    })();
    expect(err.message).toMatch(
      /^containers\[0\]: no image: give the container an image, or define the variable image/,
    );
    expect(err.context).toMatchObject({ file: 'r.yaml', line: 4, column: 5 });
  });

  it('name, description, file, optional fields pass through; empty lists stay empty', () => {
    const s = resolve(`name: r
description: |
  First line.
  Second line.
vars: { image: x }
networks:
  - name: n
    driver: macvlan
    parent: eth0
    options: { macvlan_mode: bridge }
    internal: true
    attachable: false
containers:
  - { name: a, host: server1, networks: [n], command: [sleep, '60'], publish: ['8080:80'] }
`);
    expect(s).toMatchObject({
      name: 'r',
      description: 'First line.\nSecond line.',
      file: 'r.yaml',
      nics: [],
      expectations: [],
    });
    expect(s.networks[0]).toMatchObject({
      parent: 'eth0',
      options: { macvlan_mode: 'bridge' },
      internal: true,
      attachable: false,
    });
    expect(s.containers[0]).toMatchObject({ command: ['sleep', '60'], publish: ['8080:80'] });
  });
});

describe('expectation targets are made concrete', () => {
  const text = (expect: string) => `name: r
vars: { image: x }
networks:
  - { name: n1, driver: bridge, subnet: 10.1.0.0/24, gateway: 1 }
  - { name: n2, driver: bridge, subnet: 10.2.0.0/24 }
containers:
  - { name: a, host: server1, networks: [n1] }
  - { name: b, host: server1, networks: [n2, n1] }
  - { name: c, host: server1, networks: [n2] }
expect:
${expect}`;
  const target = (e: string) => resolve(text(e)).expectations[0];

  it('a container name: the network it shares with the source', () => {
    expect(target('  - { from: a, reach: b, reason: shared }\n')).toEqual({
      from: 'a',
      to: { kind: 'container', container: 'b', network: 'n1' },
      reach: true,
      reason: 'shared',
      line: 11,
    });
  });

  it('no shared network: the target first network', () => {
    expect(target('  - { from: a, not_reach: c, reason: apart }\n')?.to).toEqual({
      kind: 'container',
      container: 'c',
      network: 'n2',
    });
  });

  it('an explicit network, a gateway, a host, an address', () => {
    expect(
      target('  - { from: a, reach: { container: b, network: n2 }, reason: r }\n')?.to,
    ).toEqual({ kind: 'container', container: 'b', network: 'n2' });
    expect(target('  - { from: a, reach: { gateway: n1 }, reason: r }\n')?.to).toEqual({
      kind: 'gateway',
      network: 'n1',
    });
    expect(target('  - { from: a, not_reach: { host: server3 }, reason: r }\n')?.to).toEqual({
      kind: 'host',
      host: 'server3',
    });
    expect(
      target('  - { from: a, not_reach: { address: 198.18.0.1 }, reason: r }\n'),
    ).toMatchObject({
      to: { kind: 'address', address: '198.18.0.1' },
      reach: false,
    });
  });

  it('a host target is one host, not a group', () => {
    expect(() => target('  - { from: a, not_reach: { host: docker }, reason: r }\n')).toThrow(
      /"docker" is a group; a target is one host/,
    );
  });
});
