import { describe, expect, it } from 'vitest';
import {
  bridge,
  bridges,
  container,
  host,
  macvlan,
  net,
  twoNic,
} from '../../test/fakes/topologies.js';
import { inSubnet } from '../common/subnet.js';
import { deriveExpectation } from './expectations.js';
import type { MatrixTarget } from './matrix-model.js';
import { buildTargets } from './targets.js';
import { allContainers, type Topology } from './topology.js';

function cell(topology: Topology, from: string, target: (t: MatrixTarget) => boolean) {
  const source = allContainers(topology).find((c) => c.name === from);
  const targets = buildTargets(topology, allContainers(topology), { names: true });
  const t = targets.find(target);
  if (!source || !t) throw new Error(`no such cell ${from}`);
  return deriveExpectation(topology, source, t);
}
const addr = (c: string, network?: string) => (t: MatrixTarget) =>
  t.kind === 'container' && t.container === c && (network === undefined || t.network === network);
const gw = (network: string, h?: string) => (t: MatrixTarget) =>
  t.kind === 'gateway' && t.network === network && (h === undefined || t.host === h);
const hostT = (h: string) => (t: MatrixTarget) => t.kind === 'host' && t.host === h;
const name = (c: string) => (t: MatrixTarget) => t.kind === 'name' && t.container === c;

