import { describe, expect, it } from 'vitest';
import { parseBoxState } from '../state.js';
import { checkEngineHosts, describeEngines, parseEngineOption, parseEngineSpec } from './spec.js';

describe('lab box up --engine HOST=SPEC', () => {
  it('reads a Docker release and podman into typed values, repeatable', () => {
    expect(parseEngineOption(['server2=26.1', 'server3=podman'])).toEqual({
      server2: { kind: 'docker', release: '26.1' },
      server3: { kind: 'podman' },
    });
    expect(parseEngineSpec('docker-26.1')).toEqual({ kind: 'docker', release: '26.1' });
    expect(parseEngineOption(undefined)).toEqual({});
  });

  it.each([
    ['server2', /--engine "server2" is not HOST=SPEC/],
    ['=26.1', /is not HOST=SPEC/],
    [
      'server2=19.03',
      /--engine server2=19\.03: "19\.03" is not an engine the box offers \(allowed: 26\.1, podman;/,
    ],
    ['server2=', /"" is not an engine the box offers/],
  ])('refuses %s, naming the value and what is allowed', (value, message) => {
    expect(() => parseEngineOption([value])).toThrow(message);
  });

  it('refuses a host named twice and a host the box will not have', () => {
    expect(() => parseEngineOption(['server2=26.1', 'server2=podman'])).toThrow(
      /--engine names server2 twice/,
    );
    expect(() =>
      checkEngineHosts(['server1', 'server2'], parseEngineOption(['server5=26.1'])),
    ).toThrow(
      /--engine server5=docker 26\.1: server5 is not one of the box's hosts \(server1, server2\)/,
    );
  });

  it('describes a choice the same way whatever the order it was given in', () => {
    expect(describeEngines(parseEngineOption(['server3=podman', 'server2=26.1']))).toBe(
      'server2=docker 26.1,server3=podman',
    );
  });

  it('is kept per host in state.json; a host without it runs the machine’s dockerd', () => {
    const host = (extra: object) => ({
      index: 1,
      name: 'server1',
      netns: 'labbox-server1',
      cgroup: 'labbox-server1',
      address: '198.18.0.1',
      dir: '/s/server1',
      interfaces: [],
      docker: { bip: '198.19.128.1/24', poolBase: '198.19.128.0/20', poolSize: 24 },
      anchor: { pid: 1, startTime: 1 },
      sshd: { pid: 2, startTime: 1 },
      dockerd: { pid: 3, startTime: 1 },
      dockerSocket: '/proc/1/root/run/docker.sock',
      dockerSocketInHost: '/run/docker.sock',
      nsenter: [],
      hostKeyPublic: 'k',
      dockerId: 'id',
      dockerVersion: '26.1.5+dfsg1',
      ...extra,
    });
    const state = (extra: object) =>
      JSON.stringify({
        version: 1,
        createdAt: 'now',
        stateDir: '/s',
        inventory: '/s/inventory.ini',
        knownHosts: '/s/known_hosts',
        clientKey: '/s/id_ed25519',
        image: 'lab/busybox:latest',
        bridges: [],
        firewallRules: [],
        hosts: [host(extra)],
        standIns: [],
      });
    const read = parseBoxState(state({ engine: { kind: 'docker', release: '26.1' } }));
    expect(read.kind === 'present' && read.state.hosts[0]?.engine).toEqual({
      kind: 'docker',
      release: '26.1',
    });
    const plain = parseBoxState(state({}));
    expect(plain.kind === 'present' && plain.state.hosts[0]?.engine).toBeUndefined();
  });
});
