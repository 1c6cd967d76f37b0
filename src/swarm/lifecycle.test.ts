import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { RunEvent } from '../run/events.js';
import { executePlan, type ExecuteOptions } from '../run/execute.js';
import { downFailures, downScenario, renderDown } from '../run/down.js';

const inventory = testInventory(2);
const plan = planOf(
  `name: overlay
vars: { image: 'busybox:latest' }
hosts: [server1, server2]
swarm: { address_pool: 198.19.64.0/18 }
networks:
  - { name: ov, driver: overlay, attachable: true, subnet: 198.19.30.0/24 }
containers:
  - { name: a, host: server1, networks: [{ network: ov, ip: 10 }] }
  - { name: b, host: server2, networks: [{ network: ov, ip: 11 }] }
`,
  inventory,
  'overlay.yaml',
);

function fakes() {
  const hosts = new Map(['server1', 'server2'].map((h) => [h, new FakeHost(h)]));
  for (const h of hosts.values()) h.peers = hosts;
  return { hosts, connect: async (t: { host: string }) => hosts.get(t.host) as FakeHost };
}

const options = (events: RunEvent[] = []): ExecuteOptions => ({
  concurrency: 4,
  checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 4 },
  events: { emit: (e) => events.push(e) },
});
/** Sleeps advance time at once: waiting loops end without real waiting. */
function steppingClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}
const clock = steppingClock();

/** `lab down overlay` on the fake hosts. */
function downOverlay(
  connect: Parameters<typeof downScenario>[2],
  c: ReturnType<typeof steppingClock> = steppingClock(),
) {
  return downScenario(
    'overlay',
    plan.hosts.map((h) => h.target),
    connect,
    2,
    c,
  );
}