describe('deriveExpectation: the two-NIC macvlan lab', () => {
  const t = twoNic();

  it('reach within each macvlan network across hosts, saying why', () => {
    const e = cell(t, 'vm4', addr('vm5'));
    expect(e?.expect).toBe('reach');
    expect(e?.reason).toMatch(/both on mac_net1 \(macvlan on eth0\).*server1 and server2/);
    expect(cell(t, 'vm7', addr('vm6'))?.expect).toBe('reach');
  });

  it('isolation between the two networks, on one host and across hosts', () => {
    const same = cell(t, 'vm4', addr('vm6'));
    expect(same?.expect).toBe('no-reach');
    expect(same?.reason).toMatch(/another segment, and no router joins them.*198\.19\.1\.1/);
    expect(cell(t, 'vm5', addr('vm6'))?.expect).toBe('no-reach');
  });

  it('macvlan gateways answer nobody', () => {
    const e = cell(t, 'vm5', gw('mac_net1'));
    expect(e).toEqual({ expect: 'no-reach', reason: expect.stringMatching(/only a setting/) });
    expect(cell(t, 'vm4', gw('mac_net2'))?.expect).toBe('no-reach');
  });

  it('a macvlan container cannot reach its own host, nor another outside its subnet', () => {
    const own = cell(t, 'vm4', hostT('server1'));
    expect(own?.expect).toBe('no-reach');
    expect(own?.reason).toMatch(
      /never passes traffic between a macvlan interface and its parent NIC \(eth0\)/,
    );
    const other = cell(t, 'vm4', hostT('server2'));
    expect(other?.expect).toBe('no-reach');
    expect(other?.reason).toMatch(/outside mac_net1.*gateway 198\.19\.1\.1/);
  });

  it('another host whose address is on-link in the macvlan subnet is reached directly', () => {
    const onLink: Topology = {
      hosts: [
        host(
          'h1',
          '198.18.0.1',
          [macvlan('h1', 'lan', '198.18.0.0/24', 'eth0')],
          [container('h1', 'a', [['lan', '198.18.0.50']])],
        ),
        host('h2', '198.18.0.2', [], []),
      ],
    };
    expect(cell(onLink, 'a', hostT('h2'))?.expect).toBe('reach');
    expect(cell(onLink, 'a', hostT('h1'))?.expect).toBe('no-reach');
  });

  it('names: Docker’s DNS is per engine, and per network', () => {
    const cross = cell(t, 'vm4', name('vm5'));
    expect(cross?.expect).toBe('no-reach');
    expect(cross?.reason).toMatch(/Each Docker engine's DNS knows only its own containers/);
    const sameHost = cell(t, 'vm4', name('vm6'));
    expect(sameHost?.reason).toMatch(/share none/);
  });

  it('macvlan segments differ by parent even with the same name and subnet', () => {
    const odd: Topology = {
      hosts: [
        host(
          'h1',
          '198.18.0.1',
          [macvlan('h1', 'm', '198.19.1.0/24', 'eth0')],
          [container('h1', 'a', [['m', '198.19.1.10']])],
        ),
        host(
          'h2',
          '198.18.0.2',
          [macvlan('h2', 'm', '198.19.1.0/24', 'eth1')],
          [container('h2', 'b', [['m', '198.19.1.11']])],
        ),
      ],
    };
    expect(cell(odd, 'a', addr('b'))?.expect).toBe('no-reach');
  });
});

describe('deriveExpectation: bridges', () => {
  const t = bridges();

  it('same bridge → reach; different bridges on one host → isolated', () => {
    expect(cell(t, 'c1', addr('c2', 'br_a'))?.expect).toBe('reach');
    const iso = cell(t, 'c1', addr('c3'));
    expect(iso?.expect).toBe('no-reach');
    expect(iso?.reason).toMatch(/different bridges on one host, which Docker isolates/);
    expect(cell(t, 'c2', addr('c3'))?.expect).toBe('reach');
  });

  it('a bridge of the same name on another host is another bridge', () => {
    const e = cell(t, 'c1', addr('c4'));
    expect(e?.expect).toBe('no-reach');
  });

  it('inter-container communication turned off isolates a bridge from itself', () => {
    const off: Topology = {
      hosts: [
        host(
          'h',
          '198.18.0.1',
          [net('h', 'q', { icc: false, subnet: '198.19.5.0/24' })],
          [container('h', 'a', [['q', '198.19.5.2']]), container('h', 'b', [['q', '198.19.5.3']])],
        ),
      ],
    };
    expect(cell(off, 'a', addr('b'))?.reason).toMatch(/enable_icc=false/);
    expect(cell(off, 'a', addr('b'))?.expect).toBe('no-reach');
  });

  it('gateways: own bridge, another bridge of the same host, and a same-address one elsewhere reach', () => {
    expect(cell(t, 'c1', gw('br_a', 'server1'))?.reason).toMatch(/holds its gateway/);
    expect(cell(t, 'c1', gw('br_b', 'server1'))?.reason).toMatch(/address of server1 itself/);
    // 198.19.21.1 is server2's br_a gateway, but server1's own br_a holds the same address.
    expect(cell(t, 'c3', gw('br_a', 'server2'))?.reason).toMatch(/also an address of server1/);
    expect(cell(t, 'c1', gw('br_a', 'server2'))?.expect).toBe('reach');
  });

  it('a gateway private to another host is isolated', () => {
    const t2: Topology = {
      hosts: [
        host(
          'h1',
          '198.18.0.1',
          [bridge('h1', 'x', '198.19.30.0/24')],
          [container('h1', 'a', [['x', '198.19.30.2']])],
        ),
        host(
          'h2',
          '198.18.0.2',
          [bridge('h2', 'y', '198.19.31.0/24')],
          [container('h2', 'b', [['y', '198.19.31.2']])],
        ),
      ],
    };
    expect(cell(t2, 'a', gw('y'))?.expect).toBe('no-reach');
  });

  it('hosts: own host and other hosts (NAT) reach from a bridge, not from an internal one', () => {
    expect(cell(t, 'c1', hostT('server1'))?.expect).toBe('reach');
    expect(cell(t, 'c1', hostT('server2'))?.reason).toMatch(/NATs/);
    const internal: Topology = {
      hosts: [
        host(
          'h',
          '198.18.0.1',
          [net('h', 'i', { internal: true, subnet: '198.19.6.0/24' })],
          [container('h', 'a', [['i', '198.19.6.2']])],
        ),
        host('g', '198.18.0.2', [], []),
      ],
    };
    expect(cell(internal, 'a', hostT('h'))?.expect).toBe('no-reach');
    expect(cell(internal, 'a', hostT('g'))?.expect).toBe('no-reach');
  });

  it('names resolve on a shared user-defined network of one host, never on the default bridge', () => {
    expect(cell(t, 'c1', name('c2'))?.expect).toBe('reach');
    expect(cell(t, 'c1', name('c3'))?.expect).toBe('no-reach');
    expect(cell(t, 'c1', name('c4'))?.expect).toBe('no-reach');
    expect(cell(t, 'd1', name('c1'))?.reason).toMatch(
      /default bridge, which has no name resolution/,
    );
  });

  it('overlay: one segment across hosts, names resolve everywhere', () => {
    const o = (h: string) =>
      net(h, 'ov', {
        id: 'ov1',
        driver: 'overlay',
        subnet: '198.19.30.0/24',
        gateway: '198.19.30.1',
      });
    const t3: Topology = {
      hosts: [
        host('h1', '198.18.0.1', [o('h1')], [container('h1', 'a', [['ov', '198.19.30.2']])]),
        host('h2', '198.18.0.2', [o('h2')], [container('h2', 'b', [['ov', '198.19.30.3']])]),
      ],
    };
    expect(cell(t3, 'a', addr('b'))?.reason).toMatch(/overlay network ov/);
    expect(cell(t3, 'a', name('b'))?.expect).toBe('reach');
    expect(cell(t3, 'a', hostT('h2'))?.expect).toBe('reach');
    // The way out of an overlay is docker_gwbridge, not the overlay itself: the reasons say so.
    expect(cell(t3, 'a', hostT('h2'))?.reason).toMatch(/through docker_gwbridge/);
    expect(cell(t3, 'a', hostT('h1'))?.reason).toMatch(/docker_gwbridge, a bridge of h1 itself/);
  });
});

describe('inSubnet', () => {
  it('matches IPv4 addresses only', () => {
    expect(inSubnet('198.19.1.7', '198.19.1.0/24')).toBe(true);
    expect(inSubnet('198.19.2.7', '198.19.1.0/24')).toBe(false);
    expect(inSubnet('server1', '198.19.1.0/24')).toBe(false);
    expect(inSubnet('198.19.1.7', undefined)).toBe(false);
    expect(inSubnet('198.19.1.7', 'nonsense')).toBe(false);
  });
});

describe('deriveExpectation: an engine that does not isolate every bridge (Podman)', () => {
  // Podman: lab's bridges carry netavark's isolate, the default network cannot; each name server
  // answers only for its own network (dns), so a container on two networks resolves by their order.
  const podman = (): Topology => {
    const t = bridges();
    const why = 'bridge (Podman’s default network, podman) has no isolate option';
    for (const h of t.hosts) {
      h.networks = h.networks.map((n) =>
        n.name === 'bridge' ? { ...n, notIsolated: why, dns: false } : { ...n, dns: true },
      );
    }
    return t;
  };

  it('a bridge the engine does not isolate reaches the others and is reached, saying why', () => {
    const t = podman();
    const out = cell(t, 'd1', addr('c1'));
    expect(out?.expect).toBe('reach');
    expect(out?.reason).toMatch(
      /different bridges on one host, yet bridge .* has no isolate option/,
    );
    expect(cell(t, 'c3', addr('d1'))?.expect).toBe('reach');
    // Two bridges that both isolate stay apart, as on Docker.
    expect(cell(t, 'c1', addr('c3'))?.expect).toBe('no-reach');
  });

  it('no claim on a name whose answer depends on the order of the asker’s name servers', () => {
    const t = podman();
    // c2 is on br_a and br_b, c3 on br_b only: c2 asks br_a's or br_b's server first.
    expect(cell(t, 'c2', name('c3'))).toBeUndefined();
    // c1 (br_a only) asks br_a's server, which knows c2.
    expect(cell(t, 'c1', name('c2'))?.expect).toBe('reach');
    // Docker's embedded DNS answers for every network of the asker: a claim as before.
    expect(cell(bridges(), 'c2', name('c3'))?.expect).toBe('reach');
  });

  it('no name claim from a container none of whose networks has the engine’s name server', () => {
    // d1 is only on the default network (dns off): its lookups go to the host's own servers.
    expect(cell(podman(), 'd1', name('c1'))).toBeUndefined();
    // On Docker the same container is on the default bridge, which has no name resolution.
    expect(cell(bridges(), 'd1', name('c1'))?.expect).toBe('no-reach');
  });

  it('no claim when the source’s route decides: on an open bridge and an isolated one, to an isolated one', () => {
    const t = podman();
    t.hosts[0]?.containers.push(
      container('server1', 'e1', [
        ['bridge', '198.19.128.3'],
        ['br_a', '198.19.21.13'],
      ]),
    );
    expect(cell(t, 'e1', addr('c3'))).toBeUndefined();
    // To the open bridge every route gets there.
    expect(cell(t, 'c1', addr('d1'))?.expect).toBe('reach');
  });
});
