/**
 * Faults that hit `lab down`: a Ctrl-C at a point, and server2's dockerd killed at a point or as
 * lab down reaches the swarm step. Used by commands.test.ts (one seeded point each, in CI) and by
 * scripts/fault-down.ts (as many seeded points as asked): the same judgement in both, in words.
 */
import { access } from 'node:fs/promises';
import { killEngine, startEngine } from '../../src/box/index.js';
import { hostRoot } from '../../src/box/layout.js';
import { nicStateFile } from '../../src/host/nic-state.js';
import { lateAfterCtrlC } from '../integration/cli.js';
import {
  lab,
  labProcess,
  lastLine,
  nicFlags,
  waitFor,
  type FaultBox,
  type LabRun,
} from './harness.js';

export const DOWN_AGAIN =
  'INTERRUPTED: lab down did not finish; run the same command again to remove the rest';

/** The NIC flags of box hosts 0 and 1, as nicFlags gives them. */
export async function flagsOf(f: FaultBox): Promise<string[][]> {
  return [await nicFlags(f, 0), await nicFlags(f, 1)];
}

/**
 * `lab down SCENARIO` (bin/lab.js) with a SIGINT `atMs` in: finished and clean (exit 0, nothing
 * labelled, the NIC flags as `before`), or exit 130 with the INTERRUPTED line within 1 s of the
 * signal. `problems` is empty when the outcome was true.
 */
export async function sigintIntoDown(
  f: FaultBox,
  scenario: string,
  atMs: number,
  before: string[][],
) {
  const started = Date.now();
  const r = await labProcess(['down', scenario, '-i', f.inventory], {
    signal: 'SIGINT',
    when: async () => Date.now() - started >= atMs,
  });
  const left = await f.witness.labelled(scenario);
  const nicsBack = JSON.stringify(await flagsOf(f)) === JSON.stringify(before);
  const problems: string[] = [];
  if (r.code === 0) {
    if (left.length > 0) problems.push(`exit 0 but left: ${left.join(', ')}`);
    if (!nicsBack) problems.push('exit 0 but the NIC flags are not as before');
  } else if (r.code !== 130) problems.push(`exit ${r.code}, neither 0 nor 130`);
  else {
    // Before lab's first line ran (r.startup), Node ends by the signal with nothing said or done.
    if (!r.startup && lastLine(r) !== DOWN_AGAIN) problems.push(`last line: ${lastLine(r)}`);
    const late = lateAfterCtrlC(r);
    if (late) problems.push(late);
  }
  return { r, left, nicsBack, problems };
}

/** When server2's dockerd is killed: `atMs` into `lab down`, or once server2's NICs are restored. */
export type EngineKill = { atMs: number } | { swarmStep: true };

/**
 * `lab down SCENARIO` with server2's dockerd killed at `kill` (started again afterwards): exit 0,
 * or exit 3 with `! server2: Docker is not running on server2`, no raw socket error, the NIC flags
 * as `before` (restored without Docker). `{ swarmStep: true }` kills it once server2's NIC state
 * file is gone: its removals and NICs are done, so the next Engine call is the swarm step's.
 */
export async function engineKilledInDown(
  f: FaultBox,
  scenario: string,
  kill: EngineKill,
  before: string[][],
): Promise<{ r: LabRun & { killed: boolean }; problems: string[] }> {
  let done = false;
  const running = lab(['down', scenario, '-i', f.inventory]).finally(() => (done = true));
  if ('atMs' in kill) await new Promise((r) => setTimeout(r, kill.atMs));
  else await waitFor(async () => done || !(await exists(stateFileOn(f, 1, scenario))), 30_000);
  const killed = !done;
  if (killed) await killEngine(f.sys, f.stateDir, f.box.state.hosts[1]?.name ?? 'server2');
  const run = await running;
  await startEngine(f.sys, f.stateDir, f.box.state.hosts[1]?.name ?? 'server2');
  const r = { ...run, killed };
  const problems: string[] = [];
  if (r.code !== 0) {
    if (r.code !== 3) problems.push(`exit ${r.code}, neither 0 nor 3`);
    if (!/^! server2: Docker is not running on server2/m.test(r.stdout))
      problems.push('no "! server2: Docker is not running on server2" line');
    if (/socket hang up|ECONNRESET|internal error/.test(r.stdout + r.stderr))
      problems.push('a raw socket error or an internal error');
    if (JSON.stringify(await flagsOf(f)) !== JSON.stringify(before))
      problems.push('the NIC flags are not as before');
  }
  return { r, problems };
}

/** lab's NIC state file for the scenario on box host i, as the machine sees that host's files. */
function stateFileOn(f: FaultBox, i: number, scenario: string): string {
  const anchor = f.box.state.hosts[i]?.anchor.pid ?? 0;
  return `${hostRoot(anchor)}${nicStateFile(scenario)}`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
