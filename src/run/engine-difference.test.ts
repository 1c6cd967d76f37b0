/**
 * Where a host's engine meets a claim otherwise than the seed's Docker (Podman: conmon holds a
 * published port, not docker-proxy), the claim DIFFERS, reported as a claim of the seed that this
 * Docker does not bear out is: both sides, naming the engine and what it did (issue 17 with 14).
 */
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { planOf, testInventory } from '../../test/fakes/plan-fixture.js';
import { exitCodeOf } from '../cli/run-scenario.js';
import { PODMAN_ENGINE } from '../docker/engines/index.js';
import { renderVerdict, reportToJson } from '../report/verdict.js';
import { renderTranscript } from '../transcript/markdown.js';
import type { RunEvent } from './events.js';
import { executePlan } from './execute.js';

const scenario = (process: string, seed: boolean) => `name: t
vars: { image: 'busybox:latest' }
networks:
  - { name: my_net2, driver: bridge, subnet: 198.19.20.0/24, gateway: 1 }
assert:
  - listening: { port: 80 }
    process: ${process}
    reason: the published port
${seed ? "    seed: { section: 三, says: docker-proxy listens on the host's port 80 }" : ''}
`;

/** `ss -ltnp` on the box's Podman host with web's port 80 published (test/recorded/podman-4.3.1). */
const SS = [
  'LISTEN 0      128    198.18.0.2:22 0.0.0.0:* users:(("sshd",pid=15570,fd=4))',
  'LISTEN 0      4096      0.0.0.0:80 0.0.0.0:* users:(("conmon",pid=26606,fd=5))',
].join('\n');

function podmanHost(host: string): FakeHost {
  const h = new FakeHost(host);
  const exec = h.shell.exec.bind(h.shell);
  Object.assign(h.shell, {
    exec: async (argv: string[], options?: object) =>
      argv[0] === 'ss'
        ? { exitCode: 0, stdout: SS, stderr: '', durationMs: 1 }
        : exec(argv, options as never),
  });
  const version = h.docker.version.bind(h.docker);
  Object.assign(h.docker, {
    engine: PODMAN_ENGINE,
    version: async () => ({ ...(await version()), product: 'Podman', version: '4.3.1' }),
  });
  return h;
}

async function run(text: string) {
  const plan = planOf(text, testInventory(1));
  const events: RunEvent[] = [];
  const hosts = new Map<string, FakeHost>();
  const report = await executePlan(
    plan,
    async (t) => hosts.get(t.host) ?? hosts.set(t.host, podmanHost(t.host)).get(t.host)!,
    {
      concurrency: 2,
      checks: { waitMs: 0, pingTimeoutSeconds: 1, concurrency: 2 },
      assertions: { waitMs: 0, timeoutMs: 1000, httpGet: async () => ({ status: 200, body: '' }) },
      events: { emit: (e) => events.push(e) },
    },
  );
  return { report, events };
}

describe('a claim the host’s engine meets otherwise than the seed’s Docker', () => {
  it('DIFFERS on Podman, with the seed’s side, how it differs and what Podman did', async () => {
    const { report, events } = await run(scenario('docker-proxy', true));
    expect(report.verdict).toBe('differs');
    expect(report.tally.differs).toBe(1);
    expect(exitCodeOf(report, false)).toBe(0);
    expect(exitCodeOf(report, false, true)).toBe(1);

    const text = renderVerdict(report);
    expect(text).toContain(
      '≠ DIFFERS FROM THE SEED (三) server1 listens on tcp port 80 (process docker-proxy)',
    );
    expect(text).toContain("  the seed says: docker-proxy listens on the host's port 80");
    expect(text).toContain('  how it differs: Podman’s conmon holds a published port');
    expect(text).toMatch(/ {2}Podman 4\.3\.1 on server1 did: listening: .*conmon/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /^DIFFERS FROM THE SEED: t — 0 of 1 assertions hold; 1 claim of the seed is not borne out by Podman \(above\)/,
    );

    const json = reportToJson(report) as { assertions: Record<string, unknown>[] };
    expect(json.assertions[0]).toMatchObject({
      outcome: 'differs',
      difference: expect.stringContaining('conmon'),
      seed: { section: '三', docker: '4.3.1', engine: 'Podman' },
    });

    const md = renderTranscript(events, { description: '', startedAt: 'now' });
    expect(md).toContain('How it differs: Podman’s conmon holds a published port');
    expect(md).toContain('**Podman 4.3.1 does otherwise:**');
  });

  it('without a `seed:` claim it DIFFERS just the same, headed by the engine', async () => {
    const { report } = await run(scenario('docker-proxy', false));
    const text = renderVerdict(report);
    expect(text).toContain(
      '≠ DIFFERS FROM THE SEED (Podman) server1 listens on tcp port 80 (process docker-proxy)',
    );
    expect(text).not.toContain('the seed says');
    expect(reportToJson(report)).toMatchObject({
      assertions: [{ outcome: 'differs', docker: '4.3.1', engine: 'Podman' }],
    });
  });

  it('a claim the engine meets as Docker does is a plain PASS', async () => {
    const { report } = await run(scenario('conmon', true));
    expect(report.verdict).toBe('pass');
    expect(report.assertions?.[0]).not.toHaveProperty('difference');
  });
});
