import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { PlannedCheck } from '../plan/model.js';
import { runChecks } from './checks.js';

const check = (
  id: string,
  to: string,
  expect: 'reach' | 'no-reach',
  network = 'net1',
): PlannedCheck => ({
  id,
  from: { host: 'server1', container: 'a' },
  to: { kind: 'container', label: `x on ${network}`, address: to, network },
  expect,
  reason: `because ${id}`,
});

async function host() {
  const h = new FakeHost('server1');
  await h.docker.createNetwork({
    name: 'net1',
    driver: 'macvlan',
    options: { parent: 'eth0' },
    labels: {},
  });
  await h.docker.createContainer({
    name: 'a',
    image: 'img',
    labels: {},
    network: { name: 'net1', ipv4: '198.19.1.10' },
  });
  await h.docker.startContainer('a');
  return h;
}

describe('runChecks (lab run) on the prober machinery', () => {
  it("one prober for all of a source's checks; results keep the plan's order", async () => {
    const h = await host();
    h.reachable.add('198.19.1.11');
    const runs: string[] = [];
    const run = h.docker.run;
    h.docker.run = async (spec, o) => (runs.push(`${spec.name} ${spec.networkMode}`), run(spec, o));
    const results = await runChecks(
      [
        check('c1', '198.19.1.11', 'reach'),
        check('c2', '198.19.1.12', 'no-reach'),
        check('c3', '198.19.1.13', 'reach'),
      ],
      new Map([['server1', h]]),
      {
        waitMs: 0,
        pingTimeoutSeconds: 1,
        concurrency: 4,
        probeImage: 'lab/busybox:latest',
        runId: 'r',
      },
    );
    expect(results.map((r) => [r.check.id, r.outcome, r.reached])).toEqual([
      ['c1', 'pass', true],
      ['c2', 'pass', false],
      ['c3', 'fail', false],
    ]);
    expect(runs).toEqual(['lab-probe-r-a container:c2']);
    expect(results[0]?.reproduce).toBe(
      'docker run --rm --network container:a lab/busybox:latest ping -c 1 -W 1 -I eth0 198.19.1.11',
    );
    expect([...h.containers.keys()]).toEqual(['a']);
  });

  it('a check whose containers could not be made is an ERROR, not probed', async () => {
    const h = await host();
    const results = await runChecks(
      [check('c1', '198.19.1.11', 'no-reach'), check('c2', '198.19.1.12', 'no-reach')],
      new Map([['server1', h]]),
      { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 4 },
      async (c) => {
        if (c.id === 'c1') throw new Error('container b failed to start');
      },
    );
    expect(results.map((r) => [r.outcome, r.evidence])).toEqual([
      ['error', 'not probed: container b failed to start'],
      ['pass', expect.stringMatching(/no reply/)],
    ]);
  });

  it('a missing source container is an ERROR for each of its checks', async () => {
    const h = new FakeHost('server1');
    const results = await runChecks(
      [check('c1', '198.19.1.11', 'no-reach')],
      new Map([['server1', h]]),
      {
        waitMs: 0,
        pingTimeoutSeconds: 1,
        concurrency: 4,
      },
    );
    expect(results[0]).toMatchObject({ outcome: 'error', evidence: 'a is not there on server1' });
  });
});
