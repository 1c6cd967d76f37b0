import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { Inventory, InventoryHost } from '../inventory/model.js';
import { compilePlan } from '../plan/compile.js';
import type { Scenario } from '../scenario/model.js';
import { LabError } from '../common/errors.js';
import { renderVerdict } from '../report/verdict.js';
import type { RunEvent } from './events.js';
import { executePlan, type ExecuteOptions } from './execute.js';
import { anythingChanged, changesOf, type HostReport } from './run-report.js';
import { teardownHost } from './teardown.js';
import { DockerNotRunning, unavailableDocker } from '../docker/engine-down.js';

const host = (name: string, address: string): InventoryHost => ({
  name,
  address,
  port: 22,
  user: 'root',
  become: false,
  groups: ['all'],
  vars: {},
  location: { file: 'inv.ini', line: 1 },
});
const inventory: Inventory = {
  file: 'inv.ini',
  hosts: [host('server1', '198.18.0.1'), host('server2', '198.18.0.2')],
  groups: {},
};
const both = ['server1', 'server2'];
const scenario: Scenario = {
  name: 'two-nic',
  description: '',
  file: 'two-nic.yaml',
  hosts: both,
  vars: {},
  nics: [
    { hosts: both, interface: 'eth0', promisc: true },
    { hosts: both, interface: 'eth1', up: true, promisc: true },
  ],
  networks: [
    {
      name: 'net1',
      driver: 'macvlan',
      hosts: both,
      subnet: '198.19.1.0/24',
      parent: 'eth0',
      options: {},
    },
    {
      name: 'net2',
      driver: 'macvlan',
      hosts: both,
      subnet: '198.19.2.0/24',
      parent: 'eth1',
      options: {},
    },
  ],
  containers: [
    {
      name: 'a',
      host: 'server1',
      image: 'img',
      networks: [
        { network: 'net1', ipv4: '198.19.1.10' },
        { network: 'net2', ipv4: '198.19.2.10' },
      ],
    },
    {
      name: 'b',
      host: 'server2',
      image: 'img',
      networks: [{ network: 'net1', ipv4: '198.19.1.11' }],
    },
  ],
  expectations: [],
};
const plan = compilePlan(scenario, inventory);

function options(extra: Partial<ExecuteOptions> = {}): ExecuteOptions {
  return {
    concurrency: 4,
    checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 4 },
    ...extra,
  };
}

function fakes() {
  const hosts = new Map(both.map((h) => [h, new FakeHost(h)]));
  return { hosts, connect: async (t: { host: string }) => hosts.get(t.host) as FakeHost };
}

