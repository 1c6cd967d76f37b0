import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { testInventory } from '../../test/fakes/plan-fixture.js';
import { parseScenario } from './load.js';
import { resolveScenario } from './resolve.js';

const HEAD = `name: r
vars: { image: 'busybox:latest' }
hosts: [server1, server2]
networks:
  - { name: my_net1, driver: bridge }
  - { name: my_net2, driver: bridge, subnet: 172.20.0.0/24, gateway: 1 }
containers:
  - { name: vm1, host: server1, networks: [my_net1, my_net2] }
  - { name: vm4, host: server1, networks: [bridge] }
`;

const resolve = (text: string) =>
  resolveScenario(parseScenario(text, 'r.yaml'), testInventory(2), {});

function error(text: string): LabError {
  try {
    resolve(text);
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('Docker’s default bridge', () => {
  it('is attached to without being declared, and gets no network step', () => {
    const s = resolve(HEAD);
    expect(s.containers.find((c) => c.name === 'vm4')?.networks).toEqual([{ network: 'bridge' }]);
    expect(s.networks.map((n) => n.name)).toEqual(['my_net1', 'my_net2']);
  });

  it('refuses a static ip on it, pointing at the fails: assertion that shows the refusal', () => {
    const e = error(
      HEAD.replace('networks: [bridge] }', 'networks: [{ network: bridge, ip: 10 }] }'),
    );
    expect(e.message).toMatch(
      /containers\[1\]\.networks\[0\]\.ip: Docker refuses a static ip on its default bridge/,
    );
    expect(e.context.line).toBe(9);
    expect(e.context.hint).toMatch(/fails: \{ run: … \}/);
  });
});

describe('assertions', () => {
  it('resolve with per-kind default hosts and run-time references', () => {
    const s = resolve(`${HEAD}assert:
  - network: my_net2
    has: { subnet: 172.20.0.0/24, gateway: 1 }
    reason: given
  - network: my_net1
    has: { gateway: 1 }
    reason: chosen by Docker
  - interface: { bridge_of: my_net1 }
    has: { address: { gateway_of: my_net1 } }
    reason: the bridge holds the gateway
  - fails:
      run: { name: vm_bad, networks: [{ network: bridge, ip: 10 }] }
    message: user defined networks only
    host: server1
    reason: no --ip on docker0
  - from: vm1
    resolves: vm4
    ping: true
    reason: why not
  - iptables: { table: nat, chain: POSTROUTING }
    rule: { target: MASQUERADE, source: { subnet_of: my_net1 } }
    reason: SNAT
`);
    const [net2, net1, br, fails, res, ipt] = s.assertions ?? [];
    expect(net2).toMatchObject({
      kind: 'network',
      hosts: ['server1', 'server2'],
      has: { gateway: { ipv4: '172.20.0.1' } },
    });
    expect(net1).toMatchObject({ has: { gateway: { hostNumber: 1 } } });
    expect(br).toMatchObject({
      interface: { bridgeOf: 'my_net1' },
      has: { address: { kind: 'gateway_of', network: 'my_net1' } },
    });
    expect(fails).toMatchObject({
      kind: 'fails',
      hosts: ['server1'],
      op: {
        op: 'run',
        name: 'vm_bad',
        image: 'busybox:latest',
        networks: [{ network: 'bridge', hostNumber: 10 }],
      },
    });
    expect(res).toMatchObject({
      kind: 'resolves',
      from: 'vm1',
      name: 'vm4',
      resolve: true,
      ping: true,
    });
    expect(ipt).toMatchObject({ rule: { source: { kind: 'subnet_of', network: 'my_net1' } } });
  });

  it.each([
    [
      'two kinds in one item',
      '  - { network: my_net1, listening: { port: 80 }, has: { driver: bridge }, reason: r }',
      /give exactly one of fails, network, interface, iptables, listening, http, resolves, not_resolves \(got network and listening\)/,
    ],
    [
      'a key of another kind',
      '  - { network: my_net1, rule: { target: X }, has: { driver: bridge }, reason: r }',
      /rule does not go with network/,
    ],
    [
      'a fact of another kind',
      '  - { network: my_net1, has: { up: true }, reason: r }',
      /up is not a fact of a network/,
    ],
    [
      'an unknown network',
      '  - { network: my_net3, has: { driver: bridge }, reason: r }',
      /unknown network "my_net3" \(did you mean "my_net1"\?\)/,
    ],
    [
      'an unknown container',
      '  - { from: vm9, resolves: vm1, reason: r }',
      /unknown container "vm9"/,
    ],
    [
      'a failing run reusing a scenario name',
      '  - { fails: { run: { name: vm1, networks: [bridge] } }, message: x, reason: r }',
      /one of the scenario's own/,
    ],
    [
      'a bad pattern',
      "  - { fails: { run: { name: v, networks: [bridge] } }, message: '(', reason: r }",
      /not a valid regular expression/,
    ],
    [
      'a failing operation without its message',
      '  - { fails: { run: { name: v, networks: [bridge] } }, reason: r }',
      /fails needs message:/,
    ],
    [
      'two operations',
      '  - { fails: { run: { name: v, networks: [bridge] }, connect: { network: my_net1, container: vm4 } }, message: x, reason: r }',
      /give exactly one operation/,
    ],
    [
      'the bridge of an unknown network',
      '  - { interface: { bridge_of: m }, has: { up: true }, reason: r }',
      /unknown network "m"/,
    ],
    ['a name resolving itself', '  - { from: vm1, resolves: vm1, reason: r }', /proves nothing/],
    [
      'veths of a named interface',
      '  - { interface: eth0, has: { veths: [vm1] }, reason: r }',
      /veths are the ports of a bridge network's bridge/,
    ],
    [
      'veths of a container not on the network',
      '  - { interface: { bridge_of: bridge }, has: { veths: [vm1] }, reason: r }',
      /container vm1 is not on network bridge/,
    ],
  ])('refuse %s, at its line', (_what, item, message) => {
    const e = error(`${HEAD}assert:\n${item}\n`);
    expect(e.message).toMatch(message);
    expect(e.context.line).toBe(11);
  });
});

describe('swarm and overlay', () => {
  const OVERLAY = `name: r
vars: { image: 'busybox:latest' }
hosts: [server1, server2]
swarm: { manager: server2, address_pool: 198.19.64.0/18 }
networks:
  - { name: ov, driver: overlay, attachable: true, subnet: 198.19.30.0/24 }
containers:
  - { name: a, host: server1, networks: [{ network: ov, ip: 10 }] }
  - { name: b, host: server2, networks: [{ network: ov, ip: 10 }] }
`;

  it('a swarm names its manager and workers', () => {
    expect(error(OVERLAY).message).toMatch(
      /ip 198\.19\.30\.10 on ov is already taken by a \(overlay spans hosts/,
    );
    const s = resolve(
      OVERLAY.replace(
        'host: server2, networks: [{ network: ov, ip: 10 }]',
        'host: server2, networks: [{ network: ov, ip: 11 }]',
      ),
    );
    expect(s.swarm).toEqual({
      manager: 'server2',
      workers: ['server1'],
      addressPool: '198.19.64.0/18',
    });
  });

  it('an overlay network needs a swarm, and attachable when containers join it', () => {
    expect(error(OVERLAY.replace(/swarm: .*\n/, '')).message).toMatch(
      /an overlay network needs a Docker swarm/,
    );
    expect(error(OVERLAY.replace('attachable: true, ', '')).message).toMatch(
      /only when it is attachable/,
    );
    expect(error(OVERLAY.replace('manager: server2', 'manager: server3')).message).toMatch(
      /swarm\.manager: "server3" is neither a host nor a group/,
    );
  });
});
