import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { compilePlan } from '../plan/compile.js';
import type { PlannedCheck } from '../plan/model.js';
import type { CheckResult } from '../probe/probe-result.js';
import { fanOut } from '../run/events.js';
import { executePlan } from '../run/execute.js';
import type { RunReport } from '../run/run-report.js';
import { parseScenario } from '../scenario/load.js';
import { resolveScenario } from '../scenario/resolve.js';
import { LiveTree } from './live-tree.js';
import { progressLines } from './progress-lines.js';
import { renderCheckLine, renderVerdict } from './verdict.js';

const inventory: Inventory = {
  file: 'inv.ini',
  hosts: ['server1', 'server2'].map((name, i) => ({
    name,
    address: `198.18.0.${i + 1}`,
    port: 22,
    user: 'root',
    become: false,
    groups: ['all'],
    vars: {},
    location: { file: 'inv.ini', line: i + 1 },
  })),
  groups: {},
};
const plan = compilePlan(
  resolveScenario(
    parseScenario(
      `name: t
vars: { image: 'busybox:latest' }
nics:
  - { hosts: [server1], interface: eth1, up: true }
networks:
  - { name: my_net2, driver: bridge, hosts: [server1], subnet: 198.19.20.0/24, gateway: 1 }
containers:
  - { name: vm1, host: server1, networks: [my_net2] }
assert:
  - { network: my_net2, has: { subnet: 198.19.20.0/24 }, reason: as given }
`,
      't.yaml',
    ),
    inventory,
    {},
  ),
  inventory,
);
const options = {
  concurrency: 4,
  checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 4 },
  assertions: { waitMs: 0, timeoutMs: 1000, httpGet: async () => ({ status: 200, body: '' }) },
};

function fakeHosts() {
  const all = new Map<string, FakeHost>();
  return (name: string) => all.get(name) ?? all.set(name, new FakeHost(name)).get(name)!;
}

describe('renderers listen to the executor’s events', () => {
  it('plain lines: one per thing done, and the counts once', async () => {
    const lines: string[] = [];
    const hosts = fakeHosts();
    await executePlan(plan, async (t) => hosts(t.host), {
      ...options,
      events: progressLines((l) => lines.push(l)),
    });
    // Hosts and steps finish in any order (each step starts once what it needs is done).
    expect(lines.at(-1)).toBe('1 of 1 assertions hold\n');
    expect([...lines].sort()).toEqual([
      '1 of 1 assertions hold\n',
      'server1    NIC eth1: eth1 up\n',
      'server1    container vm1: running: busybox:latest on my_net2\n',
      'server1    network my_net2: bridge 198.19.20.0/24\n',
      'server1    ready (Docker 20.10.24, API 1.41)\n',
      'server2    ready (Docker 20.10.24, API 1.41)\n',
    ]);
  });

  it('the task tree (simple renderer): each task ends as its event says', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += String(d)));
    const tree = new LiveTree(plan, { stdout: out, stderr: out, renderer: 'simple' });
    const hosts = fakeHosts();
    await executePlan(plan, async (t) => hosts(t.host), { ...options, events: fanOut(tree) });
    await tree.done();
    expect(text).toContain('server1: ready (Docker 20.10.24, API 1.41)');
    expect(text).toContain('✔ eth1: eth1 up');
    expect(text).toContain('✔ network my_net2: bridge 198.19.20.0/24');
    expect(text).toContain('1 of 1 assertions hold');
    expect(text).toContain('each step starts once what it needs is done');
  });
});

const tally = (e: number, eh: number, a: number, ah: number) => ({
  expectations: { held: eh, total: e },
  assertions: { held: ah, total: a },
});
const base: RunReport = {
  scenario: 's',
  hosts: [{ host: 'server1', steps: [] }],
  checks: [],
  verdict: 'pass',
  tally: tally(0, 0, 0, 0),
  durationMs: 1200,
};
const check = (label: string, address: string): PlannedCheck =>
  ({
    id: 'check-1',
    from: { host: 'server1', container: 'vm1' },
    to: { kind: 'address', label, address },
    expect: 'reach',
    reason: 'r',
  }) as PlannedCheck;
const result = (c: PlannedCheck, evidence: string): CheckResult => ({
  check: c,
  outcome: 'error',
  address: c.to.address,
  attempts: 0,
  durationMs: 0,
  evidence,
  reproduce: 'ping',
});

describe('the verdict (issue 15 output defects)', () => {
  it('1: counts expectations and assertions apart', () => {
    const last = (r: RunReport) => renderVerdict(r).trimEnd().split('\n').at(-1);
    expect(last({ ...base, tally: tally(2, 2, 6, 6) })).toBe(
      'PASS: s — all 2 expectations and 6 assertions hold (1.2 s)',
    );
    expect(last({ ...base, tally: tally(0, 0, 4, 4) })).toBe(
      'PASS: s — all 4 assertions hold (1.2 s)',
    );
    expect(last({ ...base, verdict: 'fail', tally: tally(2, 1, 6, 6) })).toBe(
      'FAIL: s — 1 of 2 expectations and 0 of 6 assertions did not hold',
    );
  });

  it('2: a target named by its address is not followed by the same address', () => {
    const line = renderCheckLine({
      ...result(check('198.18.0.254', '198.18.0.254'), ''),
      outcome: 'pass',
    });
    expect(line).toBe('✔ PASS  vm1 (server1) reaches 198.18.0.254');
  });

  it('7: one failure said once per host and step; the same error elsewhere folded', () => {
    const engine = 'server1: POST /containers/a1/start failed: HTTP 400: exec: "slep": not found';
    const checks = Array.from({ length: 7 }, () =>
      result(check('vm2 on n', '198.19.1.2'), `not probed: ${engine}`),
    );
    const text = renderVerdict({
      ...base,
      verdict: 'error',
      checks,
      tally: tally(7, 0, 0, 0),
      hosts: [
        {
          host: 'server1',
          steps: [],
          error: new LabError('remote', engine, { host: 'server1' }),
          failures: ['a1', 'a2', 'a3', 'a4'].map((c) => ({
            step: `container ${c}`,
            message: engine,
          })),
        },
      ],
    });
    expect(text.split('exec: "slep"').length - 1).toBe(1);
    expect(text).not.toContain('server1: server1:');
    expect(text).toContain('! server1: POST /containers/a1/start failed');
    expect(text).toContain('(3 more like this: container a2, container a3, container a4)');
    expect(text).toContain('not probed: a step it needs failed on server1 (above)');
    expect(text).toContain('(6 more like this, listed above)');
  });

  it('9: refused in preflight is bad input with nothing changed, not "1 host failed"', () => {
    const text = renderVerdict({
      ...base,
      verdict: 'bad-input',
      hosts: [
        { host: 'server1', steps: [], error: new LabError('conflict', 'server1 is not ready') },
      ],
    });
    expect(text).not.toMatch(/host failed/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'NOT RUN: s — refused before any change on server1 (see above); nothing was changed on any host',
    );
  });
});
