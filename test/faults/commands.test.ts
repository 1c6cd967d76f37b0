import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killEngine, startEngine } from '../../src/box/index.js';
import { PROBE_KIND } from '../../src/probe/discover.js';
import { lateAfterCtrlC, repoRoot } from '../integration/cli.js';
import {
  FaultTable,
  lab,
  labProcess,
  lastLine,
  nicFlags,
  openFaultBox,
  parentRefusals,
  waitFor,
  type FaultBox,
  type LabRun,
} from './harness.js';
import { sigintPoints } from './sigint-points.js';
import { engineKilledInDown, sigintIntoDown } from './down-faults.js';

const table = new FaultTable();
const SCENARIO = 'macvlan-two-nic';
/** Fixed in CI so that a failure replays: one point per command (scripts/fault-sigint.ts for more). */
const SEED = 20261130;

/**
 * The commands besides `lab run` under the faults of issue 10's item 7: Ctrl-C at a seeded point of
 * `lab down`, `lab check connectivity` and `lab run --all`, and server2's dockerd killed during
 * `lab check` and during `lab down`. Each asserts the exit code and last line docs/exit-codes.md
 * gives, the `lab down` hint exactly when something is left, and after `lab down`: nothing
 * labelled, the NIC flags as before, nothing in the next run's way.
 */