describe('executePlan (fake hosts)', () => {
  it('applies every step with labels, saves NIC state first, then converges without changes', async () => {
    const { hosts, connect } = fakes();
    const first = await executePlan(plan, connect, options());
    expect(first.verdict).toBe('pass');
    const s1 = hosts.get('server1') as FakeHost;
    expect([...s1.networks.keys()].sort()).toEqual(['net1', 'net2']);
    expect(s1.containers.get('a')?.networks).toEqual({
      net1: { ipv4: '198.19.1.10' },
      net2: { ipv4: '198.19.2.10' },
    });
    expect(s1.containers.get('a')?.labels).toMatchObject({
      'lab.managed': 'true',
      'lab.scenario': 'two-nic',
    });
    expect(s1.links.get('eth1')).toEqual({ up: true, promisc: true });
    expect(s1.scripts).toHaveLength(1); // all NIC work in one round trip
    // Saved in a file on the host, readable without Docker, in the same round trip.
    expect(s1.files.get('/run/lab/two-nic.nics')?.split('\n').sort()).toEqual([
      '',
      'eth0 existed=1,up=1,promisc=0',
      'eth1 existed=1,up=0,promisc=0',
    ]);

    const again = await executePlan(plan, connect, options());
    expect(again.hosts.flatMap((h) => h.steps.map((s) => s.action))).toEqual(
      expect.arrayContaining(['unchanged']),
    );
    expect(new Set(again.hosts.flatMap((h) => h.steps.map((s) => s.action)))).toEqual(
      new Set(['unchanged']),
    );
    expect(s1.scripts).toHaveLength(1);
  });

  it('stops in preflight, changing nothing on any host, when a foreign object holds one of our names', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    await s2.docker.createContainer({ name: 'b', image: 'img', labels: { owner: 'someone' } });
    const report = await executePlan(plan, connect, options());
    // Refused before any change: bad input (exit 2), not a failed host.
    expect(report.verdict).toBe('bad-input');
    expect(report.hosts.find((h) => h.host === 'server2')?.error?.message).toMatch(
      /container b already exists and was not made by lab/,
    );
    for (const h of hosts.values()) {
      expect(h.networks.size).toBe(0);
      expect(h.scripts).toEqual([]);
    }
    expect(s2.containers.get('b')?.labels).toEqual({ owner: 'someone' });
  });

  it('starts no step once interrupted, and says it was interrupted, with nothing changed', async () => {
    const { hosts, connect } = fakes();
    const interrupt = new AbortController();
    interrupt.abort();
    const report = await executePlan(plan, connect, options({ signal: interrupt.signal }));
    expect(report.verdict).toBe('interrupted');
    expect(report.interruptedDuring).toBe('connect');
    expect(report.hosts.every((h) => !h.error && h.steps.length === 0)).toBe(true);
    for (const h of hosts.values()) expect(h.containers.size).toBe(0);
  });

  it('teardown removes only what the scenario made and restores each NIC', async () => {
    const { hosts, connect } = fakes();
    await executePlan(plan, connect, options());
    const s1 = hosts.get('server1') as FakeHost;
    await s1.docker.createContainer({
      name: 'other',
      image: 'img',
      labels: { 'lab.managed': 'true', 'lab.scenario': 'another' },
    });
    const out = await teardownHost(s1, 'two-nic');
    expect(out.containers).toEqual(['a']);
    expect([...s1.containers.keys()]).toEqual(['other']);
    expect(s1.networks.size).toBe(0);
    expect(s1.files.size).toBe(0);
    expect(s1.links.get('eth0')).toEqual({ up: true, promisc: false });
    expect(s1.links.get('eth1')).toEqual({ up: false, promisc: false });
    expect((await teardownHost(s1, 'two-nic')).containers).toEqual([]);
  });

  it('teardown with the engine dead restores the NICs from the state file, says so plainly, and a later one removes the rest', async () => {
    const { hosts, connect } = fakes();
    await executePlan(plan, connect, options());
    const s1 = hosts.get('server1') as FakeHost;
    const dead = {
      host: s1.host,
      shell: s1.shell,
      docker: unavailableDocker(new DockerNotRunning('server1', '/var/run/docker.sock', 'x')),
    };
    const err = await teardownHost(dead, 'two-nic').then(
      () => undefined,
      (e: unknown) => e as LabError,
    );
    expect(err?.message).toBe(
      'Docker is not running on server1: restored NIC eth0: set eth0 promisc off, NIC eth1: set eth1 promisc off, set eth1 down; its containers and networks of the scenario, if any, stay until lab down runs with Docker up',
    );
    expect(err?.context.hint).toBe('start Docker on server1, then run the same lab down again');
    expect(s1.links.get('eth0')).toEqual({ up: true, promisc: false });
    expect(s1.links.get('eth1')).toEqual({ up: false, promisc: false });
    expect(s1.files.size).toBe(0);
    expect(s1.containers.has('a')).toBe(true);
    const later = await teardownHost(s1, 'two-nic');
    expect(later).toMatchObject({ containers: ['a'], nics: [] });
    expect(s1.networks.size).toBe(0);
  });
});

/** A scenario with one expectation, so that the run has a checks phase. */
const withCheck = compilePlan(
  {
    ...scenario,
    expectations: [
      {
        from: 'a',
        to: { kind: 'container', container: 'b', network: 'net1' },
        reach: true,
        reason: 'same segment',
      },
    ],
  },
  inventory,
);

/** Runs the plan, aborting when `when` first sees its event; returns the report and the time taken. */
async function interruptedRun(
  connect: Parameters<typeof executePlan>[1],
  when: (e: RunEvent) => boolean,
  p = plan,
) {
  const interrupt = new AbortController();
  const events: RunEvent[] = [];
  let abortedAt = 0;
  const report = await executePlan(p, connect, {
    ...options({ signal: interrupt.signal }),
    events: {
      emit: (e) => {
        events.push(e);
        if (!interrupt.signal.aborted && when(e)) {
          abortedAt = Date.now();
          interrupt.abort();
        }
      },
    },
  });
  return { report, events, ms: Date.now() - abortedAt };
}

const never = new Promise<never>(() => {});

