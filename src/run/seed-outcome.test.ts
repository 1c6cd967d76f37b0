/**
 * A claim of the seed (`seed:`) that this Docker does not bear out: DIFFERS FROM THE SEED, with both
 * sides, in the verdict, JSON and the transcript; exit 0 unless --strict-seed (issue 14 item 2).
 */
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { exitCodeOf } from '../cli/run-scenario.js';
import { renderVerdict, reportToJson } from '../report/verdict.js';
import { parseScenario } from '../scenario/load.js';
import { renderTranscript } from '../transcript/markdown.js';
import { htmlReport } from '../cli/html-report.js';
import type { RunEvent } from './events.js';
import { LabError } from '../common/errors.js';
import { executePlan } from './execute.js';
import { judgeRun, tallyOf, weighSeed } from './run-report.js';

const inventory = testInventory(1);

/** my_net2 is made with 198.19.20.0/24; the seed's claim (made up here) says another subnet. */
const scenario = (claimed: string) => `name: t
vars: { image: 'busybox:latest' }
networks:
  - { name: my_net2, driver: bridge, subnet: 198.19.20.0/24, gateway: 1 }
assert:
  - network: my_net2
    has: { subnet: ${claimed} }
    reason: the subnet asked for
    seed: { section: 二.2, says: Docker uses the subnet given, words: 指定相应的ip地址和网关地址 }
  - { network: my_net2, has: { driver: bridge }, reason: a bridge network }
`;

async function run(claimed: string) {
  const plan = planOf(scenario(claimed), inventory);
  const events: RunEvent[] = [];
  const hosts = new Map<string, FakeHost>();
  const report = await executePlan(
    plan,
    async (t) => hosts.get(t.host) ?? hosts.set(t.host, new FakeHost(t.host)).get(t.host)!,
    {
      concurrency: 2,
      checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 2 },
      assertions: { waitMs: 0, timeoutMs: 1000, httpGet: async () => ({ status: 200, body: '' }) },
      events: { emit: (e) => events.push(e) },
    },
  );
  return { plan, report, events };
}

describe('a claim of the seed', () => {
  it('is carried from the scenario into the plan, with its section and words', async () => {
    const { plan } = await run('198.19.20.0/24');
    expect(plan.assertions?.[0]?.seed).toEqual({
      section: '二.2',
      says: 'Docker uses the subnet given',
      words: '指定相应的ip地址和网关地址',
    });
    expect(plan.assertions?.[1]?.seed).toBeUndefined();
  });

  it('borne out: a PASS as any other, exit 0', async () => {
    const { report } = await run('198.19.20.0/24');
    expect(report.verdict).toBe('pass');
    expect(report.tally.differs).toBeUndefined();
    expect(exitCodeOf(report, false, true)).toBe(0);
  });

  it('not borne out: DIFFERS FROM THE SEED with both sides; exit 0, or 1 with --strict-seed', async () => {
    const { report, events } = await run('198.19.99.0/24');
    expect(report.verdict).toBe('differs');
    expect(report.assertions?.map((a) => a.outcome)).toEqual(['differs', 'pass']);
    expect(report.tally).toMatchObject({ assertions: { held: 1, total: 2 }, differs: 1 });
    expect(exitCodeOf(report, false)).toBe(0);
    expect(exitCodeOf(report, false, true)).toBe(1);

    const text = renderVerdict(report);
    expect(text).toContain(
      '≠ DIFFERS FROM THE SEED (二.2) network my_net2 on server1 has subnet 198.19.99.0/24',
    );
    expect(text).toContain(
      '  the seed says: "指定相应的ip地址和网关地址" — Docker uses the subnet given',
    );
    expect(text).toMatch(/ {2}Docker 20\.10\.24 on server1 did: .*198\.19\.20\.0\/24/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /^DIFFERS FROM THE SEED: t — 1 of 2 assertions hold; 1 claim of the seed is not borne out by this Docker \(above\); not a failure of the lab \(--strict-seed makes it one\)/,
    );

    const json = reportToJson(report) as { verdict: string; assertions: Record<string, unknown>[] };
    expect(json.verdict).toBe('differs');
    expect(json.assertions[0]).toMatchObject({
      outcome: 'differs',
      seed: { section: '二.2', says: 'Docker uses the subnet given', docker: '20.10.24' },
    });
    expect(json.assertions[1]).not.toHaveProperty('seed');

    const html = await htmlReport({ ...(json as object), checks: [] }, 'run.json');
    expect(html).toContain('<span class="verdict differs">DIFFERS FROM THE SEED</span>');
    expect(html).toContain('the seed (二.2) says: &quot;指定相应的ip地址和网关地址&quot;');

    const md = renderTranscript(events, { description: '', startedAt: 'now' });
    expect(md).toContain(
      '### ≠ DIFFERS FROM THE SEED: network my_net2 on server1 has subnet 198.19.99.0/24',
    );
    expect(md).toContain(
      'The seed (二.2) says: "指定相应的ip地址和网关地址" — Docker uses the subnet given',
    );
    expect(md).toContain('**Docker 20.10.24 does otherwise:**');
    expect(md).toContain('1 claim of the seed differs on these hosts');
  });

  it('a real failure beside it still fails the run; an ERROR is never turned into a difference', () => {
    const seed = { section: '二.6', says: 's' };
    const r = (outcome: 'pass' | 'fail' | 'error') => ({ outcome, evidence: '' });
    expect(weighSeed(r('fail'), seed, { version: '26.1.0' })).toEqual({
      outcome: 'differs',
      evidence: '',
      docker: '26.1.0',
    });
    expect(weighSeed(r('error'), seed, { version: '26.1.0' }).outcome).toBe('error');
    expect(weighSeed(r('fail'), undefined, { version: '26.1.0' })).toEqual(r('fail'));
    const differs = weighSeed(r('fail'), seed, undefined);
    const hosts = [{ host: 'server1', steps: [] }];
    const judge = (outcomes: { outcome: 'pass' | 'fail' | 'error' | 'differs' }[]) =>
      judgeRun({
        hosts,
        checks: [],
        assertions: outcomes as never,
        interrupted: false,
      });
    expect(judge([differs, r('pass')])).toBe('differs');
    expect(judge([differs, r('fail')])).toBe('fail');
    expect(judge([differs, r('error')])).toBe('error');
    expect(tallyOf([], [differs, r('pass')] as never).differs).toBe(1);
  });

  it('a host refused before any change (an Engine below the API floor) is NOT RUN; after a change it is ERROR', () => {
    const refused = new LabError(
      'prerequisite',
      'server1: the Docker Engine 1.12.6 speaks API 1.24',
    );
    const judge = (unfinished: string[]) =>
      judgeRun({
        hosts: [{ host: 'server1', steps: [], unfinished, error: refused }],
        checks: [],
        assertions: [],
        interrupted: false,
      });
    expect(judge([])).toBe('bad-input');
    expect(judge(['network my_net2'])).toBe('error');
  });

  it('a section the seed does not have is refused at load, with the sections it has', () => {
    expect(() =>
      parseScenario(scenario('198.19.20.0/24').replace('section: 二.2', 'section: 2.6'), 't.yaml'),
    ).toThrow(/seed\.section: expected a section of the seed like 二\.6, 三 or 五\.1, got 2\.6/);
  });
});
