import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOX_IMAGE,
  killEngine,
  killSshd,
  startEngine,
  startSshdAgain,
} from '../../src/box/index.js';
import {
  FaultTable,
  lab,
  labProcess,
  lastLine,
  nicFlags,
  openFaultBox,
  waitFor,
  type FaultBox,
  type LabRun,
} from './harness.js';
import { sigintAt, sigintPoints } from './sigint-points.js';

const run = promisify(execFile);
const table = new FaultTable();
const SCENARIO = 'macvlan-two-nic';
/** Fixed in CI so that a failure replays; scripts/fault-sigint.ts takes any seed and count. */
const SIGINT_SEED = 20261130;
const SIGINT_COUNT = 2;

describe('fault: lab, a host’s sshd or dockerd killed, a foreign object, a changed host key (the box)', () => {
  let f: FaultBox;
  let dir: string;
  let before: string[][];

  /** Both hosts as before the file began: nothing of the scenario, NIC flags unchanged. */
  async function expectClean(): Promise<void> {
    expect(await f.witness.labelled(SCENARIO)).toEqual([]);
    expect([await nicFlags(f, 0), await nicFlags(f, 1)]).toEqual(before);
  }

  /** lab down, recorded, exit 0, and the hosts clean. */
  async function downCleans(name: string): Promise<void> {
    const down = await lab(['down', SCENARIO, '-i', f.inventory]);
    table.record(name, down, down.code === 0);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    await expectClean();
  }

  /** Something of the scenario already made on host i (the run is under way there). */
  const madeOn = (i: number) => async () =>
    (await f.witness.labelled(SCENARIO)).some((o) =>
      o.startsWith(`${f.box.state.hosts[i]!.name} `),
    );

  /** lab run with `inject` once server2 holds something of it, `repair` afterwards whatever happened. */
  async function runUnder(
    inject: () => Promise<void>,
    repair: () => Promise<void>,
  ): Promise<LabRun> {
    const running = lab(['run', SCENARIO, '-i', f.inventory]);
    try {
      expect(await waitFor(madeOn(1), 60_000)).toBe(true);
      await inject();
      return await running;
    } finally {
      await running.catch(() => undefined);
      await repair();
    }
  }

  beforeAll(async () => {
    f = await openFaultBox();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-faults-'));
    await lab(['down', SCENARIO, '-i', f.inventory]);
    before = [await nicFlags(f, 0), await nicFlags(f, 1)];
  });
  afterAll(async () => {
    await startEngine(f.sys, f.stateDir, 'server2');
    await lab(['down', SCENARIO, '-i', f.inventory]);
    await f.witness.engines[1]!.removeContainer('vm5').catch(() => undefined);
    await f.witness.close();
    await rm(dir, { recursive: true, force: true });
    await table.print('mid-run faults');
  });

  it('a foreign (unlabelled) container in the way: NOT RUN, exit 2, nothing changed; lab down leaves it alone', async () => {
    const server2 = f.witness.engines[1]!;
    await server2.createContainer({ name: 'vm5', image: BOX_IMAGE, labels: {} });
    try {
      const r = await lab(['run', SCENARIO, '-i', f.inventory]);
      const ok =
        r.code === 2 &&
        r.stdout.includes('container vm5 already exists and was not made by lab') &&
        lastLine(r).startsWith(`NOT RUN: ${SCENARIO}`);
      table.record('foreign container vm5 on server2, lab run', r, ok);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toMatch(
        /container vm5 already exists and was not made by lab for macvlan-two-nic.*; lab will not touch it/,
      );
      expect(lastLine(r)).toMatch(/^NOT RUN: macvlan-two-nic — .*nothing was changed/);
      await expectClean();
      await downCleans('lab down with the foreign container there');
      expect((await server2.inspectContainer('vm5'))?.labels).toEqual({});
    } finally {
      await server2.removeContainer('vm5');
    }
  });

  it('a changed host key: refused with a clear message, nothing changed on any host', async () => {
    const key = path.join(dir, 'other_key');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const other = (await readFile(`${key}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const known = (await readFile(f.box.state.knownHosts, 'utf8'))
      .split('\n')
      .map((l) => (/^(198\.18\.0\.2|server2) /.test(l) ? `${l.split(' ')[0]} ${other}` : l))
      .join('\n');
    const knownFile = path.join(dir, 'known_hosts');
    await writeFile(knownFile, known);
    const inventory = path.join(dir, 'inventory.ini');
    await writeFile(
      inventory,
      (await readFile(f.inventory, 'utf8')).replace(
        /^lab_known_hosts=.*$/m,
        `lab_known_hosts=${knownFile}`,
      ),
    );
    const r = await lab(['run', SCENARIO, '-i', inventory]);
    const said =
      /^! server2: server2 \(198\.18\.0\.2:22\): HOST KEY CHANGED, refusing to connect\. /m;
    const ok =
      r.code === 3 &&
      said.test(r.stdout) &&
      lastLine(r) === `ERROR: ${SCENARIO} — 1 host failed (server2)`;
    table.record('server2’s host key changed, lab run', r, ok);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(said);
    expect(r.stdout).toContain(`records a different key`);
    expect(lastLine(r)).toBe(`ERROR: ${SCENARIO} — 1 host failed (server2)`);
    expect(r.stdout + r.stderr).not.toMatch(/at .*\.js:\d+|internal error/);
    expect(await readFile(knownFile, 'utf8')).toBe(known);
    await expectClean();
  });

  it('SIGKILL of lab mid-run: the host lock dies with it; lab down then removes everything', async () => {
    const r = await labProcess(['run', SCENARIO, '-i', f.inventory], {
      signal: 'SIGKILL',
      when: madeOn(1),
    });
    table.record('SIGKILL of lab during the steps', r, r.signalled && r.code === 137, 'killed');
    expect(r.signalled, r.stdout).toBe(true);
    expect(r.code).toBe(137);
    expect(await f.witness.labelled(SCENARIO)).not.toEqual([]);
    await downCleans('lab down after lab was killed');
  });

  it('dockerd killed mid-run: ERROR naming server2 and Docker, the down hint; lab down cleans once it is back', async () => {
    const r = await runUnder(
      () => killEngine(f.sys, f.stateDir, 'server2'),
      () => startEngine(f.sys, f.stateDir, 'server2'),
    );
    const ok =
      r.code === 3 &&
      r.stdout.includes('Docker is not running on server2') &&
      /^Remove it with: lab down macvlan-two-nic -i /m.test(r.stdout) &&
      lastLine(r) === `ERROR: ${SCENARIO} — 1 host failed (server2)`;
    table.record('dockerd of server2 killed during lab run', r, ok);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain('Docker is not running on server2');
    expect(r.stdout).toMatch(/^Remove it with: lab down macvlan-two-nic -i /m);
    expect(lastLine(r)).toBe(`ERROR: ${SCENARIO} — 1 host failed (server2)`);
    await downCleans('lab down once dockerd is back');
  });

  it('sshd killed on server2 mid-run: the connection is named as lost at once, never a probe; lab down cleans once sshd is back', async () => {
    const r = await runUnder(
      () => killSshd(f.sys, f.stateDir, 'server2'),
      () => startSshdAgain(f.sys, f.stateDir, 'server2'),
    );
    const lost = 'connection to server2 (198.18.0.2:22) lost during';
    const ok =
      r.code === 3 &&
      r.stdout.includes(lost) &&
      !/did not finish in time|Keepalive/.test(r.stdout) &&
      /^Remove it with: lab down macvlan-two-nic -i /m.test(r.stdout) &&
      lastLine(r) === `ERROR: ${SCENARIO} — 1 host failed (server2)`;
    table.record('sshd of server2 killed during lab run', r, ok);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain(lost);
    expect(r.stdout).not.toMatch(/did not finish in time|Keepalive/);
    expect(r.stdout).toMatch(/^Remove it with: lab down macvlan-two-nic -i /m);
    expect(lastLine(r)).toBe(`ERROR: ${SCENARIO} — 1 host failed (server2)`);
    await downCleans('lab down once sshd is back');
  });

  it(`Ctrl-C at ${SIGINT_COUNT} random points of lab run (seed ${SIGINT_SEED}): INTERRUPTED, the down hint when anything changed; lab down cleans`, async () => {
    const points = sigintPoints(SIGINT_SEED, SIGINT_COUNT);
    process.stderr.write(
      `SIGINT points, seed ${SIGINT_SEED}: ${points.join(', ')} ms (replay: npx tsx scripts/fault-sigint.ts --seed ${SIGINT_SEED} --runs ${SIGINT_COUNT})\n`,
    );
    for (const at of points) {
      const p = await sigintAt(f, SCENARIO, at, before);
      table.record(`SIGINT ${at} ms into lab run`, p.run, p.problems.length === 0);
      expect(p.problems, `SIGINT at ${at} ms (seed ${SIGINT_SEED}):\n${p.run.stdout}`).toEqual([]);
    }
  });
});
