import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { LabError } from '../common/errors.js';
import { DockerNotRunning } from '../docker/engine-down.js';
import type { SshTarget } from '../ssh/target.js';
import { downExitCode, downScenario, renderDown, type DownReport } from './down.js';
import { preflightHint } from './preflight.js';

const target = (host: string): SshTarget =>
  ({ host, address: '198.18.0.1', port: 22, user: 'root' }) as SshTarget;
const codes = { hostError: 3, interrupted: 130, badInput: 2 };
const owned = { 'lab.managed': 'true', 'lab.scenario': 's' };
const never = new Promise<never>(() => {});

describe('lab down', () => {
  it('interrupted: stops within a second and says exactly what is still there (exit 130)', async () => {
    const host = new FakeHost('server1');
    await host.docker.createContainer({ name: 'a', image: 'img', labels: owned });
    const b = await host.docker.createContainer({ name: 'b', image: 'img', labels: owned });
    const remove = host.docker.removeContainer.bind(host.docker);
    Object.assign(host.docker, {
      removeContainer: (id: string) => (id === b ? never : remove(id)),
    });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 50);
    const started = Date.now();
    const report = await downScenario(
      's',
      [target('server1')],
      async () => host,
      1,
      undefined,
      interrupt.signal,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.interrupted).toBe(true);
    const text = renderDown(report);
    expect(text).toContain(
      '! server1: interrupted before lab down finished here; still there: container b',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'INTERRUPTED: lab down did not finish; run the same command again to remove the rest',
    );
    expect(downExitCode(report, codes)).toBe(130);
  });

  it('finished before the Ctrl-C mattered: clean, exit 0', async () => {
    const host = new FakeHost('server1');
    await host.docker.createContainer({ name: 'a', image: 'img', labels: owned });
    const interrupt = new AbortController();
    const report = await downScenario(
      's',
      [target('server1')],
      async () => host,
      1,
      undefined,
      interrupt.signal,
    );
    interrupt.abort();
    expect(renderDown(report)).toBe('✔ server1: removed container a\n');
    expect(downExitCode(report, codes)).toBe(0);
  });

  it('a connection lost under it: "connection to server2 (…) lost during lab down", never the raw "Keepalive timeout"', async () => {
    const host = new FakeHost('server2');
    await host.docker.createContainer({ name: 'a', image: 'img', labels: owned });
    Object.assign(host.shell, { lost: () => 'connection to server2 (198.18.0.2:22) lost' });
    Object.assign(host.docker, {
      removeContainer: () => Promise.reject(new Error('Keepalive timeout')),
    });
    const report = await downScenario('s', [target('server2')], async () => host, 1);
    const text = renderDown(report);
    expect(text).toMatch(
      /^! server2: connection to server2 \(198\.18\.0\.2:22\) lost during lab down$/m,
    );
    expect(text).not.toContain('Keepalive timeout');
    expect(downExitCode(report, codes)).toBe(3);
  });

  /** server2 whose dockerd dies at its `n`-th Engine call of `lab down`: later calls hang up. */
  function engineDiesAt(n: number): FakeHost {
    const host = new FakeHost('server2');
    let calls = 0;
    let dead = false;
    for (const name of ['listContainers', 'removeContainer', 'listNetworks', 'info'] as const) {
      const real = (host.docker[name] as (...a: unknown[]) => Promise<unknown>).bind(host.docker);
      Object.assign(host.docker, {
        [name]: (...a: unknown[]) => {
          if (++calls >= n) dead = true;
          return dead
            ? Promise.reject(
                new LabError(
                  'host',
                  'server2: cannot reach the Docker Engine for GET /info: socket hang up',
                  { host: 'server2' },
                ),
              )
            : real(...a);
        },
      });
    }
    Object.assign(host, {
      dockerDown: async (cause: unknown) =>
        dead ? new DockerNotRunning('server2', '/var/run/docker.sock', cause) : undefined,
    });
    return host;
  }

  it('dockerd killed at any Engine call of lab down, the swarm step included: "Docker is not running on server2" per host (3), never the call that failed', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      const host = engineDiesAt(n);
      await host.docker.createContainer({ name: 'a', image: 'img', labels: owned });
      const report = await downScenario('s', [target('server2')], async () => host, 1);
      const text = renderDown(report);
      expect(text, `dies at call ${n}`).toMatch(/^! server2: Docker is not running on server2/m);
      expect(text, `dies at call ${n}`).not.toMatch(/socket hang up|the swarm could not be left/);
      expect(downExitCode(report, codes)).toBe(3);
    }
  });

  it('a swarm step failing on a live engine is still said as the swarm’s failure', async () => {
    const host = new FakeHost('server2');
    Object.assign(host.docker, {
      info: () =>
        Promise.reject(
          new LabError('remote', 'server2: GET /info failed: HTTP 500', { host: 'server2' }),
        ),
    });
    Object.assign(host, { dockerDown: async () => undefined });
    const report = await downScenario('s', [target('server2')], async () => host, 1);
    expect(renderDown(report)).toContain(
      '! the swarm could not be left: server2: GET /info failed: HTTP 500',
    );
    expect(downExitCode(report, codes)).toBe(3);
  });

  it('says what it did in words: "left the swarm", not "removed left the swarm"', () => {
    const report: DownReport = {
      scenario: 'overlay',
      hosts: [
        {
          host: 'server2',
          containers: [],
          networks: [],
          nics: ['eth0: promisc off'],
          swarm: ['left the swarm', 'network docker_gwbridge'],
        },
      ],
    };
    expect(renderDown(report)).toBe(
      '✔ server2: removed network docker_gwbridge; restored NIC eth0: promisc off; left the swarm\n',
    );
  });
});

describe('preflight hint', () => {
  it('points at the scenario for a subnet that overlaps the hosts’ own LAN', () => {
    const hint = preflightHint(
      [
        "network lan's subnet 198.18.0.0/16 overlaps the host's route 198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.1; traffic for those addresses would go the wrong way",
      ],
      'nat-publish',
    );
    expect(hint).toMatch(/^change the scenario: give nat-publish's networks subnets/);
    expect(hint).not.toMatch(/on the host/);
  });

  it('and at the host for an object in the way', () => {
    expect(preflightHint(['container b already exists and was not made by lab for s'], 's')).toBe(
      'fix or remove the others on the host (nothing was changed), then run again',
    );
  });
});
