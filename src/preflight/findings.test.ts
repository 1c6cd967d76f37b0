import { describe, expect, it } from 'vitest';
import type { NetworkInfo } from '../docker/docker-client.js';
import type { HostPlan } from '../plan/model.js';
import { hostFindings } from './findings.js';
import { parseRoutes } from './routes.js';

const base = { host: 'server1', dependsOn: [] };
const plan = (steps: HostPlan['steps']): HostPlan => ({
  host: 'server1',
  target: { host: 'server1', address: '198.18.0.1', port: 22, become: false },
  steps,
});
const net = (name: string, over: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: `${name}0123456789ab`,
  name,
  driver: 'bridge',
  labels: {},
  options: {},
  containers: [],
  ...over,
});
const links = new Map([['eth0', { name: 'eth0', up: true, promisc: false }]]);
const probe = (routes = '') => ({
  routes: parseRoutes(routes),
  linkDetails: new Map<string, string>(),
});

describe('preflight findings on one host', () => {
  const my_net2 = {
    ...base,
    kind: 'network' as const,
    id: 'w',
    name: 'my_net2',
    driver: 'bridge',
    subnet: '198.19.20.0/24',
    options: {},
    labels: {},
  };

  it('a subnet clashing with another scenario’s network stops the run, naming it', () => {
    const other = net('my_net2', {
      labels: { 'lab.scenario': 'bridge-custom' },
      id: '018e58ea65e3ff',
    });
    const f = hostFindings(
      plan([my_net2]),
      'bridge-isolation',
      links,
      [other],
      probe('198.19.20.0/24 dev br-018e58ea65e3 proto kernel'),
    );
    expect(f.problems).toHaveLength(1);
    expect(f.problems[0]).toMatch(/\(Docker network my_net2 of lab scenario bridge-custom\)/);
  });

  it('our own network from an earlier run is no clash', () => {
    const mine = net('my_net2', {
      labels: { 'lab.managed': 'true', 'lab.scenario': 'bridge-isolation' },
      id: '018e58ea65e3ff',
    });
    const f = hostFindings(
      plan([my_net2]),
      'bridge-isolation',
      links,
      [mine],
      probe('198.19.20.0/24 dev br-018e58ea65e3 proto kernel'),
    );
    expect(f.problems).toEqual([]);
  });

  it('a container on the default bridge needs it to exist', () => {
    const vm4 = {
      ...base,
      kind: 'container' as const,
      id: 'c',
      name: 'vm4',
      image: 'i',
      networks: [{ network: 'bridge' }],
      labels: {},
    };
    expect(hostFindings(plan([vm4]), 's', links, [], probe()).problems[0]).toMatch(
      /default bridge \(network bridge\) is missing/,
    );
    expect(hostFindings(plan([vm4]), 's', links, [net('bridge')], probe()).problems).toEqual([]);
  });

  it('an existing interface where a VLAN is asked for is a note, not a problem', () => {
    const withSub = new Map([...links, ['eth0.1', { name: 'eth0.1', up: true, promisc: false }]]);
    const nic = {
      ...base,
      kind: 'nic' as const,
      id: 'n',
      interface: 'eth0.1',
      vlan: { parent: 'eth0', id: 1 },
    };
    const f = hostFindings(plan([nic]), 's', withSub, [], {
      ...probe(),
      features: new Map([['8021q', { state: 'absent', why: 'Error: Unknown device type.' }]]),
    });
    expect(f.problems).toEqual([]);
    expect(f.notes[0]).toMatch(/^eth0\.1 already exists/);
  });
});
