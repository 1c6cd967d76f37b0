/**
 * What a jump host costs: `lab run` of the same small scenario on a 3-host box with server3 behind
 * server1 (`--behind server3=server1`), once with server3 (reached through server1) and once with
 * server2 (reached directly), rounds interleaved. The difference of the medians is the hop's price
 * per run: one more SSH handshake, and every byte to server3 through server1's forwarded channel.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boxDown, boxUp, DEFAULT_BOX_STATE_DIR, realBoxSystem } from '../src/box/index.js';
import { jumpScenario } from '../test/integration/jump-scenario.js';
import { labCli, labRunPassing, median, writeResult } from './box.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main(): Promise<void> {
  const stateDir = process.env.LAB_BOX_DIR ?? DEFAULT_BOX_STATE_DIR;
  const sys = realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: () => {},
  });
  await boxDown(sys, stateDir);
  const { state } = await boxUp(sys, { stateDir, hostCount: 3, behind: { server3: 'server1' } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-jump-bench-'));
  const kinds = { viaJump: 'jump-macvlan', direct: 'direct-macvlan' } as const;
  await writeFile(path.join(dir, `${kinds.viaJump}.yaml`), jumpScenario(kinds.viaJump, 'server3'));
  await writeFile(path.join(dir, `${kinds.direct}.yaml`), jumpScenario(kinds.direct, 'server2'));
  const times = { viaJump: [] as number[], direct: [] as number[] };
  const engine = { viaJump: [] as number[], direct: [] as number[] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['viaJump', 'direct'] as const) {
        const args = ['-i', state.inventory, '--scenarios', dir];
        const r = await labRunPassing(kinds[kind], args);
        times[kind].push(r.ms);
        engine[kind].push(r.engineMs);
        await labCli(['down', kinds[kind], ...args]);
      }
      process.stdout.write(
        `round ${i + 1}: via ${times.viaJump.at(-1)} ms, direct ${times.direct.at(-1)} ms\n`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await boxDown(sys, stateDir);
  }
  const result = {
    benchmark: 'jump',
    scenario: 'macvlan on eth1, server1 + server3 (via server1) vs server1 + server2 (direct)',
    rounds: ROUNDS,
    date: new Date().toISOString(),
    medianMs: {
      viaJump: median(times.viaJump),
      direct: median(times.direct),
      viaJumpEngine: median(engine.viaJump),
      directEngine: median(engine.direct),
    },
    extraMsPerRun: median(times.viaJump) - median(times.direct),
    extraMsPerRunEngine: median(engine.viaJump) - median(engine.direct),
    note: 'Whole `lab run` commands (new node process each); *Engine: lab’s own durationMs from --json.',
    raw: { times, engine },
  };
  process.stdout.write(
    `${JSON.stringify(result.medianMs)} extra ${result.extraMsPerRun} ms (engine ${result.extraMsPerRunEngine} ms)\nwritten: ${await writeResult('jump', result)}\n`,
  );
}

await main();