describe('executePlan interrupted (fake hosts): the verdict says so, in every phase, within 1 s', () => {
  it('during the handshakes, also when a handshake ignores the abort', async () => {
    const { hosts } = fakes();
    // server1's handshake ends on the abort (as ssh does); server2's never ends at all.
    const connect = (t: { host: string }, signal?: AbortSignal) =>
      t.host === 'server1'
        ? new Promise<FakeHost>((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('abandoned'))),
          )
        : never;
    const { report, ms } = await interruptedRun(connect, (e) => e.type === 'phase-started');
    expect(ms).toBeLessThan(1000);
    expect(report.verdict).toBe('interrupted');
    expect(report.interruptedDuring).toBe('connect');
    // The abandoned handshake is the interrupt, not a host failure.
    expect(report.hosts.every((h) => !h.error)).toBe(true);
    expect(anythingChanged(report.hosts)).toBe(false);
    for (const h of hosts.values()) expect(h.scripts).toEqual([]);
    expect(renderVerdict(report).trimEnd().split('\n').at(-1)).toBe(
      'INTERRUPTED: two-nic — stopped during the connections and checks before any change; nothing was changed on any host',
    );
  });

  it('a Ctrl-C as the run ends (one host failed its handshake, the other ready): named in the phase the run was in, never "the checks" it never reached', async () => {
    const { hosts } = fakes();
    const s1 = hosts.get('server1') as FakeHost;
    const interrupt = new AbortController();
    // The Ctrl-C lands while the run closes its connections, after its last phase.
    const close = s1.docker.close.bind(s1.docker);
    Object.assign(s1.docker, {
      close: async () => {
        interrupt.abort();
        await close();
      },
    });
    const connect = async (t: { host: string }) => {
      if (t.host === 'server2') throw new LabError('host', 'connect EHOSTUNREACH 198.18.0.250:22');
      return s1;
    };
    const report = await executePlan(plan, connect, options({ signal: interrupt.signal }));
    expect(interrupt.signal.aborted).toBe(true);
    expect(report.verdict).toBe('interrupted');
    expect(report.interruptedDuring).toBe('connect');
    expect(renderVerdict(report).trimEnd().split('\n').at(-1)).toBe(
      'INTERRUPTED: two-nic — stopped during the connections and checks before any change; nothing was changed on any host',
    );
  });

  it('during the steps: lists what changed per host, the step left running, and the exact lab down', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    const create = s2.docker.createContainer.bind(s2.docker);
    Object.assign(s2.docker, {
      createContainer: (spec: { name: string }) =>
        spec.name === 'b' ? never : create(spec as never),
    });
    const { report, ms } = await interruptedRun(
      connect,
      (e) => e.type === 'step-started' && e.steps.includes('server2/container/b'),
    );
    expect(ms).toBeLessThan(1000);
    expect(report.verdict).toBe('interrupted');
    expect(report.interruptedDuring).toBe('steps');
    const s2report = report.hosts.find((h) => h.host === 'server2');
    expect(s2report?.error).toBeUndefined();
    expect(changesOf(s2report as HostReport)).toEqual(
      expect.arrayContaining([
        'NIC eth0 changed',
        'network net1 created',
        'container b (started, not finished: may be left)',
      ]),
    );
    const text = renderVerdict(report, { downCommand: 'lab down two-nic -i inv.ini' });
    expect(text).toContain('What this run changed (lab down removes it):');
    expect(text).toMatch(/^ {2}server2: .*container b \(started, not finished: may be left\)/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'INTERRUPTED: two-nic — stopped during the steps; what was made stays, remove it with: lab down two-nic -i inv.ini',
    );
  });

  it('during the checks', async () => {
    const { hosts, connect } = fakes();
    // The prober never answers.
    for (const h of hosts.values())
      Object.assign(h.docker, { run: () => never, exec: () => never });
    const { report, ms } = await interruptedRun(
      connect,
      (e) => e.type === 'phase-started' && e.phase === 'checks',
      withCheck,
    );
    expect(ms).toBeLessThan(1000);
    expect(report.verdict).toBe('interrupted');
    expect(report.interruptedDuring).toBe('checks');
    expect(anythingChanged(report.hosts)).toBe(true);
    expect(renderVerdict(report).trimEnd().split('\n').at(-1)).toMatch(
      /^INTERRUPTED: two-nic — stopped during the checks; what was made stays, remove it with: lab down two-nic/,
    );
  });

  it('never says PASS when the Ctrl-C came after every check held', async () => {
    const { connect } = fakes();
    const { report } = await interruptedRun(connect, (e) => e.type === 'checks-judged');
    expect(report.verdict).toBe('interrupted');
  });

  it('a conflict met after changes began is a failure on the host (exit 3) with the down hint', async () => {
    const { hosts, connect } = fakes();
    const s2 = hosts.get('server2') as FakeHost;
    Object.assign(s2.docker, {
      createContainer: async () => {
        throw new LabError('conflict', 'container b already exists and was not made by lab');
      },
    });
    const report = await executePlan(plan, connect, options());
    expect(report.verdict).toBe('error');
    const text = renderVerdict(report, { downCommand: 'lab down two-nic -i inv.ini' });
    expect(text).toContain('Remove it with: lab down two-nic -i inv.ini');
    expect(text.trimEnd().split('\n').at(-1)).toBe('ERROR: two-nic — 1 host failed (server2)');
  });
});
