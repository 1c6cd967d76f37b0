import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOX_SCENARIO_VARS } from '../box/scenario-vars.js';
import type { Inventory } from '../inventory/model.js';
import { findScenario, listScenarios } from './find.js';
import { loadScenarioFile } from './load.js';
import type { Scenario } from './model.js';
import { resolveScenario } from './resolve.js';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
/** Every shipped scenario's first line: editors validate it against the shipped JSON Schema. */
const SCHEMA_LINE = '# yaml-language-server: $schema=../schema/scenario.schema.json';

/** The names scenario files may use, shared with the box's and real inventories' [all:vars]. */
const VARIABLES = [
  'image',
  'mac_net1_subnet',
  'mac_net1_gateway',
  'mac_net2_subnet',
  'mac_net2_gateway',
  'mac_net3_subnet',
  'mac_net3_gateway',
  'my_net2_subnet',
  'my_net2_gateway',
  'overlay_subnet',
  'swarm_address_pool',
  'lab_outside_address',
];

function inventory(allVars: Record<string, string>, addresses: [string, string]): Inventory {
  const host = (name: string, address: string) => ({
    name,
    address,
    port: 22,
    become: false,
    groups: ['all', 'ungrouped'],
    vars: { ...allVars },
    location: { file: 'inv.ini', line: 1 },
  });
  return {
    file: 'inv.ini',
    hosts: [host('server1', addresses[0]), host('server2', addresses[1])],
    groups: {
      all: { name: 'all', hosts: [], children: [], vars: allVars },
      ungrouped: { name: 'ungrouped', hosts: ['server1', 'server2'], children: [], vars: {} },
    },
  };
}

/** The seed's own lab: two RHEL hosts, no overrides, so the scenario defaults apply. */
const seed = inventory({}, ['172.25.83.1', '172.25.83.2']);
/** The local box: its [all:vars] move every subnet into 198.19.0.0/17. */
const box = inventory({ ...BOX_SCENARIO_VARS }, ['198.18.0.11', '198.18.0.12']);

async function load(name: string, inv: Inventory): Promise<Scenario> {
  return resolveScenario(await loadScenarioFile(findScenario(name, SCENARIOS)), inv, {});
}

const addresses = (s: Scenario) =>
  Object.fromEntries(
    s.containers.map((c) => [
      c.name,
      `${c.host} ${c.networks.map((n) => `${n.network}=${n.ipv4}`).join(' ')}`,
    ]),
  );

const expectations = (s: Scenario) =>
  s.expectations.map((e) => {
    const to =
      e.to.kind === 'container'
        ? `${e.to.container}@${e.to.network}`
        : e.to.kind === 'gateway'
          ? `gateway:${e.to.network}`
          : e.to.kind === 'host'
            ? `host:${e.to.host}`
            : e.to.address;
    return `${e.from} ${e.reach ? 'reaches' : 'does not reach'} ${to}`;
  });

describe('scenarios/macvlan-one-nic.yaml (the seed, section 9)', () => {
  it('with the seed addresses', async () => {
    const s = await load('macvlan-one-nic', seed);
    expect(s.hosts).toEqual(['server1', 'server2']);
    expect(s.nics).toEqual([{ hosts: ['server1', 'server2'], interface: 'eth0', promisc: true }]);
    expect(s.networks).toEqual([
      {
        name: 'mac_net1',
        driver: 'macvlan',
        hosts: ['server1', 'server2'],
        subnet: '172.183.1.0/24',
        gateway: '172.183.1.1',
        parent: 'eth0',
        options: {},
      },
    ]);
    expect(addresses(s)).toEqual({
      vm4: 'server1 mac_net1=172.183.1.10',
      vm5: 'server2 mac_net1=172.183.1.11',
    });
    expect(expectations(s)).toEqual([
      'vm5 reaches vm4@mac_net1',
      'vm5 does not reach gateway:mac_net1',
    ]);
  });

  it('with the box variables', async () => {
    const s = await load('macvlan-one-nic', box);
    expect(s.networks[0]).toMatchObject({ subnet: '198.19.1.0/24', gateway: '198.19.1.1' });
    expect(addresses(s)).toEqual({
      vm4: 'server1 mac_net1=198.19.1.10',
      vm5: 'server2 mac_net1=198.19.1.11',
    });
    expect(s.containers.every((c) => c.image === BOX_SCENARIO_VARS.image)).toBe(true);
  });
});

