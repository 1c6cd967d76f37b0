/**
 * What the host lock (issue 10, item 4) costs a `lab run` or `lab down`: on each box host, over one
 * SSH connection as lab keeps it, the lock's acquire (a session channel, `flock`, the holder line,
 * "locked" back) and release, against a plain command's round trip on the same connection. lab takes
 * the lock side by side with the preflight, so a run pays at most the acquire beyond the preflight;
 * this bench gives the acquire itself, per host, for the merger to run on a quiet machine.
 */
import os from 'node:os';
import { lockHost } from '../src/host/host-lock.js';
import type { HostShell } from '../src/ssh/host-shell.js';
import { createSshStats } from '../src/ssh/stats.js';
import { connectBoxHost, ensureBox, median, writeResult } from './box.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = 10;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await f();
  return [performance.now() - started, value];
}

/** One acquire and release of the host's lock, and one plain command, in ms. */
async function once(
  shell: HostShell,
): Promise<{ acquireMs: number; releaseMs: number; execMs: number }> {
  const holder = {
    controller: os.hostname(),
    pid: process.pid,
    command: 'lab bench host-lock',
    scenario: 'bench-lock',
    since: new Date().toISOString(),
  };
  const [acquireMs, out] = await timed(() => lockHost(shell, holder, 0));
  if (out.kind !== 'held') throw new Error(`the lock was not taken: ${JSON.stringify(out)}`);
  // Released when the host's shell has removed the lock: the next acquire finds it free.
  const [releaseMs] = await timed(async () => {
    out.lock.release();
    const r = await shell.exec([
      'sh',
      '-c',
      'while [ -e /run/lab/host.lock.holder ]; do sleep 0.01; done',
    ]);
    return r.exitCode;
  });
  const [execMs] = await timed(() => shell.exec(['true']));
  return { acquireMs, releaseMs, execMs };
}

async function main(): Promise<void> {
  const box = await ensureBox(2);
  const stats = createSshStats();
  const shells = await Promise.all(box.state.hosts.map((h) => connectBoxHost(box.state, h, stats)));
  const rounds: { acquireMs: number; releaseMs: number; execMs: number }[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const samples: { acquireMs: number; releaseMs: number; execMs: number }[] = [];
      for (let j = 0; j < PER_ROUND; j++)
        // Every host at once, as lab locks them.
        samples.push(...(await Promise.all(shells.map((s) => once(s)))));
      const round = {
        acquireMs: Math.round(median(samples.map((s) => s.acquireMs))),
        releaseMs: Math.round(median(samples.map((s) => s.releaseMs))),
        execMs: Math.round(median(samples.map((s) => s.execMs))),
      };
      rounds.push(round);
      process.stdout.write(`round ${i + 1}: ${JSON.stringify(round)}\n`);
    }
  } finally {
    await Promise.all(shells.map((s) => s.close()));
    if (box.madeByUs) await box.down();
  }
  const result = {
    benchmark: 'host-lock',
    hosts: shells.length,
    rounds: rounds.length,
    perRound: PER_ROUND,
    date: new Date().toISOString(),
    medianMs: {
      acquire: median(rounds.map((r) => r.acquireMs)),
      release: median(rounds.map((r) => r.releaseMs)),
      plainCommand: median(rounds.map((r) => r.execMs)),
    },
    note: 'acquire: a session channel, flock and the holder line, until "locked" comes back; release: until the host removed the lock; plainCommand: `true` on the same connection. A run takes the lock side by side with its preflight: its cost to a run is at most acquire, usually less.',
    rawRounds: rounds,
  };
  process.stdout.write(
    `${JSON.stringify(result.medianMs)}\nwritten: ${await writeResult('host-lock', result)}\n`,
  );
}

await main();
