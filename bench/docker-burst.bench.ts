/**
 * 100 concurrent Docker API calls (`GET /info`) over one host's one SSH connection, against the same
 * burst over the host's local Engine socket (no SSH). Goal: the burst over SSH within 5 s (it was a
 * timed assertion of test/integration/docker.test.ts; speed goals live here, the test keeps the
 * functional part: all 100 answered, one connection).
 */
import { connectDocker, createLocalDockerClient } from '../src/docker/connect-docker.js';
import type { DockerClient } from '../src/docker/docker-client.js';
import { createSshStats } from '../src/ssh/stats.js';
import { connectBoxHost, ensureBox, median, writeResult } from './box.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = 100;
const GOAL_MS = 5_000;

async function burst(docker: DockerClient): Promise<number> {
  const started = performance.now();
  const infos = await Promise.all(Array.from({ length: CALLS }, () => docker.info()));
  const ms = performance.now() - started;
  if (!infos.every((i) => i.id === infos[0]?.id)) throw new Error('the burst met two Engines');
  return ms;
}

async function main(): Promise<void> {
  const box = await ensureBox(2);
  const host = box.state.hosts[0]!;
  const stats = createSshStats();
  const shell = await connectBoxHost(box.state, host, stats);
  const overSsh = await connectDocker(shell, { socketPath: host.dockerSocketInHost });
  const local = await createLocalDockerClient(host.dockerSocket, host.name);
  const rounds: { sshMs: number; localMs: number }[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push({
        sshMs: Math.round(await burst(overSsh)),
        localMs: Math.round(await burst(local)),
      });
      process.stdout.write(`round ${i + 1}: ${JSON.stringify(rounds.at(-1))}\n`);
    }
  } finally {
    await overSsh.close();
    await local.close();
    await shell.close();
    if (box.madeByUs) await box.down();
  }
  const sshMs = median(rounds.map((r) => r.sshMs));
  const result = {
    benchmark: 'docker-burst',
    calls: CALLS,
    rounds: rounds.length,
    date: new Date().toISOString(),
    medianMs: { overSsh: sshMs, localSocket: median(rounds.map((r) => r.localMs)) },
    sshConnections: stats.connectionsOpened,
    goal: { maxMs: GOAL_MS, met: sshMs <= GOAL_MS },
    rawRounds: rounds,
  };
  process.stdout.write(
    `${JSON.stringify(result.medianMs)}\nwritten: ${await writeResult('docker-burst', result)}\n`,
  );
}

await main();
