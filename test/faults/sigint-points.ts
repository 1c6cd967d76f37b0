/**
 * Ctrl-C at seeded random points of `lab run`: the case the fault suite runs a few times in CI and
 * scripts/fault-sigint.ts runs as often as asked (same seed, same points: a failure is replayed by
 * its seed). Each point asserts what docs/exit-codes.md promises, then that `lab down` cleans.
 */
import { mulberry32 } from '../inventory-corpus/generate.js';
import { lateAfterCtrlC, type AfterCtrlC } from '../integration/cli.js';
import { labProcess, lab, lastLine, nicFlags, type FaultBox, type LabRun } from './harness.js';

/** The points (ms after the start of `lab run`) a seed gives: from the handshakes to the checks. */
export function sigintPoints(seed: number, count: number, spanMs = 9_000): number[] {
  // Seeded: the same points on every machine, so that a seed replays.
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => 150 + Math.floor(next() * spanMs));
}

export interface PointResult {
  atMs: number;
  run: LabRun & AfterCtrlC & { signalled: boolean; startup: boolean };
  down: LabRun;
  /** Every broken promise, in words; empty when the outcome was true. */
  problems: string[];
}

/** One Ctrl-C `atMs` into `lab run SCENARIO`, judged, then `lab down` run and judged. */
export async function sigintAt(
  f: FaultBox,
  scenario: string,
  atMs: number,
  before: string[][],
): Promise<PointResult> {
  const problems: string[] = [];
  const started = Date.now();
  const run = await labProcess(['run', scenario, '-i', f.inventory], {
    signal: 'SIGINT',
    when: async () => Date.now() - started >= atMs,
  });
  const last = lastLine(run);
  const left = await f.witness.labelled(scenario);
  const nics = [await nicFlags(f, 0), await nicFlags(f, 1)];
  const changed = left.length > 0 || JSON.stringify(nics) !== JSON.stringify(before);
  const hint = `remove it with: lab down ${scenario} -i ${f.inventory}`;
  if (!run.signalled) {
    if (run.code !== 0 || !last.startsWith(`PASS: ${scenario}`))
      problems.push(`finished before the Ctrl-C but not with PASS and 0`);
  } else if (run.startup) {
    // Before lab's first line ran, Node ends by the signal (130 to a shell): nothing may change.
    if (changed)
      problems.push(`ended before lab started, yet ${left.join(', ') || 'NIC flags'} changed`);
  } else {
    if (run.code !== 130) problems.push(`exit ${run.code}, not 130`);
    if (!last.startsWith(`INTERRUPTED: ${scenario} — `))
      problems.push(`last line is not INTERRUPTED`);
    const late = lateAfterCtrlC(run);
    if (late) problems.push(late);
    if (changed && !last.endsWith(hint))
      problems.push(`hosts changed (${left.join(', ') || 'NIC flags'}) but no lab down hint`);
    if (last.includes('nothing was changed') && changed)
      problems.push(`says nothing was changed, but ${left.join(', ') || 'NIC flags'} changed`);
    if (/PASS/.test(run.stdout)) problems.push('a PASS after the Ctrl-C');
  }
  const down = await lab(['down', scenario, '-i', f.inventory]);
  if (down.code !== 0) problems.push(`lab down exited ${down.code}`);
  const leftAfter = await f.witness.labelled(scenario);
  if (leftAfter.length > 0) problems.push(`left after lab down: ${leftAfter.join(', ')}`);
  const nicsAfter = [await nicFlags(f, 0), await nicFlags(f, 1)];
  if (JSON.stringify(nicsAfter) !== JSON.stringify(before))
    problems.push(`NIC flags after lab down: ${JSON.stringify(nicsAfter)}`);
  return { atMs, run, down, problems };
}
