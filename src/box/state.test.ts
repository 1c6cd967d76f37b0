import { describe, expect, it } from 'vitest';
import { parseBoxState, serializeBoxState, type BoxState } from './state.js';
import { planBox } from './network/topology.js';

function sampleState(): BoxState {
  const plan = planBox(1);
  const host = plan.hosts[0]!;
  return {
    version: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    stateDir: '/var/lib/lab-box',
    inventory: '/var/lib/lab-box/inventory.ini',
    knownHosts: '/var/lib/lab-box/known_hosts',
    clientKey: '/var/lib/lab-box/id_ed25519',
    image: 'lab/busybox:latest',
    bridges: plan.bridges,
    firewallRules: [['FORWARD', '-i', 'labbox-sw0', '-o', 'labbox-sw0', '-j', 'ACCEPT']],
    hosts: [
      {
        ...host,
        dir: '/var/lib/lab-box/server1',
        anchor: { pid: 100, startTime: 5000 },
        sshd: { pid: 101, startTime: 5001 },
        dockerd: { pid: 102, startTime: 5001 },
        dockerSocket: '/proc/100/root/run/docker.sock',
        dockerSocketInHost: '/run/docker.sock',
        nsenter: ['nsenter', '-t', '100', '--net', '--mount', '--uts', '--'],
        hostKeyPublic: 'ssh-ed25519 AAAA lab-box-server1',
        dockerId: 'ABCD:EFGH',
        dockerVersion: '20.10.24',
      },
    ],
    standIns: [{ interface: 'eth0.1', bridge: 'labbox-sw01', description: 'stand-in' }],
  };
}

describe('state.json', () => {
  it('round-trips', () => {
    const state = sampleState();
    expect(parseBoxState(serializeBoxState(state))).toEqual({ kind: 'present', state });
  });

  it('calls a file that is not JSON stale', () => {
    expect(parseBoxState('{"version": 1').kind).toBe('stale');
  });

  it('calls a file of another shape stale, saying where', () => {
    const state = sampleState() as unknown as { hosts: { anchor: unknown }[] };
    state.hosts[0]!.anchor = { pid: 'x' };
    const read = parseBoxState(JSON.stringify(state));
    expect(read.kind).toBe('stale');
    if (read.kind === 'stale') expect(read.reason).toMatch(/^hosts\.0\.anchor\.pid/);
  });

  it('calls a state without hosts stale', () => {
    expect(parseBoxState(JSON.stringify({ ...sampleState(), hosts: [] })).kind).toBe('stale');
  });

  it('refuses an unknown version', () => {
    expect(parseBoxState(JSON.stringify({ ...sampleState(), version: 2 })).kind).toBe('stale');
  });
});
