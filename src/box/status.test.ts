import { describe, expect, it } from 'vitest';
import { hostProblems, type HostFacts } from './host/host-health.js';
import type { BoxHostState } from './state.js';
import { parseInterfaces, type BoxStatus, type HostStatus } from './status.js';
import { renderStatus } from './status-text.js';
import { planHost, VLAN1_STAND_IN } from './network/topology.js';

const healthy: HostFacts = {
  netnsPresent: true,
  anchorAlive: true,
  sshdAlive: true,
  sshdAnswering: true,
  dockerdAlive: true,
  dockerdAnswering: true,
  imagePresent: true,
  eth0: 'UP',
};

describe('host health', () => {
  it('has no problems when everything runs and answers', () => {
    expect(hostProblems(healthy)).toEqual([]);
  });

  it('names each problem', () => {
    expect(hostProblems({ ...healthy, sshdAnswering: false, imagePresent: false })).toEqual([
      'sshd does not answer on port 22',
      'image lab/busybox:latest missing',
    ]);
    expect(
      hostProblems({ ...healthy, anchorAlive: false, dockerdAlive: false, eth0: 'DOWN' }),
    ).toEqual(['namespace anchor not running', 'dockerd not running', 'eth0 is DOWN']);
  });
});

describe('interfaces from ip -j addr', () => {
  it('maps the planned NICs to their admin state and IPv4 addresses', () => {
    const host = planHost(1) as unknown as BoxHostState;
    const json = JSON.stringify([
      { ifname: 'lo', flags: ['LOOPBACK', 'UP'], addr_info: [] },
      {
        ifname: 'eth0',
        flags: ['BROADCAST', 'UP', 'LOWER_UP'],
        addr_info: [
          { family: 'inet', local: '198.18.0.1', prefixlen: 24 },
          { family: 'inet6', local: 'fe80::1', prefixlen: 64 },
        ],
      },
      { ifname: 'eth1', flags: ['BROADCAST', 'MULTICAST'] },
    ]);
    expect(parseInterfaces(host, json)).toEqual([
      { name: 'eth0', state: 'UP', addresses: ['198.18.0.1/24'], bridge: 'labbox-sw0' },
      { name: 'eth1', state: 'DOWN', addresses: [], bridge: 'labbox-sw1' },
      {
        name: 'eth0.1',
        state: 'missing',
        addresses: [],
        bridge: 'labbox-sw01',
        standIn: VLAN1_STAND_IN,
      },
    ]);
  });
});

describe('status text', () => {
  const host: HostStatus = {
    name: 'server1',
    address: '198.18.0.1',
    netns: 'labbox-server1',
    netnsPresent: true,
    anchor: { pid: 100, alive: true },
    sshd: { pid: 101, alive: true, answering: true },
    dockerd: {
      pid: 102,
      alive: true,
      answering: true,
      version: '20.10.24',
      apiVersion: '1.41',
      id: 'AAAA:BBBB',
      name: 'server1',
    },
    engine: 'machine',
    image: { ref: 'lab/busybox:latest', present: true },
    dockerSocket: '/proc/100/root/run/docker.sock',
    nsenter: ['nsenter', '-t', '100', '--net', '--mount', '--uts', '--'],
    interfaces: [
      { name: 'eth0', state: 'UP', addresses: ['198.18.0.1/24'], bridge: 'labbox-sw0' },
      {
        name: 'eth0.1',
        state: 'UP',
        addresses: [],
        bridge: 'labbox-sw01',
        standIn: VLAN1_STAND_IN,
      },
    ],
    problems: [],
    healthy: true,
  };

  it('shows every host and says what the stand-in is', () => {
    const status: BoxStatus = {
      up: true,
      stateDir: '/var/lib/lab-box',
      createdAt: '2026-01-02T03:04:05.000Z',
      healthy: true,
      inventory: '/var/lib/lab-box/inventory.ini',
      knownHosts: '/var/lib/lab-box/known_hosts',
      clientKey: '/var/lib/lab-box/id_ed25519',
      hosts: [host],
      standIns: [{ interface: 'eth0.1', bridge: 'labbox-sw01', description: VLAN1_STAND_IN }],
    };
    const text = renderStatus(status);
    expect(text).toMatch(/^box at \/var\/lib\/lab-box, up since .*: healthy \(1 hosts\)/);
    expect(text).toContain('sshd       pid 101 alive, answers on 198.18.0.1:22');
    expect(text).toContain('dockerd    pid 102 alive, Docker 20.10.24 (API 1.41), ID AAAA:BBBB');
    const mixed = renderStatus({
      ...status,
      hosts: [
        {
          ...host,
          engine: 'docker 26.1',
          dockerd: { ...host.dockerd, version: '26.1.5+dfsg1', apiVersion: '1.45' },
        },
      ],
    });
    expect(mixed).toContain(
      'dockerd    pid 102 alive (--engine docker 26.1), Docker 26.1.5+dfsg1 (API 1.45), ID AAAA:BBBB',
    );
    expect(text).toContain('socket     /proc/100/root/run/docker.sock');
    expect(text).toContain('image      lab/busybox:latest present');
    expect(text).toContain('eth0.1: stand-in veth on its own bridge, the kernel has no 802.1Q');
  });

  it('says "no box" and lists leftovers', () => {
    expect(
      renderStatus({
        up: false,
        stateDir: '/s',
        reason: 'no box',
        leftovers: ['1 bridge (labbox-sw0)'],
      }),
    ).toMatch(/^no box \(\/s\)\nleftovers of an earlier box: 1 bridge \(labbox-sw0\)/);
  });
});
