/**
 * This checkout's `lab run` and `lab check` against an earlier commit's, on the same box in the same
 * minutes, rounds interleaved (base, head, base, head…). A figure in ms alone cannot say whether a
 * change made lab slower: this machine's speed changes by 2-3× between days (stop 7's lab-run floor
 * was 1.59 s, a later day's 4.1-4.5 s). Only the two measured side by side can.
 *
 * BENCH_BASE: the commit to compare with (default 65e000b, the code issue 9's layering started from).
 * Its checkout is built once in the system's temporary directory and kept for the next run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { boxCheckArgs, ensureBox, labRun, median, withBusyMs, writeResult } from './box.js';
import { CHECK_SCENARIO, checkScenarioYaml } from './check-scenario.js';

const run = promisify(execFile);
const head = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const RUN_SCENARIO = 'macvlan-two-nic';

interface Round {
  ms: number;
  busyMs: number;
  code: number;
  verdict: string;
  cells?: number;
}

async function git(...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: head })).stdout.trim();
}

/** The base commit checked out and built beside this one (once; reused while it exists). */
async function baseCheckout(rev: string): Promise<string> {
  const sha = await git('rev-parse', '--verify', `${rev}^{commit}`);
  const dir = path.join(os.tmpdir(), `lab-baseline-${sha.slice(0, 12)}`);
  if (existsSync(path.join(dir, 'dist/cli/main.js'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await git('worktree', 'prune');
  await git('worktree', 'add', '--detach', dir, sha);
  const npm = { cwd: dir, maxBuffer: 64 * 1024 * 1024 };
  await run('npm', ['ci', '--no-audit', '--no-fund'], npm);
  await run('npm', ['run', 'build'], npm);
  return dir;
}

/** One timed lab command with the machine's CPU meanwhile; verdict and cells from its JSON. */
async function timed(at: string, args: string[]): Promise<Round> {
  const { value: r, busyMs } = await withBusyMs(() => labRun(args, at));
  const json = JSON.parse(r.stdout) as { verdict?: string; counts?: { cells?: number } };
  return {
    ms: Math.round(r.ms),
    busyMs,
    code: r.code,
    verdict: json.verdict ?? '?',
    ...(json.counts?.cells !== undefined && { cells: json.counts.cells }),
  };
}

/** `rounds` interleaved pairs of `measure` for the base and this checkout. */
async function interleaved(
  checkouts: { base: string; head: string },
  measure: (at: string) => Promise<Round>,
) {
  const out = { base: [] as Round[], head: [] as Round[] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const side of ['base', 'head'] as const) {
      const r = await measure(checkouts[side]);
      out[side].push(r);
      process.stdout.write(`  ${side} round ${i + 1}: ${r.ms} ms, ${r.verdict}\n`);
    }
  }
  const base = median(out.base.map((r) => r.ms));
  const headMs = median(out.head.map((r) => r.ms));
  return {
    baseMedianMs: base,
    headMedianMs: headMs,
    headOverBase: Number((headMs / base).toFixed(3)),
    rounds: out,
  };
}

/** `lab run` of the seed's main lab, each round from nothing (its own `lab down` first, untimed). */
async function runRound(at: string): Promise<Round> {
  const down = () => labRun(['down', RUN_SCENARIO, '-i', 'box'], at);
  await down();
  const r = await timed(at, ['run', RUN_SCENARIO, '-i', 'box', '--json']);
  await down();
  return r;
}

async function main(): Promise<void> {
  const baseRev = process.env.BENCH_BASE ?? '65e000b';
  const checkouts = { base: await baseCheckout(baseRev), head };
  await ensureBox(2);
  process.stdout.write(`lab run ${RUN_SCENARIO}: base ${baseRev} against this checkout\n`);
  const labRunFigures = await interleaved(checkouts, runRound);
  // The check's scenario is deployed once, by this checkout; both check the same containers.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-bench-baseline-'));
  const scen = ['--scenarios', dir];
  let check;
  try {
    await writeFile(
      path.join(dir, `${CHECK_SCENARIO}.yaml`),
      checkScenarioYaml({ hosts: 2, perHost: 8 }),
    );
    const deployed = await labRun(['run', CHECK_SCENARIO, '-i', 'box', ...scen, '--json']);
    if (deployed.code !== 0)
      throw new Error(`deploying ${CHECK_SCENARIO} failed:\n${deployed.stdout}`);
    process.stdout.write(`lab check connectivity 2x8: base ${baseRev} against this checkout\n`);
    check = await interleaved(checkouts, (at) => timed(at, boxCheckArgs(CHECK_SCENARIO, scen)));
  } finally {
    await labRun(['down', CHECK_SCENARIO, '-i', 'box', ...scen]);
    await rm(dir, { recursive: true, force: true });
  }
  const result = {
    benchmark: 'baseline',
    date: new Date().toISOString(),
    base: { rev: baseRev, commit: await git('rev-parse', baseRev) },
    head: {
      commit: await git('rev-parse', 'HEAD'),
      dirty: (await git('status', '--porcelain')) !== '',
    },
    rounds: ROUNDS,
    note: 'the same box, the same minutes, rounds interleaved; headOverBase = median head ms / median base ms (1.0: as fast). busyMs: CPU the whole machine spent during the round. A newer lab may do more per run (later issues added checks), which the ratio includes.',
    labRun: labRunFigures,
    check2x8: check,
  };
  process.stdout.write(
    `  ${JSON.stringify({ labRun: labRunFigures.headOverBase, check: check.headOverBase })}\n`,
  );
  process.stdout.write(`written: ${await writeResult('baseline', result)}\n`);
}

await main();
