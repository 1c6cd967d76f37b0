import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxDown, boxUp, realBoxSystem } from '../../src/box/index.js';
import { BOX_LOGIN } from '../../src/box/layout.js';
import { boxStateDir } from './box-hosts.js';
import { listScenarios } from '../../src/scenario/index.js';
import { lab, repoRoot } from './cli.js';
import { PODMAN_ALONE } from './podman-differences.js';

/**
 * A box with a Podman host (`lab box up --engine server1=podman`: Debian's podman 4.3 system service
 * on /run/podman/podman.sock, issue 17). server1 is the one-host scenarios' host, so they meet
 * Podman alone; macvlan-two-nic meets Podman (server1) and Docker (server2) at once. Nothing may be
 * left: no container, network, conmon or libpod cgroup after `lab down`, no /libpod_parent after
 * `lab box down`.
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

/** Only the box runs podman on this machine: every conmon is a box host's. */
async function conmonPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'conmon') pids.push(Number(entry));
  }
  return pids;
}

/** Podman's cgroups (cgroupfs manager) in the pids hierarchy: /libpod_parent and what is below it. */
async function libpodCgroups(): Promise<string[] | undefined> {
  const top = '/sys/fs/cgroup/pids/libpod_parent';
  const found: string[] = [];
  const walk = async (dir: string): Promise<boolean> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return false;
    const procs = (await readFile(`${dir}/cgroup.procs`, 'utf8').catch(() => '')).trim();
    if (procs) found.push(`${dir} (pids ${procs.split('\n').join(' ')})`);
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      // conmon/ is podman's one parent of every conmon: empty, it is not a leftover of a container.
      if (e.name !== 'conmon') found.push(`${dir}/${e.name}`);
      await walk(`${dir}/${e.name}`);
    }
    return true;
  };
  return (await walk(top)) ? found : undefined;
}

