import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../probe/probe-result.js';
import type { RunEvent } from '../run/events.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import { renderTranscript } from './markdown.js';
import { afterObservations, beforeObservations, checkObservations } from './observations.js';

const inventory = testInventory(1);
const plan = planOf(
  `name: t
vars: { image: 'busybox:latest' }
nics: [{ interface: eth0, promisc: true }]
networks:
  - { name: my_net1, driver: bridge }
containers:
  - { name: vm1, host: server1, networks: [my_net1] }
  - { name: web, host: server1, networks: [bridge], publish: ['80:80'] }
expect:
  - { from: vm1, reach: web, reason: both reach the outside }
`,
  inventory,
  't.yaml',
);

describe('what a teacher looks at', () => {
  it('before: the NICs and the networks', () => {
    expect(beforeObservations(plan).map((o) => o.title)).toEqual([
      'eth0 before',
      'the networks before',
    ]);
  });

  it('after: NICs, networks, each network, the bridges, the NAT table, ports, each container', () => {
    const after = afterObservations(plan);
    expect(after.map((o) => o.title)).toEqual([
      'eth0 now',
      'the networks now',
      'network my_net1',
      'the bridges and their ports',
      'the bridge of my_net1 and its gateway address',
      'the NAT table',
      'listening ports',
      "vm1's interfaces",
      "web's interfaces",
    ]);
    expect(after.find((o) => o.title === 'the NAT table')).toMatchObject({
      argv: ['iptables', '-t', 'nat', '-nL'],
      become: true,
    });
  });

  it('a seed-style ping per check whose address is known', () => {
    const check = plan.checks[0];
    if (!check) throw new Error('no check');
    const r = {
      check,
      outcome: 'pass',
      address: '198.19.128.2',
      attempts: 1,
      durationMs: 3,
      evidence: 'ok',
      reproduce: '',
    } as CheckResult;
    expect(checkObservations([r, { ...r, address: '' }])).toEqual([
      {
        kind: 'container',
        host: 'server1',
        title: 'check-1: vm1 → web on bridge',
        container: 'vm1',
        argv: ['ping', '-c', '2', '-W', '1', '198.19.128.2'],
      },
    ]);
  });
});

describe('the transcript', () => {
  const check = plan.checks[0] as NonNullable<(typeof plan.checks)[0]>;
  const step = plan.hosts[0]?.steps[1];
  if (!step) throw new Error('no step');
  const assertion: AssertionResult = {
    assertion: {
      kind: 'listening',
      id: 'assert-1',
      host: 'server1',
      dependsOn: [],
      reason: 'docker-proxy holds it',
      port: 80,
      protocol: 'tcp',
      process: 'docker-proxy',
    },
    outcome: 'fail',
    claim: 'server1 listens on tcp port 80 (process docker-proxy)',
    evidence: 'nothing listens on tcp port 80',
    command: 'ss -ltnp',
    output: 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n```weird```',
    durationMs: 4,
  };
  const events: RunEvent[] = [
    { type: 'run-started', at: 0, plan },
    {
      type: 'host-ready',
      at: 1,
      host: 'server1',
      engine: {
        kind: 'docker',
        product: 'Docker',
        version: '20.10.24',
        apiVersion: '1.41',
        os: 'linux',
        kernel: '6',
      },
      notes: ['a note'],
    },
    {
      type: 'observation',
      at: 2,
      host: 'server1',
      phase: 'before',
      title: 'the networks before',
      command: 'docker network ls',
      output: 'NETWORK ID NAME\nabc bridge\n',
      exitCode: 0,
    },
    {
      type: 'step-done',
      at: 3,
      host: 'server1',
      outcome: {
        step,
        action: 'created',
        detail: 'bridge',
        commands: ['docker network create --driver bridge my_net1'],
      },
    },
    {
      type: 'check-done',
      at: 4,
      result: {
        check,
        outcome: 'pass',
        reached: true,
        address: '198.19.128.2',
        attempts: 1,
        durationMs: 3,
        evidence: 'a reply came back via eth0',
        reproduce: '',
      },
    },
    {
      type: 'observation',
      at: 5,
      host: 'server1',
      phase: 'checks',
      title: 'check-1: vm1 → web',
      command: 'docker exec vm1 ping -c 2 -W 1 198.19.128.2',
      output: '2 packets transmitted, 2 packets received',
      exitCode: 0,
    },
    { type: 'assertion-done', at: 6, result: assertion },
    {
      type: 'run-finished',
      at: 7,
      verdict: 'fail',
      tally: { expectations: { held: 1, total: 1 }, assertions: { held: 0, total: 1 } },
      durationMs: 2500,
    },
  ];
  const text = renderTranscript(events, {
    description: 'What it shows.',
    source: 'the seed, section 6',
    startedAt: '2026-01-01T00:00:00Z',
  });

  it('has the seed’s prompts, the exact commands and their output, in order', () => {
    expect(text).toContain('[root@server1 ~]# docker network ls\nNETWORK ID NAME\nabc bridge');
    expect(text).toContain(
      '[root@server1 ~]# docker network create --driver bridge my_net1\n# created: bridge',
    );
    const order = [
      '## 1.',
      '## 2. Before',
      '## 3. What lab did',
      '## 5. Expectations',
      '## 6. Assertions',
      '## 7. Verdict',
    ];
    const at = order.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('carries every verdict with its evidence, and the run’s', () => {
    expect(text).toContain(
      '| ✔ PASS | vm1 (server1) | reach | web on bridge | 198.19.128.2 | a reply came back via eth0 |',
    );
    expect(text).toContain('### ✘ FAIL: server1 listens on tcp port 80 (process docker-proxy)');
    expect(text).toContain('Observed: nothing listens on tcp port 80');
    expect(text).toContain(
      '- verdict: **FAIL**, 1 of 1 expectations and 0 of 1 assertions hold (2.5 s)',
    );
    expect(text).toContain('| server1 | Docker 20.10.24 (API 1.41) | a note |');
    expect(text).toContain('*the seed, section 6*');
  });

  it('keeps odd output inside its block', () => {
    expect(text).toContain('````console\n[root@server1 ~]# ss -ltnp');
  });
});

describe('the transcript’s picture', () => {
  it('embeds the topology as a Mermaid block before the steps', () => {
    const text = renderTranscript([], {
      description: '',
      startedAt: '2026-01-01T00:00:00Z',
      mermaid: 'flowchart TB\n  a --- b\n',
    });
    expect(text).toContain('```mermaid\nflowchart TB\n  a --- b\n```\n');
    expect(text.indexOf('```mermaid')).toBeLessThan(text.indexOf('## 1.'));
  });
});
