import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { ScriptedHost } from '../../test/fakes/scripted-host.js';
import { checkInterface, interfaceMismatches, readInterfaceState } from './interface-fact.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

const LINK =
  '14: br-81388ff54083: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN';
const ADDR =
  '14: br-81388ff54083    inet 198.19.129.1/24 brd 198.19.129.255 scope global br-81388ff54083';

describe('interface facts', () => {
  const state = readInterfaceState('br-81388ff54083', LINK, ADDR);

  it('read flags and addresses', () => {
    expect(state).toEqual({
      exists: true,
      up: true,
      promisc: false,
      addresses: [{ interface: 'br-81388ff54083', address: '198.19.129.1', prefixLength: 24 }],
    });
  });

  it('hold for the right address and prefix, an address within a subnet, the flags', () => {
    const name = 'br-81388ff54083';
    expect(
      interfaceMismatches(name, state, {
        up: true,
        address: { address: '198.19.129.1', prefixLength: 24, label: 'x' },
      }),
    ).toEqual([]);
    expect(
      interfaceMismatches(name, state, { address: { within: '198.19.129.0/24', label: 'x' } }),
    ).toEqual([]);
  });

  it('fail on a missing interface, another prefix, the wrong flags', () => {
    const name = 'br-81388ff54083';
    expect(interfaceMismatches('eth9', readInterfaceState('eth9', '', ''), { up: true })).toEqual([
      'there is no interface eth9',
    ]);
    expect(
      interfaceMismatches(name, state, {
        up: false,
        promisc: true,
        address: { address: '198.19.129.1', prefixLength: 16, label: '198.19.129.1/16' },
      }),
    ).toEqual(['it is UP', 'it is not in promiscuous mode', 'it does not carry 198.19.129.1/16']);
  });

  type InterfaceAssertion = Extract<PlannedAssertion, { kind: 'interface' }>;
  const base = {
    id: 'assert-1',
    host: 'server1',
    dependsOn: [],
    reason: 'why',
    kind: 'interface' as const,
  };

  it('finds the bridge of a network and checks it carries the gateway Docker reports', async () => {
    const host = new ScriptedHost('server1', {
      'ip -o link show br-81388ff54083': { stdout: LINK },
      'ip -o -4 addr show br-81388ff54083': { stdout: ADDR },
    });
    host.networks.set('my_net1', {
      id: '81388ff540835c7b',
      name: 'my_net1',
      driver: 'bridge',
      labels: {},
      subnet: '198.19.129.0/24',
      gateway: '198.19.129.1',
      options: {},
      containers: [],
    });
    const a: InterfaceAssertion = {
      ...base,
      interface: { bridgeOf: 'my_net1' },
      has: { address: { kind: 'gateway_of', network: 'my_net1' } },
    };
    const r = await checkInterface(a, fakeContext([host]));
    expect(r.outcome).toBe('pass');
    expect(r.claim).toBe(
      'br-81388ff54083, the bridge of my_net1, on server1 carries the gateway of my_net1, 198.19.129.1/24',
    );
    expect(r.evidence).toBe('br-81388ff54083: UP, inet 198.19.129.1/24');
  });

  it('reads inside a container; a missing ip is an ERROR, a missing interface a FAIL', async () => {
    const a: InterfaceAssertion = {
      ...base,
      container: 'vm1',
      interface: { name: 'eth1' },
      has: { up: true },
    };
    const none = new ScriptedHost('server1', {
      'vm1: ip -o link show eth1': { exitCode: 1, stderr: "ip: can't find device 'eth1'" },
      'vm1: ip -o -4 addr show eth1': { exitCode: 1 },
    });
    expect(await checkInterface(a, fakeContext([none]))).toMatchObject({
      outcome: 'fail',
      evidence: 'there is no interface eth1: no interface eth1',
    });
    const noIp = new ScriptedHost('server1', {});
    const r = await checkInterface(a, fakeContext([noIp]));
    expect(r.outcome).toBe('error');
    expect(r.evidence).toMatch(/could not run \(exit 127\)/);
  });
});
