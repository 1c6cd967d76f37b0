import { describe, expect, it } from 'vitest';
import type { HostSession } from '../host/session.js';
import type { Plan, SwarmStep } from '../plan/model.js';
import { checkSwarmPorts, swarmPairs } from './swarm-ports.js';

function step(host: string, role: 'manager' | 'worker', address: string): SwarmStep {
  return {
    id: `${host}:swarm`,
    kind: 'swarm',
    host,
    dependsOn: [],
    role,
    manager: 'server1',
    managerAddress: '198.18.0.1:2377',
    advertiseAddress: address,
    labels: {},
  } as unknown as SwarmStep;
}

const plan = {
  scenario: 'overlay',
  hosts: [
    { host: 'server1', steps: [step('server1', 'manager', '198.18.0.1')] },
    { host: 'server2', steps: [step('server2', 'worker', '198.18.0.2')] },
  ],
} as unknown as Plan;

/** A host whose prober prints `states` (one per probe, in order) and whose `ss` lists `udp`. */
function session(host: string, states: string[], udp: number[] = []): HostSession {
  const stdout = states.map((s, i) => `@@lab ${i + 1} ${s} 1 - 10 -`).join('\n') + '\n@@lab-done\n';
  return {
    host,
    shell: {
      exec: () =>
        Promise.resolve({
          exitCode: 0,
          stdout: udp.map((p) => `UNCONN 0 0 0.0.0.0:${p} 0.0.0.0:*`).join('\n'),
          stderr: '',
        }),
    },
    docker: {
      run: (spec: { networkMode?: string }) => {
        expect(spec.networkMode).toBe('host');
        return Promise.resolve({ exitCode: 0, stdout, stderr: '' });
      },
    },
  } as unknown as HostSession;
}

describe('swarm port preflight', () => {
  it('asks 2377/tcp of managers only, 7946/tcp+udp and 4789/udp of every pair', () => {
    const pairs = swarmPairs(plan).map(
      (p) => `${p.from}>${p.to} ${p.port.port}/${p.port.protocol}`,
    );
    expect(pairs).toEqual([
      'server1>server2 7946/tcp',
      'server1>server2 7946/udp',
      'server1>server2 4789/udp',
      'server2>server1 2377/tcp',
      'server2>server1 7946/tcp',
      'server2>server1 7946/udp',
      'server2>server1 4789/udp',
    ]);
  });

  it("a refusal gets through; silence on 4789/udp stops the run in the issue's words", async () => {
    const sessions = new Map([
      ['server1', session('server1', ['refused', 'refused', 'refused'])],
      ['server2', session('server2', ['refused', 'refused', 'refused', 'silent'])],
    ]);
    const f = await checkSwarmPorts(plan, sessions, { probeImage: 'busybox', runId: 't' });
    expect([...f.errors.keys()]).toEqual(['server1']);
    expect(f.errors.get('server1')?.message).toBe(
      'server2 cannot reach server1 on 4789/udp (VXLAN): the overlay would carry no traffic; open it in the host firewall (no answer within 2 s)',
    );
    expect(f.errors.get('server1')?.context.hint).toMatch(/^nothing was changed on any host/);
  });

  it('silence on a UDP port something already listens on is not known, never blocked', async () => {
    const sessions = new Map([
      ['server1', session('server1', ['open', 'silent', 'silent'], [7946, 4789])],
      ['server2', session('server2', ['open', 'open', 'silent', 'silent'], [7946, 4789])],
    ]);
    const f = await checkSwarmPorts(plan, sessions, { probeImage: 'busybox', runId: 't' });
    expect(f.errors.size).toBe(0);
    expect(f.notes.get('server2')?.[1]).toMatch(
      /4789\/udp from server2 to server1 not known: something on server1 already listens/,
    );
  });

  it('a probe that cannot run is a note, not a verdict', async () => {
    const sessions = new Map([
      ['server1', session('server1', ['nonc', 'notr', 'notr'])],
      ['server2', session('server2', ['refused', 'refused', 'refused', 'refused'])],
    ]);
    const f = await checkSwarmPorts(plan, sessions, { probeImage: 'busybox', runId: 't' });
    expect(f.errors.size).toBe(0);
    expect(f.notes.get('server1')?.[0]).toMatch(
      /could not check 7946\/tcp from server1 to server2: the probe image has no nc/,
    );
  });
});
