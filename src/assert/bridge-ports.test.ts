import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { ScriptedHost } from '../../test/fakes/scripted-host.js';
import {
  type LinkLine,
  bridgeMismatches,
  parseBrctlShow,
  parseLinkLines,
  type BridgeView,
} from './bridge-ports.js';
import { checkInterface } from './interface-fact.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

// `ip -d -o link show` on a host of the box (iproute2 6.1), trimmed after the kind's field.
const HOST_LINKS = [
  '4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\\    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 addrgenmode eui64 numtxqueues 1',
  '5: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default \\    link/ether 02:42:30:6e:eb:7b brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    bridge forward_delay 1500 hello_time 200 max_age 2000',
  '8: br-0c08e7c8a0a4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 02:42:15:d2:93:db brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    bridge forward_delay 1500 hello_time 200',
  '13: vethd7bc020@if12: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br-0c08e7c8a0a4 state UP mode DEFAULT group default \\    link/ether 6a:1f:9e:20:11:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \\    veth \\    bridge_slave state forwarding priority 32 cost 2',
].join('\n');

// `ip -o link` inside vm1 (busybox).
const VM1_LINKS = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '12: eth0@if13: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \\    link/ether 02:42:c6:13:82:02 brd ff:ff:ff:ff:ff:ff',
].join('\n');

// The seed's own brctl show (二.5).
const BRCTL = [
  'bridge name\tbridge id\t\tSTP enabled\tinterfaces',
  'br-0c08e7c8a0a4\t\t8000.024215d293db\tno\t\tvethd7bc020',
  'br-3633ad685362\t\t8000.024200370255\tno\t\tveth2d976f5',
  '\t\t\t\t\t\t\tveth6a7c9ab',
  'docker0\t\t8000.0242306eeb7b\tno\t\t',
].join('\n');

describe('a bridge and its ports', () => {
  it('reads index, peer, master, kind and MAC of each link', () => {
    const links = parseLinkLines(HOST_LINKS);
    expect(links.map((l) => [l.index, l.name, l.kind ?? '-', l.master ?? '-'])).toEqual([
      [4, 'eth0', '-', '-'],
      [5, 'docker0', 'bridge', '-'],
      [8, 'br-0c08e7c8a0a4', 'bridge', '-'],
      [13, 'vethd7bc020', 'veth', 'br-0c08e7c8a0a4'],
    ]);
    expect(links[3]?.peerIndex).toBe(12);
    expect(parseLinkLines(VM1_LINKS)[1]).toMatchObject({
      name: 'eth0',
      peerIndex: 13,
      mac: '02:42:c6:13:82:02',
    });
  });

  it('reads brctl show as the seed printed it: one bridge per network, its interfaces', () => {
    expect([...parseBrctlShow(BRCTL)]).toEqual([
      ['br-0c08e7c8a0a4', ['vethd7bc020']],
      ['br-3633ad685362', ['veth2d976f5', 'veth6a7c9ab']],
      ['docker0', []],
    ]);
  });

  const links = parseLinkLines(HOST_LINKS);
  const view: BridgeView = {
    bridge: 'br-0c08e7c8a0a4',
    network: 'my_net1',
    link: links[2] as LinkLine,
    ports: links.filter((l) => l.master === 'br-0c08e7c8a0a4'),
    dockerCount: 1,
    ends: [{ container: 'vm1', iface: 'eth0', peerIndex: 13 }],
  };

  it('holds when each container’s veth is a port, ports match Docker’s count, brctl agrees', () => {
    expect(bridgeMismatches(view)).toEqual([]);
    expect(bridgeMismatches({ ...view, brctl: ['vethd7bc020'] })).toEqual([]);
  });

  it('says what does not hold: a veth elsewhere, a port too many, brctl disagreeing', () => {
    expect(
      bridgeMismatches({
        ...view,
        dockerCount: 2,
        ends: [{ container: 'vm1', iface: 'eth0', peerIndex: 99 }],
        brctl: [],
      }),
    ).toEqual([
      "vm1's eth0 (host end: link 99) is not a port of br-0c08e7c8a0a4",
      'br-0c08e7c8a0a4 has 1 port, and Docker lists 2 containers on my_net1',
      'brctl show lists no interface on br-0c08e7c8a0a4, ip lists vethd7bc020',
    ]);
    const { link: _gone, ...noBridge } = view;
    expect(bridgeMismatches(noBridge)).toEqual(['there is no interface br-0c08e7c8a0a4']);
  });

  type InterfaceAssertion = Extract<PlannedAssertion, { kind: 'interface' }>;
  const a: InterfaceAssertion = {
    id: 'assert-2',
    host: 'server1',
    dependsOn: [],
    reason: 'why',
    kind: 'interface',
    interface: { bridgeOf: 'my_net1' },
    has: { veths: ['vm1'] },
  };

  function host(brctl: { stdout?: string; exitCode?: number }) {
    const h = new ScriptedHost('server1', {
      'ip -o link show br-0c08e7c8a0a4': { stdout: HOST_LINKS.split('\n')[2] ?? '' },
      'ip -o -4 addr show br-0c08e7c8a0a4': { stdout: '' },
      'ip -d -o link show': { stdout: HOST_LINKS },
      'brctl show br-0c08e7c8a0a4': brctl,
      'vm1: ip -o link': { stdout: VM1_LINKS },
    });
    h.networks.set('my_net1', {
      id: '0c08e7c8a0a4ffff',
      name: 'my_net1',
      driver: 'bridge',
      labels: {},
      options: {},
      containers: [{ name: 'vm1' }],
    });
    h.containers.set('vm1', {
      id: 'c1',
      name: 'vm1',
      image: 'busybox',
      labels: {},
      running: true,
      pid: 1,
      networks: { my_net1: { ipv4: '198.19.130.2', mac: '02:42:C6:13:82:02' } },
    });
    return h;
  }

  it('on a host without brctl: read with iproute2, and the claim says whose veths', async () => {
    const r = await checkInterface(a, fakeContext([host({ exitCode: 127 })]));
    expect(r.outcome).toBe('pass');
    expect(r.claim).toBe(
      'br-0c08e7c8a0a4, the bridge of my_net1, on server1 has the veth of vm1 as its ports (brctl show)',
    );
    expect(r.evidence).toContain(
      'br-0c08e7c8a0a4 (bridge, the bridge of my_net1): vethd7bc020 (vm1 eth0); no brctl on the host; read with ip -d link',
    );
    expect(r.command).toContain('ip -d -o link show master br-0c08e7c8a0a4');
    expect(r.command).not.toContain('brctl');
    expect(r.output).toContain('bridge name      interfaces\nbr-0c08e7c8a0a4  vethd7bc020');
  });

  it('on a host with brctl: its list too, and a disagreement is a FAIL', async () => {
    const agree = await checkInterface(a, fakeContext([host({ stdout: BRCTL })]));
    expect(agree.outcome).toBe('pass');
    expect(agree.command).toContain('brctl show br-0c08e7c8a0a4');
    expect(agree.output).toContain('vethd7bc020');
    const otherBrctl = BRCTL.replace('vethd7bc020', 'veth0000000');
    const r = await checkInterface(a, fakeContext([host({ stdout: otherBrctl })]));
    expect(r.outcome).toBe('fail');
    expect(r.evidence).toContain(
      'brctl show lists veth0000000 on br-0c08e7c8a0a4, ip lists vethd7bc020',
    );
  });
});
