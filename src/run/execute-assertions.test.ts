import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { renderVerdict, reportToJson } from '../report/verdict.js';
import { executePlan, type ExecuteOptions } from './execute.js';

const inventory = testInventory(1);
const plan = planOf(
  `name: t
vars: { image: 'busybox:latest' }
networks:
  - { name: my_net2, driver: bridge, subnet: 198.19.20.0/24, gateway: 1 }
containers:
  - { name: vm1, host: server1, networks: [my_net2] }
assert:
  - { network: my_net2, has: { subnet: 198.19.20.0/24 }, reason: as given }
  - { network: my_net2, has: { driver: macvlan }, reason: a claim that does not hold }
`,
  inventory,
  't.yaml',
);

const options = (): ExecuteOptions => ({
  concurrency: 4,
  checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 4 },
  assertions: { waitMs: 0, timeoutMs: 1000, httpGet: async () => ({ status: 200, body: '' }) },
});

describe('assertions in a run (fake host)', () => {
  it('are judged with the checks; one that does not hold makes the run FAIL, with its evidence', async () => {
    const host = new FakeHost('server1');
    const report = await executePlan(plan, async () => host, options());
    expect(report.assertions?.map((a) => a.outcome)).toEqual(['pass', 'fail']);
    expect(report.verdict).toBe('fail');
    const text = renderVerdict(report);
    expect(text).toContain(
      'Assertions:\n  ✔ PASS  network my_net2 on server1 has subnet 198.19.20.0/24',
    );
    expect(text).toContain('why it should hold: a claim that does not hold');
    expect(text).toContain('observed: driver is bridge, not macvlan');
    expect(text).toContain('FAIL: t — 1 of 2 assertions did not hold');
    const json = reportToJson(report) as { assertions: { id: string; outcome: string }[] };
    expect(json.assertions.map((a) => `${a.id} ${a.outcome}`)).toEqual([
      'assert-1 pass',
      'assert-2 fail',
    ]);
  });

  it('are not checked (ERROR) when a step they wait for failed', async () => {
    const host = new FakeHost('server1');
    Object.assign(host.docker, {
      createContainer: async () => {
        throw new Error('no space left on device');
      },
    });
    const report = await executePlan(plan, async () => host, options());
    expect(report.verdict).toBe('error');
    expect(report.assertions?.every((a) => a.outcome === 'error')).toBe(true);
    expect(report.assertions?.[0]?.evidence).toBe('not checked: no space left on device');
  });
});

describe('an attempt (fails:) in a run (fake host)', () => {
  const withAttempt = planOf(
    `name: t
vars: { image: 'busybox:latest' }
networks:
  - { name: my_net2, driver: bridge, subnet: 198.19.20.0/24, gateway: 1 }
containers:
  - { name: vm1, host: server1, networks: [my_net2] }
assert:
  - { network: my_net2, has: { subnet: 198.19.20.0/24 }, reason: looks at the host }
  - fails: { run: { name: vm9, networks: [my_net2] } }
    message: refused
    reason: an engine that accepts it makes vm9 before lab removes it again
`,
    inventory,
    't.yaml',
  );

  it('is made and undone before any other claim looks at the host (no claim sees vm9 by timing)', async () => {
    const host = new FakeHost('server1');
    const seen: string[] = [];
    const d = host.docker;
    const { createContainer, removeContainer, inspectNetwork } = d;
    const pause = () => new Promise((r) => setTimeout(r, 30));
    Object.assign(d, {
      createContainer: async (spec: Parameters<typeof createContainer>[0]) => {
        const id = await createContainer(spec);
        if (spec.name === 'vm9') {
          seen.push('vm9 made');
          await pause();
        }
        return id;
      },
      removeContainer: async (id: string) => {
        const vm9 = host.containers.get('vm9')?.id === id;
        await removeContainer(id);
        if (vm9) seen.push('vm9 removed');
      },
      inspectNetwork: async (name: string) => {
        if (name === 'my_net2')
          seen.push(host.containers.has('vm9') ? 'looked, vm9 there' : 'looked');
        return inspectNetwork(name);
      },
    });
    const report = await executePlan(withAttempt, async () => host, options());
    expect(seen).not.toContain('looked, vm9 there');
    expect(seen.slice(seen.indexOf('vm9 removed'))).toContain('looked');
    // Reported in the plan's order, whatever order they ran in.
    expect(report.assertions?.map((a) => `${a.assertion.kind} ${a.outcome}`)).toEqual([
      'network pass',
      'fails fail',
    ]);
  });
});
