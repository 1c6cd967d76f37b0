import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { Scenario } from '../scenario/model.js';
import { twoNic } from '../../test/fakes/topologies.js';
import { buildMatrix } from './build-matrix.js';
import { withScenario } from './scenario-topology.js';
import type { Topology } from './topology.js';

const scenario: Scenario = {
  name: 'macvlan-two-nic',
  description: '',
  file: 'macvlan-two-nic.yaml',
  hosts: ['server1', 'server2'],
  vars: {},
  nics: [],
  networks: [
    {
      name: 'mac_net1',
      driver: 'macvlan',
      hosts: ['server1', 'server2'],
      subnet: '198.19.1.0/24',
      gateway: '198.19.1.1',
      parent: 'eth0',
      options: {},
    },
    {
      name: 'mac_net2',
      driver: 'macvlan',
      hosts: ['server1', 'server2'],
      subnet: '198.19.2.0/24',
      gateway: '198.19.2.1',
      parent: 'eth1',
      options: {},
    },
  ],
  containers: [
    {
      name: 'vm4',
      host: 'server1',
      image: 'img',
      networks: [{ network: 'mac_net1', ipv4: '198.19.1.10' }],
    },
    {
      name: 'vm6',
      host: 'server1',
      image: 'img',
      networks: [{ network: 'mac_net2', ipv4: '198.19.2.10' }],
    },
    {
      name: 'vm5',
      host: 'server2',
      image: 'img',
      networks: [{ network: 'mac_net1', ipv4: '198.19.1.11' }],
    },
    {
      name: 'vm7',
      host: 'server2',
      image: 'img',
      networks: [{ network: 'mac_net2', ipv4: '198.19.2.11' }],
    },
  ],
  expectations: [
    {
      from: 'vm5',
      to: { kind: 'container', container: 'vm4', network: 'mac_net1' },
      reach: true,
      reason: 'the scenario says so',
    },
    {
      from: 'vm5',
      to: { kind: 'gateway', network: 'mac_net1' },
      reach: false,
      reason: 'nobody holds it',
    },
    { from: 'vm4', to: { kind: 'host', host: 'server1' }, reach: false, reason: 'own host' },
    {
      from: 'vm4',
      to: { kind: 'address', address: '198.18.0.254' },
      reach: false,
      reason: 'the machine',
    },
  ],
};