/** Waits for `probe` to return an empty list (exec sessions' conmon linger a few seconds). */
async function settled<T>(probe: () => Promise<T[]>, ms: number): Promise<T[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await probe();
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface ClaimJson {
  outcome: string;
  claim?: string;
  difference?: string;
  engine?: string;
  seed?: { section: string };
}
interface ScenarioJson {
  scenario: string;
  verdict: string;
  error?: string;
  hosts?: { host: string; engineProduct?: string; error?: { message: string } }[];
  checks?: ClaimJson[];
  assertions?: ClaimJson[];
}

describe('a box with a Podman host (lab box up --engine server1=podman)', () => {
  const stateDir = boxStateDir();
  const inventory = `${stateDir}/inventory.ini`;

  beforeAll(async () => {
    await boxDown(sys(), stateDir);
    const up = await lab(['box', 'up', '--state-dir', stateDir, '--engine', 'server1=podman']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
  }, 600_000);

  afterAll(async () => {
    await boxDown(sys(), stateDir);
    await boxUp(sys(), { stateDir, hostCount: 2 });
  }, 300_000);

  it('runs macvlan-two-nic across Podman and Docker as the login user with sudo: PASS, and check connectivity agrees', async () => {
    // The box's inventory, logging in as labuser (in group docker, sudo for the NIC changes): Podman's
    // socket answers it as Docker's does.
    const text = await readFile(inventory, 'utf8');
    expect(text).toContain('ansible_user=root\n');
    const asUser = `${stateDir}/podman-test-become.ini`;
    await writeFile(
      asUser,
      text.replace('ansible_user=root\n', `ansible_user=${BOX_LOGIN.user}\nansible_become=true\n`),
    );
    const run = await lab(['run', 'macvlan-two-nic', '-i', asUser]);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/server1 +ready \(Podman 4\.[^,]*, API 1\.\d+\)/);
      expect(run.stdout).toMatch(/server2 +ready \(Docker [^,]*, API 1\.\d+\)/);
      expect(run.stdout).toMatch(/^PASS: macvlan-two-nic — all 7 expectations hold/m);
      const check = await lab([
        'check',
        'connectivity',
        '-i',
        asUser,
        '--scenario',
        'macvlan-two-nic',
        '--json',
      ]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect((JSON.parse(check.stdout) as { verdict: string }).verdict).toBe('pass');
    } finally {
      const down = await lab(['down', 'macvlan-two-nic', '-i', asUser]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
      await rm(asUser, { force: true });
    }
  }, 300_000);

  it('check connectivity agrees with the topology on a Podman bridge scenario (bridge-connect on server1)', async () => {
    // Lab's bridges carry netavark's isolate and stay apart as on Docker; Podman's default network
    // cannot, and the check expects it to reach them, saying why (docs/podman.md).
    const run = await lab(['run', 'bridge-connect', '-i', inventory]);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const check = await lab([
        'check',
        'connectivity',
        '-i',
        inventory,
        '--scenario',
        'bridge-connect',
        '--json',
      ]);
      const report = JSON.parse(check.stdout) as {
        verdict: string;
        cells: { id: string; outcome: string; reason: string; observed?: string }[];
      };
      const wrong = report.cells.filter((c) => c.outcome === 'fail' || c.outcome === 'error');
      expect(
        wrong.map((c) => `${c.id}: ${c.outcome} (${c.reason}) ${c.observed ?? ''}`),
        check.stderr,
      ).toEqual([]);
      expect(['pass', 'differs']).toContain(report.verdict);
      // The default network's cells say why Podman does not isolate it.
      const open = report.cells.filter((c) => /has no isolate option/.test(c.reason));
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((c) => c.outcome === 'pass')).toBe(true);
      // my_net1 and my_net2 stay apart: a cell between them is isolated and holds.
      expect(
        report.cells.some(
          (c) =>
            /different bridges on one host, which Docker isolates/.test(c.reason) &&
            c.outcome === 'pass',
        ),
      ).toBe(true);
    } finally {
      const down = await lab(['down', 'bridge-connect', '-i', inventory]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
    }
  }, 300_000);

  it('runs every scenario (lab run --all): each PASSes or DIFFERS with how, never an unexplained FAIL or ERROR', async () => {
    const run = await lab(['run', '--all', '-i', inventory, '--json']);
    process.stderr.write(`[podman] lab run --all -i box: ${(run.ms / 1000).toFixed(1)} s\n`);
    const suite = JSON.parse(run.stdout) as {
      scenarios: ScenarioJson[];
      summary: { scenario: string; down: { ok: boolean; detail: string } }[];
    };
    // Each scenario was torn down (lab down) before the next, and nothing of it was left.
    expect(suite.summary.map((e) => `${e.scenario}: ${e.down.detail}`)).toEqual(
      suite.scenarios.map((s) => `${s.scenario}: clean`),
    );
    const names = (await listScenarios(`${repoRoot}/scenarios`)).map((s) => s.name);
    expect(suite.scenarios.map((s) => s.scenario)).toEqual(names);
    for (const s of suite.scenarios) {
      const want = PODMAN_ALONE[s.scenario] ?? { verdict: 'pass', differs: [] };
      const claims = [...(s.checks ?? []), ...(s.assertions ?? [])];
      const said = `${s.scenario}: ${JSON.stringify(
        claims.filter((c) => c.outcome !== 'pass'),
        null,
        1,
      )}${s.error ?? ''}`;
      expect(s.verdict, said).toBe(want.verdict);
      if (want.refused) {
        expect(s.hosts?.find((h) => h.host === 'server1')?.error?.message, said).toMatch(
          want.refused,
        );
        continue;
      }
      const host1 = s.hosts?.find((h) => h.host === 'server1');
      expect(host1?.engineProduct, said).toBe('Podman');
      // Every claim that does not pass DIFFERS, in the order the scenario makes them, and says how:
      // Podman's way (difference), or a claim of the seed that Docker does not bear out either.
      const how = (c: ClaimJson) => c.difference ?? `seed ${c.seed?.section ?? 'none'}`;
      const sometimes = (c: ClaimJson) => (want.sometimes ?? []).some((r) => r.test(how(c)));
      const differing = claims.filter((c) => c.outcome !== 'pass' && !sometimes(c));
      expect(
        claims.filter((c) => c.outcome !== 'pass').map((c) => c.outcome),
        said,
      ).toEqual(claims.filter((c) => c.outcome !== 'pass').map(() => 'differs'));
      expect(differing.map(how), said).toEqual(want.differs.map((d) => expect.stringMatching(d)));
      expect(
        differing.filter((c) => c.difference !== undefined).every((c) => c.engine === 'Podman'),
        said,
      ).toBe(true);
    }
    // overlay is refused before any change (exit 2: bad input); every other scenario exits 0.
    expect(run.code, run.stderr).toBe(2);
  }, 600_000);

  it('lab down leaves nothing: no object, no conmon after its exit delay, no container cgroup', async () => {
    // After run --all (each scenario torn down in turn) and the single runs above: nothing of any.
    for (const scenario of (await listScenarios(`${repoRoot}/scenarios`)).map((s) => s.name)) {
      const again = await lab(['down', scenario, '-i', inventory]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain(`server1: nothing of ${scenario} left`);
    }
    // An exec session's conmon stays exit_command_delay (10 s, the box's containers.conf).
    expect(await settled(conmonPids, 30_000)).toEqual([]);
    expect(await settled(async () => (await libpodCgroups()) ?? [], 10_000)).toEqual([]);
  }, 120_000);

  it('lab box down leaves no conmon and no /libpod_parent', async () => {
    await boxDown(sys(), stateDir);
    expect(await conmonPids()).toEqual([]);
    expect(await libpodCgroups()).toBeUndefined();
  }, 300_000);
});