describe('scenarios/macvlan-two-nic.yaml (the seed, sections 9 and 11)', () => {
  it('with the seed addresses', async () => {
    const s = await load('macvlan-two-nic', seed);
    expect(s.nics).toEqual([
      { hosts: ['server1', 'server2'], interface: 'eth0', promisc: true },
      { hosts: ['server1', 'server2'], interface: 'eth1', up: true, promisc: true },
    ]);
    expect(
      s.networks.map(
        (n) => `${n.name} ${n.driver} ${n.parent} ${n.subnet} ${n.gateway} ${n.hosts.join(',')}`,
      ),
    ).toEqual([
      'mac_net1 macvlan eth0 172.183.1.0/24 172.183.1.1 server1,server2',
      'mac_net2 macvlan eth1 172.183.2.0/24 172.183.2.1 server1,server2',
    ]);
    expect(addresses(s)).toEqual({
      vm4: 'server1 mac_net1=172.183.1.10',
      vm6: 'server1 mac_net2=172.183.2.10',
      vm5: 'server2 mac_net1=172.183.1.11',
      vm7: 'server2 mac_net2=172.183.2.11',
    });
    expect(expectations(s)).toEqual([
      'vm5 reaches vm4@mac_net1',
      'vm7 reaches vm6@mac_net2',
      'vm5 does not reach vm7@mac_net2',
      'vm4 does not reach vm6@mac_net2',
      'vm5 does not reach gateway:mac_net1',
      'vm7 does not reach gateway:mac_net2',
      'vm4 does not reach host:server1',
    ]);
  });

  it('with the box variables', async () => {
    const s = await load('macvlan-two-nic', box);
    expect(addresses(s)).toEqual({
      vm4: 'server1 mac_net1=198.19.1.10',
      vm6: 'server1 mac_net2=198.19.2.10',
      vm5: 'server2 mac_net1=198.19.1.11',
      vm7: 'server2 mac_net2=198.19.2.11',
    });
    expect(s.networks.map((n) => n.gateway)).toEqual(['198.19.1.1', '198.19.2.1']);
  });

  it('--var still wins over the inventory', async () => {
    const doc = await loadScenarioFile(findScenario('macvlan-two-nic', SCENARIOS));
    const s = resolveScenario(doc, box, {
      mac_net2_subnet: '198.19.9.0/24',
      mac_net2_gateway: '198.19.9.1',
    });
    expect(s.containers.find((c) => c.name === 'vm7')?.networks[0]?.ipv4).toBe('198.19.9.11');
  });
});

describe('every shipped scenario', async () => {
  const all = await listScenarios(SCENARIOS);
  const ours = all.filter((s) => s.name.startsWith('macvlan-'));

  it('covers every lab of the seed', () => {
    expect(all.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'bridge-custom',
        'bridge-isolation',
        'bridge-connect',
        'nat-publish',
        'macvlan-one-nic',
        'macvlan-one-parent',
        'macvlan-two-nic',
        'macvlan-subif',
        'overlay',
      ]),
    );
  });

  it.each(all.map((s) => [s.name]))(
    '%s resolves with the seed’s addresses and, on the box, keeps every address in 198.18.0.0/15',
    async (name) => {
      await load(name, seed);
      const s = await load(name, box);
      const addresses = [
        ...s.networks.flatMap((n) => [n.subnet, n.gateway]),
        ...s.containers.flatMap((c) => c.networks.map((n) => n.ipv4)),
        ...(s.swarm?.addressPool ? [s.swarm.addressPool] : []),
        ...s.expectations.flatMap((e) => (e.to.kind === 'address' ? [e.to.address] : [])),
      ].filter((a): a is string => a !== undefined);
      for (const a of addresses) expect(a, `${name}: ${a}`).toMatch(/^198\.1[89]\./);
    },
  );

  it.each(all.filter((s) => !s.name.startsWith('macvlan-')).map((s) => [s.name, s.file]))(
    '%s cites the seed, uses only the shared variable names, and says why',
    async (_name, file) => {
      const [schemaLine, cite] = readFileSync(file, 'utf8').split('\n');
      expect(schemaLine).toBe(SCHEMA_LINE);
      expect(cite).toMatch(/ — the seed, sections? \d+/);
      const doc = await loadScenarioFile(file);
      for (const name of Object.keys(doc.source.vars ?? {})) expect(VARIABLES).toContain(name);
      for (const e of [...(doc.source.expect ?? []), ...(doc.source.assert ?? [])])
        expect(e.reason.split(/\s+/).length).toBeGreaterThan(8);
    },
  );

  it('is listed with a title and loads', () => {
    expect(ours.map((s) => s.name)).toEqual(
      expect.arrayContaining(['macvlan-one-nic', 'macvlan-two-nic']),
    );
    for (const s of all) expect(s.error).toBeUndefined();
    for (const s of ours) expect(s.title).toMatch(/^macvlan on /);
  });

  it.each(ours.map((s) => [s.name, s.file]))(
    '%s cites the seed, uses only the shared variable names, and says why',
    async (_name, file) => {
      const [schemaLine, cite] = readFileSync(file, 'utf8').split('\n');
      expect(schemaLine).toBe(SCHEMA_LINE);
      expect(cite).toMatch(/^# .*the seed, sections? \d+/);
      const doc = await loadScenarioFile(file);
      for (const name of Object.keys(doc.source.vars ?? {})) expect(VARIABLES).toContain(name);
      for (const e of [...(doc.source.expect ?? []), ...(doc.source.assert ?? [])])
        expect(e.reason.split(/\s+/).length).toBeGreaterThan(8);
    },
  );
});
