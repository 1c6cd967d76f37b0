import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxDown, boxUp, realBoxSystem } from '../../src/box/index.js';
import { listScenarios } from '../../src/scenario/index.js';
import { boxStateDir } from './box-hosts.js';
import { lab, repoRoot } from './cli.js';
import { SCENARIOS_THAT_DIFFER } from './seed-differences.js';

/**
 * The scenario suite on a mixed box: server1 runs Debian 13's dockerd 26.1 (`lab box up --engine
 * server1=26.1`), server2 the machine's 20.10. server1 is the one-host scenarios' host, so every
 * scenario meets 26.1, and the two-host ones meet both engines at once. The plain box (the other
 * files, run-all.test.ts) covers 20.10 alone.
 *
 * The integration project's global setup keeps a plain 2-host box up for the other files; this file
 * swaps it for its own and puts a plain one back afterwards.
 */
const sys = () =>
  realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: (line) => process.stderr.write(`[box] ${line}\n`),
  });

/** What this file reads of `lab box status --json`. */
interface StatusJson {
  inventory: string;
  hosts: { name: string; engine: string; dockerd: { version?: string; apiVersion?: string } }[];
}

describe('a mixed-engine box (lab box up --engine server1=26.1)', () => {
  const stateDir = boxStateDir();
  let state: StatusJson;

  beforeAll(async () => {
    await boxDown(sys(), stateDir);
    const up = await lab(['box', 'up', '--state-dir', stateDir, '--engine', 'server1=26.1']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    state = JSON.parse(
      (await lab(['box', 'status', '--state-dir', stateDir, '--json'])).stdout,
    ) as StatusJson;
  }, 600_000);

  afterAll(async () => {
    await boxDown(sys(), stateDir);
    await boxUp(sys(), { stateDir, hostCount: 2 });
  }, 300_000);

  it('gives server1 dockerd 26.1 and server2 the machine’s, as box status --json says', () => {
    const hosts = (
      state as unknown as {
        hosts: {
          name: string;
          engine: string;
          dockerd: { version?: string; apiVersion?: string };
        }[];
      }
    ).hosts.map((h) => [h.name, h.engine, h.dockerd.version, h.dockerd.apiVersion]);
    expect(hosts).toEqual([
      ['server1', 'docker 26.1', expect.stringMatching(/^26\.1\./), '1.45'],
      ['server2', 'machine', expect.stringMatching(/^20\.10\./), '1.41'],
    ]);
  });

  it('runs every scenario on both engines: lab run --all passes, clean', async () => {
    const names = (await listScenarios(`${repoRoot}/scenarios`)).map((s) => s.name);
    const r = await lab(['run', '--all', '-i', state.inventory]);
    const table = r.stdout.slice(r.stdout.search(/^scenario +verdict/m));
    process.stderr.write(
      `[engines] lab run --all on server1=26.1 + server2=20.10 (${r.ms} ms):\n${table}\n`,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const differ = SCENARIOS_THAT_DIFFER;
    for (const n of names) {
      const verdict = differ.has(n) ? '≠ DIFFERS FROM THE SEED' : '✔ PASS';
      expect(table).toMatch(new RegExp(`^${n} +${verdict} .* clean \\(`, 'm'));
    }
  }, 900_000);

  it('checks connectivity across the two engines (macvlan-two-nic)', async () => {
    const run = await lab(['run', 'macvlan-two-nic', '-i', state.inventory]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/server1 +ready \(Docker 26\.1\.[^,]*, API 1\.45\)/);
    expect(run.stdout).toMatch(/server2 +ready \(Docker 20\.10\.[^,]*, API 1\.41\)/);
    try {
      const check = await lab([
        'check',
        'connectivity',
        '-i',
        state.inventory,
        '--scenario',
        'macvlan-two-nic',
        '--json',
      ]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect((JSON.parse(check.stdout) as { verdict: string }).verdict).toBe('pass');
    } finally {
      const down = await lab(['down', 'macvlan-two-nic', '-i', state.inventory]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
    }
  }, 300_000);
});
