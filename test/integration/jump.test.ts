import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxDown, boxUp, realBoxSystem, type BoxState } from '../../src/box/index.js';
import { boxStateDir } from './box-hosts.js';
import { lab } from './cli.js';
import { jumpScenario as scenario } from './jump-scenario.js';

/**
 * A host behind a jump host, for real: a 3-host box with server3's eth0 on a switch the machine is
 * not on (`--behind server3=server1`). lab reaches server3 only through server1 (ProxyJump in the
 * box's inventory): inventory --check, run, check connectivity and down all go through the hop.
 *
 * The integration project's global setup keeps a 2-host box up for the other files; this file swaps
 * it for its own box and puts a 2-host box back afterwards, so the files after it find what they
 * expect.
 */

const sys = () =>
  realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: (line) => process.stderr.write(`[box] ${line}\n`),
  });

/** Whether a TCP connection from this machine to address:22 opens (the box's /24 stays on its switch). */
function tcpOpens(address: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: 22 });
    const done = (what: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(what);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

describe('a host behind a jump host (lab box up --behind server3=server1)', () => {
  const stateDir = boxStateDir();
  let state: BoxState;
  let dir: string;
  let inventory: string;

  beforeAll(async () => {
    await boxDown(sys(), stateDir);
    state = (await boxUp(sys(), { stateDir, hostCount: 3, behind: { server3: 'server1' } })).state;
    inventory = state.inventory;
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-jump-'));
    await writeFile(path.join(dir, 'jump-macvlan.yaml'), scenario('jump-macvlan', 'server3'));
    await writeFile(path.join(dir, 'direct-macvlan.yaml'), scenario('direct-macvlan', 'server2'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await boxDown(sys(), stateDir);
    await boxUp(sys(), { stateDir, hostCount: 2 });
  });

  it('server3 cannot be reached from the machine directly', async () => {
    expect(state.hosts.find((h) => h.name === 'server3')?.behind).toBe('server1');
    expect(await tcpOpens('198.18.0.3', 5_000)).not.toBe('connected');
    // …while server1 and server2, on the LAN, can.
    expect(await tcpOpens('198.18.0.1', 5_000)).toBe('connected');
  });

  it('lab inventory --check reaches all three and reports server3’s route', async () => {
    const r = await lab(['inventory', '-i', inventory, '--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('✔ server3: root@198.18.0.3:22 via root@server1 (198.18.0.1:22)');
    expect(r.stdout).toContain('✔ server1: root@198.18.0.1:22\n');
  });

  it('runs a scenario on server3 through server1, checks it, and takes it down', async () => {
    const run = await lab(['run', 'jump-macvlan', '-i', inventory, '--scenarios', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);

    const check = await lab([
      'check',
      'connectivity',
      '-i',
      inventory,
      '--scenario',
      'jump-macvlan',
      '--scenarios',
      dir,
      '--json',
    ]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as {
      verdict: string;
      cells: { source: string; targetLabel: string; reached?: boolean }[];
    };
    expect(report.verdict).toBe('pass');
    expect(
      report.cells
        .filter((c) => c.reached)
        .map((c) => `${c.source} → ${c.targetLabel}`)
        .sort(),
    ).toEqual(['vm6@server1 → vm7 198.19.2.11', 'vm7@server3 → vm6 198.19.2.10']);

    const down = await lab(['down', 'jump-macvlan', '-i', inventory, '--scenarios', dir]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toMatch(/server3/);
  });

  it('a jump host that refuses names the hop: "server3 via server1: …"', async () => {
    const bad = path.join(dir, 'bad.ini');
    await writeFile(
      bad,
      (await readFile(inventory, 'utf8')).replace(
        "ProxyJump=server1'",
        "ProxyJump=root@198.18.0.1:2222'",
      ),
    );
    const r = await lab(['inventory', '-i', bad, '--check']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✘ server3[\s\S]*server3 via 198\.18\.0\.1: .*refused/);
  });
});