describe('the scenario’s swarm (fake hosts)', () => {
  it('is made where there is none, used again unchanged, and removed by lab down', async () => {
    const { hosts, connect } = fakes();
    const [s1, s2] = [hosts.get('server1') as FakeHost, hosts.get('server2') as FakeHost];
    const events: RunEvent[] = [];
    const first = await executePlan(plan, connect, options(events));
    expect(first.verdict).toBe('pass');
    expect(s1.swarm).toMatchObject({
      state: 'active',
      isManager: true,
      labels: { 'lab.swarm': 'created', 'lab.scenario': 'overlay' },
    });
    expect(s2.swarm).toMatchObject({ state: 'active', isManager: false });
    // lab made docker_gwbridge itself, labelled, before joining: lab down can find it.
    expect(s2.networks.get('docker_gwbridge')?.labels).toMatchObject({ 'lab.kind': 'swarm' });
    expect(s1.networks.has('ov')).toBe(true);
    expect(s2.networks.has('ov')).toBe(false);
    expect(first.hosts[0]?.notes).toContain(
      'no swarm yet: lab creates one with server1 as manager and joins server2; lab down removes it again',
    );
    // The events come in the order things happened: the manager's swarm before the worker joins.
    const steps = events.flatMap((e) => (e.type === 'step-done' ? [e.outcome.step.id] : []));
    expect(steps.indexOf('server1/swarm')).toBeLessThan(steps.indexOf('server2/swarm'));
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-finished');

    const again = await executePlan(plan, connect, options());
    expect(new Set(again.hosts.flatMap((h) => h.steps.map((s) => s.action)))).toEqual(
      new Set(['unchanged']),
    );

    const down = await downOverlay(connect, clock);
    expect(down.hosts).toMatchObject([
      {
        host: 'server1',
        swarm: [
          'left the swarm (it was its manager: the swarm is gone)',
          'network docker_gwbridge',
        ],
      },
      { host: 'server2', swarm: ['left the swarm', 'network docker_gwbridge'] },
    ]);
    for (const h of [s1, s2]) {
      expect(h.swarm.state).toBe('inactive');
      expect(h.networks.size).toBe(0);
      expect(h.containers.size).toBe(0);
    }
  });

  it('a swarm lab did not make is used and left; a host outside it stops the run before any change', async () => {
    const { hosts, connect } = fakes();
    const s1 = hosts.get('server1') as FakeHost;
    await s1.docker.swarmInit({ advertiseAddress: '198.18.0.1' });
    const stopped = await executePlan(plan, connect, options());
    // Refused before any change: bad input (exit 2), not a failed host.
    expect(stopped.verdict).toBe('bad-input');
    expect(stopped.hosts[1]?.error?.message).toMatch(
      /server2 is in no swarm, and server1's swarm is not one lab made/,
    );
    expect([...hosts.values()].every((h) => h.containers.size === 0)).toBe(true);
    // Nothing but Docker's own routing mesh, which came with the swarm.
    expect([...s1.networks.keys()]).toEqual(['ingress']);

    // Joined by its owner: lab uses the swarm, and lab down leaves it.
    const s2 = hosts.get('server2') as FakeHost;
    await s2.docker.swarmJoin({
      advertiseAddress: '198.18.0.2',
      managers: ['198.18.0.1:2377'],
      token: 'token-server1',
    });
    expect((await executePlan(plan, connect, options())).verdict).toBe('pass');
    await downOverlay(connect, clock);
    expect(s1.swarm.state).toBe('active');
    expect(s2.swarm.state).toBe('active');
  });

  it('lab down lets a worker leave only once its ingress is in place (Docker keeps it otherwise)', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    expect((await executePlan(plan, connect, options())).verdict).toBe('pass');
    s2.ingress.inspections = 0;
    s2.ingress.settlesAfter = 3;
    const down = await downOverlay(connect);
    expect(s2.ingress.inspections).toBeGreaterThan(3);
    expect(down.swarmError).toBeUndefined();
    expect(down.hosts[1]).not.toHaveProperty('error');
    expect(downFailures(down)).toEqual([]);
    for (const h of hosts.values()) expect(h.networks.size).toBe(0);
  });

  it('a worker leaves only once the overlay endpoints of removed containers are gone from it', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    expect((await executePlan(plan, connect, options())).verdict).toBe('pass');
    // Docker still cleaning up a removed container's overlay endpoint on the worker.
    s2.networks.set('ov', {
      id: 'ov-on-worker',
      name: 'ov',
      driver: 'overlay',
      labels: {},
      options: {},
      swarmScoped: true,
      containers: [],
    });
    let sleeps = 0;
    let stateAtCleanup = '';
    const clock = steppingClock();
    const sleep = clock.sleep;
    clock.sleep = async (ms: number) => {
      if (++sleeps === 3) {
        stateAtCleanup = s2.swarm.state;
        s2.networks.delete('ov');
      }
      await sleep(ms);
    };
    const down = await downOverlay(connect, clock);
    expect(stateAtCleanup).toBe('active');
    expect(downFailures(down)).toEqual([]);
    expect(s2.swarm.state).toBe('inactive');
  });

  it('clears a stale ingress Docker kept after leaving, with a throwaway swarm made and left', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    expect((await executePlan(plan, connect, options())).verdict).toBe('pass');
    s2.ingress.staleLeaves = 1;
    const down = await downOverlay(connect);
    expect(downFailures(down)).toEqual([]);
    expect(down.hosts[1]).toMatchObject({
      host: 'server2',
      swarm: [
        'left the swarm',
        'cleared the stale ingress network Docker kept (a throwaway swarm, made and left)',
        'network docker_gwbridge',
      ],
    });
    expect(s2.swarm.state).toBe('inactive');
    expect(s2.networks.size).toBe(0);
  });

  it('a stale ingress that even that does not clear makes lab down fail for that host, saying how', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    expect((await executePlan(plan, connect, options())).verdict).toBe('pass');
    s2.ingress.staleLeaves = 2;
    const down = await downOverlay(connect);
    expect(downFailures(down)).toEqual(['server2']);
    expect(down.swarmError?.message).toMatch(/server2: Docker kept its ingress network/);
    expect(down.swarmError?.context.hint).toMatch(
      /restart Docker on server2.*lab down overlay again/,
    );
    // What was done before the failure is still reported.
    expect(down.hosts[1]).toMatchObject({ host: 'server2', swarm: ['left the swarm'] });
    expect(renderDown(down)).toMatch(/^! the swarm could not be left: server2: Docker kept/m);
    expect(s2.networks.get('docker_gwbridge')).toBeDefined();
    expect(s2.swarm.state).toBe('inactive');
  });
});