describe('fault: Ctrl-C in lab down, lab check and lab run --all; dockerd killed during check and down (the box)', () => {
  let f: FaultBox;
  let before: string[][];
  let scenarios: string[];

  const flags = async () => [await nicFlags(f, 0), await nicFlags(f, 1)];
  const deploy = async () => {
    const r = await lab(['run', SCENARIO, '-i', f.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  };
  /** Every shipped scenario's labelled objects on both hosts. */
  const anyLabelled = async () =>
    (await Promise.all(scenarios.map((s) => f.witness.labelled(s)))).flat();

  /** lab down (recorded), exit 0, then the hosts as before the file began. */
  async function downCleans(name: string, scenario = SCENARIO): Promise<void> {
    const down = await lab(['down', scenario, '-i', f.inventory]);
    table.record(name, down, down.code === 0);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await f.witness.labelled(scenario)).toEqual([]);
  }
  async function expectClean(): Promise<void> {
    expect(await anyLabelled()).toEqual([]);
    expect(await flags()).toEqual(before);
    expect([await parentRefusals(f, 0), await parentRefusals(f, 1)]).toEqual([[], []]);
  }
  /** A SIGINT `atMs` into `lab ARGS`. */
  function interrupted(args: string[], atMs: number) {
    const started = Date.now();
    return labProcess(args, { signal: 'SIGINT', when: async () => Date.now() - started >= atMs });
  }
  /** `lab ARGS` with server2's dockerd killed `atMs` in; the engine is started again afterwards. */
  async function engineKilled(args: string[], atMs: number): Promise<LabRun & { killed: boolean }> {
    let done = false;
    const running = lab(args).finally(() => (done = true));
    await new Promise((r) => setTimeout(r, atMs));
    const killed = !done;
    if (killed) await killEngine(f.sys, f.stateDir, 'server2');
    const r = await running;
    await startEngine(f.sys, f.stateDir, 'server2');
    return { ...r, killed };
  }

  beforeAll(async () => {
    f = await openFaultBox();
    scenarios = (await readdir(path.join(repoRoot, 'scenarios')))
      .filter((n) => n.endsWith('.yaml'))
      .map((n) => n.slice(0, -'.yaml'.length));
    await lab(['down', SCENARIO, '-i', f.inventory]);
    before = await flags();
  });
  /** Whatever a case ended with, the next one starts on clean hosts (a failed case must not fail the rest). */
  async function cleanUp(): Promise<void> {
    await startEngine(f.sys, f.stateDir, 'server2');
    for (const s of scenarios)
      if ((await f.witness.labelled(s)).length > 0) await lab(['down', s, '-i', f.inventory]);
  }
  afterEach(cleanUp, 120_000);
  afterAll(async () => {
    await cleanUp();
    await f.witness.close();
    await table.print('Ctrl-C and dockerd in down, check, run --all');
  });

  it(`Ctrl-C at a seeded point of lab down (seed ${SEED}): finished and clean (0), or INTERRUPTED naming what is left (130); never 0 with something left`, async () => {
    await deploy();
    const [at = 0] = sigintPoints(SEED + 1, 1, 2_500);
    const { r, problems } = await sigintIntoDown(f, SCENARIO, at, before);
    table.record(`SIGINT ${at} ms into lab down`, r, problems.length === 0);
    expect(problems, r.stdout + r.stderr).toEqual([]);
    await downCleans('lab down after it');
    await expectClean();
  });

  it(`Ctrl-C at a seeded point of lab check (seed ${SEED}): INTERRUPTED, never PASS; nothing changed, no prober left`, async () => {
    await deploy();
    const deployed = (await f.witness.labelled(SCENARIO)).sort();
    const [at = 0] = sigintPoints(SEED + 2, 1, 4_000);
    const r = await interrupted(['check', 'connectivity', '-i', f.inventory], at);
    const ok = r.signalled
      ? r.code === 130 &&
        (r.startup || lastLine(r).startsWith('INTERRUPTED: lab check connectivity — ')) &&
        !/^PASS/m.test(r.stdout) &&
        lateAfterCtrlC(r) === undefined
      : r.code === 0 && lastLine(r).startsWith('PASS: ');
    table.record(`SIGINT ${at} ms into lab check`, r, ok);
    if (r.signalled) {
      expect(r.code, r.stdout + r.stderr).toBe(130);
      // Before lab's first line ran (r.startup), Node ends by the signal with nothing said or done.
      if (!r.startup)
        expect(lastLine(r)).toMatch(
          /^INTERRUPTED: lab check connectivity — stopped by Ctrl-C with /,
        );
      expect(r.stdout).not.toMatch(/^PASS/m);
      expect(lateAfterCtrlC(r)).toBeUndefined();
    } else expect(r.code).toBe(0);
    // A check changes nothing; its probers go by themselves or by the check's own sweep.
    expect((await f.witness.labelled(SCENARIO)).sort()).toEqual(deployed);
    const probers = async () =>
      (
        await Promise.all(
          f.witness.engines.map((e) => e.listContainers({ labels: { 'lab.kind': PROBE_KIND } })),
        )
      ).flat();
    expect(await waitFor(async () => (await probers()).length === 0, 15_000)).toBe(true);
    await downCleans('lab down after the check');
    await expectClean();
  });

  it(`Ctrl-C at a seeded point of lab run --all (seed ${SEED}): INTERRUPTED with the lab down of what is left, exactly then`, async () => {
    const [at = 0] = sigintPoints(SEED + 3, 1, 8_000);
    const r = await interrupted(['run', '--all', '-i', f.inventory], at);
    const last = lastLine(r);
    const left = [];
    for (const s of scenarios) if ((await f.witness.labelled(s)).length > 0) left.push(s);
    const hinted = scenarios.filter((s) => last.includes(`lab down ${s} -i `));
    const ok =
      r.signalled &&
      r.code === 130 &&
      last.startsWith('INTERRUPTED: lab run --all — ') &&
      left.every((s) => hinted.includes(s)) &&
      (left.length > 0 || !last.includes('lab down')) &&
      !/\d+ of \d+ scenarios pass.*\n*$/.test(last);
    table.record(`SIGINT ${at} ms into lab run --all`, r, ok);
    expect(r.signalled).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(last).toMatch(/^INTERRUPTED: lab run --all — stopped in /);
    for (const s of left) expect(hinted, `${s} is left`).toContain(s);
    if (left.length === 0) expect(last).not.toContain('lab down');
    for (const s of hinted) await downCleans(`lab down ${s} as the hint says`, s);
    await expectClean();
  });

  it('dockerd killed during lab check: Docker is not running on server2, ERROR (3), never a raw socket error or a false FAIL', async () => {
    await deploy();
    const [at = 0] = sigintPoints(SEED + 4, 1, 2_000);
    const r = await engineKilled(['check', 'connectivity', '-i', f.inventory], 300 + at);
    const said = r.stdout.includes('Docker is not running on server2');
    const ok = r.killed
      ? (r.code === 3 && said && lastLine(r).startsWith('ERROR: ')) ||
        (r.code === 0 && lastLine(r).startsWith('PASS: '))
      : r.code === 0;
    table.record(`dockerd killed ${300 + at} ms into lab check`, r, ok);
    if (r.killed && r.code !== 0) {
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toContain('Docker is not running on server2');
      expect(lastLine(r)).toMatch(/^ERROR: /);
      expect(r.stdout).not.toMatch(/^FAIL/m);
      expect(r.stdout + r.stderr).not.toMatch(/socket hang up|ECONNRESET|internal error/);
    } else expect(r.code, r.stdout).toBe(0);
    await downCleans('lab down once dockerd is back');
    await expectClean();
  });

  it('dockerd killed during lab down: the NICs restored anyway, Docker is not running said (3); the same lab down cleans once it is back', async () => {
    await deploy();
    const [at = 0] = sigintPoints(SEED + 5, 1, 1_500);
    const { r, problems } = await engineKilledInDown(f, SCENARIO, { atMs: 200 + at }, before);
    table.record(`dockerd killed ${200 + at} ms into lab down`, r, problems.length === 0);
    expect(problems, r.stdout + r.stderr).toEqual([]);
    await downCleans('lab down once dockerd is back');
    await expectClean();
  });

  it('dockerd killed as lab down reaches the swarm step (server2 already clean): said per host as Docker is not running (3), not as a swarm failure', async () => {
    await deploy();
    const { r, problems } = await engineKilledInDown(f, SCENARIO, { swarmStep: true }, before);
    table.record('dockerd killed at lab down’s swarm step', r, problems.length === 0);
    expect(problems, r.stdout + r.stderr).toEqual([]);
    expect(r.stdout).not.toContain('the swarm could not be left');
    await downCleans('lab down once dockerd is back');
    await expectClean();
  });
});
