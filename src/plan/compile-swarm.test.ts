import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { describe, expect, it } from 'vitest';
import { renderAssertionPlan } from '../assert/render.js';
import { renderPlan } from './render.js';

const inventory = testInventory(2);

const plan = (text: string) => planOf(text, inventory, 'r.yaml');

describe('a swarm and an overlay network in the plan', () => {
  const p = plan(`name: r
vars: { image: 'busybox:latest' }
hosts: [server1, server2]
swarm: { address_pool: 198.19.64.0/18, pool_size: 24 }
networks:
  - { name: ov, driver: overlay, attachable: true, subnet: 198.19.30.0/24 }
containers:
  - { name: a, host: server1, networks: [{ network: ov, ip: 10 }] }
  - { name: b, host: server2, networks: [{ network: ov, ip: 11 }] }
`);
  const [s1, s2] = p.hosts;

  it('the swarm first on each host; the worker waits for the manager; the overlay network once, on the manager', () => {
    expect(s1?.steps.map((s) => `${s.id} <- ${s.dependsOn.join(',')}`)).toEqual([
      'server1/swarm <- ',
      'server1/network/ov <- server1/swarm',
      'server1/container/a <- server1/network/ov,server1/swarm',
    ]);
    expect(s2?.steps.map((s) => `${s.id} <- ${s.dependsOn.join(',')}`)).toEqual([
      'server2/swarm <- server1/swarm',
      'server2/container/b <- server1/network/ov,server2/swarm',
    ]);
    expect(s1?.steps[0]).toMatchObject({
      kind: 'swarm',
      role: 'manager',
      advertiseAddress: '198.18.0.1',
      managerAddress: '198.18.0.1:2377',
      addressPool: '198.19.64.0/18',
      labels: { 'lab.swarm': 'created', 'lab.scenario': 'r' },
    });
  });

  it('prints as the commands a person types', () => {
    const text = renderPlan(p);
    expect(text).toContain(
      'docker swarm init --advertise-addr 198.18.0.1 --default-addr-pool 198.19.64.0/18 --default-addr-pool-mask-length 24',
    );
    expect(text).toContain('docker swarm join --token <worker token> 198.18.0.1:2377');
    expect(text).toContain(
      'docker network create --driver overlay --subnet 198.19.30.0/24 --attachable',
    );
  });
});

describe('the default bridge and assertions in the plan', () => {
  const p = plan(`name: r
vars: { image: 'busybox:latest' }
hosts: [server1]
networks:
  - { name: n, driver: bridge }
containers:
  - { name: web, host: server1, networks: [bridge], publish: ['80:80'] }
  - { name: c, host: server1, networks: [n] }
assert:
  - { http: { port: 80 }, body: hello, reason: from outside }
  - { fails: { run: { name: bad, networks: [{ network: bridge, ip: 10 }] } }, message: user defined, reason: r }
`);

  it('a container on the default bridge depends on no network step', () => {
    expect(p.hosts[0]?.steps.find((s) => s.id === 'server1/container/web')?.dependsOn).toEqual([]);
  });

  it('assertions wait for every step of their host, carry lab labels, and print with their claim', () => {
    const [http, fails] = p.assertions ?? [];
    expect(http).toMatchObject({
      kind: 'http',
      address: '198.18.0.1',
      port: 80,
      path: '/',
      status: 200,
    });
    expect(http?.dependsOn).toEqual([
      'server1/network/n',
      'server1/container/web',
      'server1/container/c',
    ]);
    expect(fails).toMatchObject({
      labels: { 'lab.scenario': 'r', 'lab.kind': 'expected-failure' },
    });
    const text = renderAssertionPlan(p.assertions);
    expect(text).toContain('## on this machine\ncurl -s -i http://198.18.0.1:80/');
    expect(text).toContain("--net bridge --ip '<host 10 of bridge>'");
    expect(text).toContain('must FAIL: Docker refuses it, with a message matching /user defined/');
  });
});