describe('buildMatrix', () => {
  it('every source × every target but itself, each with an expectation', () => {
    const m = buildMatrix(twoNic());
    expect(m.sources.map((s) => `${s.name}@${s.host}`)).toEqual([
      'vm4@server1',
      'vm5@server2',
      'vm6@server1',
      'vm7@server2',
    ]);
    expect(m.targets.map((t) => t.kind)).toEqual([
      ...Array(4).fill('container'),
      'gateway',
      'gateway',
      'host',
      'host',
      ...Array(4).fill('name'),
    ]);
    // 4 sources × 12 targets, minus each source's own address and own name.
    expect(m.cells).toHaveLength(4 * 12 - 8);
    expect(m.cells.every((c) => c.origin === 'derived' && !c.blocked)).toBe(true);
    expect(m.cells.filter((c) => c.expect === 'reach').map((c) => c.id)).toEqual([
      'vm4@server1 → addr:vm5@server2/mac_net1',
      'vm5@server2 → addr:vm4@server1/mac_net1',
      'vm6@server1 → addr:vm7@server2/mac_net2',
      'vm7@server2 → addr:vm6@server1/mac_net2',
    ]);
  });

  it("the scenario's expectations replace the derived ones, with their text; a literal address adds a column", () => {
    const m = buildMatrix(twoNic(), { scenario });
    const own = m.cells.filter((c) => c.origin === 'scenario');
    expect(own.map((c) => [c.id, c.reason])).toEqual([
      ['vm4@server1 → host:server1', 'own host'],
      ['vm4@server1 → ip:198.18.0.254', 'the machine'],
      ['vm5@server2 → addr:vm4@server1/mac_net1', 'the scenario says so'],
      ['vm5@server2 → gw:macvlan|mac_net1|198.19.1.0/24|eth0', 'nobody holds it'],
    ]);
    expect(m.targets.at(-1)).toMatchObject({ kind: 'address', address: '198.18.0.254' });
    expect(m.cells.filter((c) => c.target === 'ip:198.18.0.254')).toHaveLength(1);
  });

  it("a scenario expectation's claim of the seed goes with its cell, and only with it", () => {
    const seed = { section: '五.1', says: 'vm5 reaches vm4 across hosts' };
    const [first, ...rest] = scenario.expectations;
    const tagged = { ...scenario, expectations: [{ ...first!, seed }, ...rest] };
    const m = buildMatrix(twoNic(), { scenario: tagged });
    expect(m.cells.filter((c) => c.seed).map((c) => [c.id, c.seed])).toEqual([
      ['vm5@server2 → addr:vm4@server1/mac_net1', seed],
    ]);
  });

  it('filters: --network keeps its containers and addresses, --host keeps sources', () => {
    const m = buildMatrix(twoNic(), {
      network: 'mac_net1',
      sourceHosts: ['server2'],
      names: false,
    });
    expect(m.sources.map((s) => s.name)).toEqual(['vm5']);
    expect(m.targets.map((t) => t.label)).toEqual([
      'vm4 198.19.1.10',
      'vm5 198.19.1.11',
      'gateway 198.19.1.1',
      'server1 198.18.0.1',
      'server2 198.18.0.2',
    ]);
    const s = buildMatrix(twoNic(), { network: 'mac_net1', scenario });
    expect(s.skipped).toEqual([]);
    const none = buildMatrix(twoNic(), { network: 'nothing' });
    expect(none.cells).toEqual([]);
  });

  it('a host that could not be inspected: its scenario containers are there, their cells blocked', () => {
    const t = twoNic();
    const down: Topology = {
      hosts: t.hosts.map((h) =>
        h.name === 'server2'
          ? {
              ...h,
              networks: [],
              containers: [],
              error: new LabError('host', 'connection refused'),
            }
          : h,
      ),
    };
    const m = buildMatrix(withScenario(down, scenario), { scenario });
    expect(m.sources.map((s) => s.name)).toEqual(['vm4', 'vm5', 'vm6', 'vm7']);
    const blocked = m.cells.filter((c) => c.blocked);
    // From server2's two containers (every target), and to them (address and name) from server1's.
    expect(
      blocked.every((c) =>
        /server2 could not be inspected: connection refused/.test(c.blocked ?? ''),
      ),
    ).toBe(true);
    expect(
      m.cells.filter((c) => c.source.endsWith('@server1') && !c.blocked).map((c) => c.target),
    ).not.toContain('addr:vm5@server2/mac_net1');
    // Hosts and gateways are still probed from server1.
    expect(
      m.cells.some((c) => c.source === 'vm4@server1' && c.target === 'host:server2' && !c.blocked),
    ).toBe(true);
  });

  it('a scenario container that is not deployed is shown and blocked, never counted as isolated', () => {
    const t = twoNic();
    const missing: Topology = {
      hosts: t.hosts.map((h) =>
        h.name === 'server1'
          ? { ...h, containers: h.containers.filter((c) => c.name !== 'vm6') }
          : h,
      ),
    };
    const m = buildMatrix(withScenario(missing, scenario), { scenario });
    const vm6 = m.sources.find((s) => s.name === 'vm6');
    expect(vm6).toMatchObject({
      observed: false,
      unavailable: expect.stringMatching(/vm6 is not deployed on server1/),
    });
    expect(
      m.cells.filter((c) => c.target === 'addr:vm6@server1/mac_net2').every((c) => c.blocked),
    ).toBe(true);
  });

  it('an expectation filtered out names both its ends (issue 15 #5)', () => {
    const withTwo: Scenario = {
      ...scenario,
      expectations: [
        {
          from: 'vm7',
          to: { kind: 'container', container: 'vm6' },
          reach: true,
          reason: 'one segment',
        },
        {
          from: 'vm7',
          to: { kind: 'gateway', network: 'mac_net2' },
          reach: false,
          reason: 'nobody',
        },
      ],
    };
    const m = buildMatrix(twoNic(), { network: 'mac_net1', scenario: withTwo });
    expect(m.skipped.map((s) => [s.from, s.to, s.why])).toEqual([
      ['vm7', 'vm6', 'vm6 is not in the matrix (filtered out by --network or --host?)'],
      [
        'vm7',
        'the gateway of mac_net2',
        'the gateway of mac_net2 is not in the matrix (filtered out by --network or --host?)',
      ],
    ]);
  });
});
