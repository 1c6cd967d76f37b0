import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxDown, boxUp, realBoxSystem } from '../../src/box/index.js';
import { boxStateDir } from './box-hosts.js';
import { lab } from './cli.js';

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

interface RunJson {
  verdict: string;
  hosts: { host: string; engine?: string; engineProduct?: string }[];
  checks: { outcome: string }[];
  assertions: { outcome: string; claim: string; difference?: string; engine?: string }[];
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

  it('runs macvlan-two-nic across Podman and Docker: PASS, and check connectivity agrees', async () => {
    const run = await lab(['run', 'macvlan-two-nic', '-i', inventory]);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/server1 +ready \(Podman 4\.[^,]*, API 1\.\d+\)/);
      expect(run.stdout).toMatch(/server2 +ready \(Docker [^,]*, API 1\.\d+\)/);
      expect(run.stdout).toMatch(/^PASS: macvlan-two-nic — all 7 expectations hold/m);
      const check = await lab([
        'check',
        'connectivity',
        '-i',
        inventory,
        '--scenario',
        'macvlan-two-nic',
        '--json',
      ]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect((JSON.parse(check.stdout) as { verdict: string }).verdict).toBe('pass');
    } finally {
      const down = await lab(['down', 'macvlan-two-nic', '-i', inventory]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
    }
  }, 300_000);

  it('runs nat-publish on Podman alone: every claim holds or DIFFERS, saying how Podman differs', async () => {
    const run = await lab(['run', 'nat-publish', '-i', inventory, '--json']);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as RunJson;
      expect(report.verdict).toBe('differs');
      expect(report.hosts.find((h) => h.host === 'server1')?.engineProduct).toBe('Podman');
      expect(report.checks.map((c) => c.outcome)).toEqual(['pass', 'pass']);
      const differing = report.assertions.filter((a) => a.outcome === 'differs');
      // MASQUERADE per network through NETAVARK-<id> chains, DNAT in NETAVARK-HOSTPORT-DNAT, conmon.
      expect(differing.map((a) => a.difference)).toEqual([
        expect.stringMatching(/NETAVARK-<id>/),
        expect.stringMatching(/NETAVARK-<id>/),
        expect.stringMatching(/NETAVARK-<id>/),
        expect.stringMatching(/NETAVARK-HOSTPORT-DNAT/),
        expect.stringMatching(/conmon/),
      ]);
      expect(differing.every((a) => a.engine === 'Podman')).toBe(true);
      expect(
        report.assertions.filter((a) => a.outcome !== 'differs').map((a) => a.outcome),
      ).toEqual(['pass']);
    } finally {
      const down = await lab(['down', 'nat-publish', '-i', inventory]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
    }
  }, 300_000);

  it('lab down leaves nothing: no object, no conmon after its exit delay, no container cgroup', async () => {
    for (const scenario of ['macvlan-two-nic', 'nat-publish']) {
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
