/**
 * What a hardened host costs (issue 16): on a 3-host box with server3 hardened (`--harden server3`:
 * sshd DisableForwarding yes), the same small scenario runs between server1 and server3 (Docker via
 * `docker system dial-stdio`) and between server1 and server2 (the socket forwarded over SSH), rounds
 * interleaved: `lab run`, then `lab check connectivity`, then `lab down`. Goal: the hardened run within
 * 1.3× of the default one.
 *
 * The machine is shared, so the raw per-call cost is measured too, on one SSH connection each: a
 * kept-alive GET /version, and a new Engine client's first call (channel open + /version), by the
 * forward, by dial-stdio as root, and by dial-stdio through sudo as labuser.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boxDown, boxUp, DEFAULT_BOX_STATE_DIR, realBoxSystem } from '../src/box/index.js';
import { BOX_LOGIN } from '../src/box/layout.js';
import { connectDocker } from '../src/docker/connect-docker.js';
import { connectHost } from '../src/ssh/connect.js';
import type { SshTarget } from '../src/ssh/target.js';
import { jumpScenario } from '../test/integration/jump-scenario.js';
import { labCli, labRunPassing, median, writeResult } from './box.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const OPENS = Number(process.env.BENCH_OPENS ?? 20);
const GOAL_RATIO = 1.3;

type Way = 'forward' | 'dialStdio' | 'dialStdioSudo';

/** Per-call latency on one connection: kept-alive calls, and new clients' first calls. */
async function rawLatency(
  target: SshTarget,
  knownHosts: string,
  transport: 'forward' | 'dial-stdio',
) {
  const shell = await connectHost(target, {
    knownHostsFile: knownHosts,
    acceptNewHostKeys: false,
    readyTimeoutMs: 10_000,
  });
  try {
    const docker = await connectDocker(shell, { transport });
    const kept: number[] = [];
    try {
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        await docker.version();
        kept.push(performance.now() - t);
      }
    } finally {
      await docker.close();
    }
    const fresh: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const t = performance.now();
      const client = await connectDocker(shell, { transport });
      fresh.push(performance.now() - t);
      await client.close();
    }
    const round = (v: number) => Number(v.toFixed(2));
    return { keptAliveCallMs: round(median(kept)), newClientMs: round(median(fresh)) };
  } finally {
    await shell.close();
  }
}

async function main(): Promise<void> {
  const stateDir = process.env.LAB_BOX_DIR ?? DEFAULT_BOX_STATE_DIR;
  const sys = realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: () => {},
  });
  await boxDown(sys, stateDir);
  const { state } = await boxUp(sys, { stateDir, hostCount: 3, harden: ['server3'] });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-harden-bench-'));
  const kinds = { hardened: 'hardened-macvlan', plain: 'plain-macvlan' } as const;
  await writeFile(
    path.join(dir, `${kinds.hardened}.yaml`),
    jumpScenario(kinds.hardened, 'server3'),
  );
  await writeFile(path.join(dir, `${kinds.plain}.yaml`), jumpScenario(kinds.plain, 'server2'));
  const run = { hardened: [] as number[], plain: [] as number[] };
  const runEngine = { hardened: [] as number[], plain: [] as number[] };
  const check = { hardened: [] as number[], plain: [] as number[] };
  let raw: Record<Way, { keptAliveCallMs: number; newClientMs: number }>;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['hardened', 'plain'] as const) {
        const args = ['-i', state.inventory, '--scenarios', dir];
        const r = await labRunPassing(kinds[kind], args);
        run[kind].push(r.ms);
        runEngine[kind].push(r.engineMs);
        const c = await labCli(['check', 'connectivity', '--scenario', kinds[kind], ...args]);
        if (c.json['verdict'] !== 'pass')
          throw new Error(`check ${kinds[kind]}: ${String(c.json['verdict'])}`);
        check[kind].push(Math.round(c.ms));
        await labCli(['down', kinds[kind], ...args]);
      }
      process.stdout.write(
        `round ${i + 1}: run hardened ${run.hardened.at(-1)} ms, default ${run.plain.at(-1)} ms; check ${check.hardened.at(-1)} / ${check.plain.at(-1)} ms\n`,
      );
    }
    const host = (name: string) => state.hosts.find((h) => h.name === name)!;
    const target = (name: string, user: string, become: boolean): SshTarget => ({
      host: name,
      address: host(name).address,
      port: 22,
      user,
      privateKeyFile: state.clientKey,
      become,
      knownHostsFile: state.knownHosts,
    });
    raw = {
      forward: await rawLatency(target('server2', 'root', false), state.knownHosts, 'forward'),
      dialStdio: await rawLatency(target('server3', 'root', false), state.knownHosts, 'dial-stdio'),
      dialStdioSudo: await rawLatency(
        target('server3', BOX_LOGIN.user, true),
        state.knownHosts,
        'dial-stdio',
      ),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await boxDown(sys, stateDir);
  }
  const ratio = Number((median(run.hardened) / median(run.plain)).toFixed(2));
  const result = {
    benchmark: 'harden',
    scenario:
      'macvlan on eth1, server1 + server3 (hardened: Docker via dial-stdio) vs server1 + server2 (socket forward)',
    rounds: ROUNDS,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    medianMs: {
      runHardened: median(run.hardened),
      runDefault: median(run.plain),
      runHardenedEngine: median(runEngine.hardened),
      runDefaultEngine: median(runEngine.plain),
      checkHardened: median(check.hardened),
      checkDefault: median(check.plain),
    },
    goal: { runRatioAtMost: GOAL_RATIO, runRatio: ratio, met: ratio <= GOAL_RATIO },
    rawPerCall: { calls: CALLS, newClients: OPENS, ...raw },
    note: 'Whole commands (a new node process each); *Engine: lab’s own durationMs from --json. rawPerCall: median ms of a kept-alive GET /version, and of a new Engine client (channel open, GET /version), on one SSH connection.',
    raw: { run, runEngine, check },
  };
  process.stdout.write(
    `${JSON.stringify(result.medianMs)} ratio ${ratio}\n${JSON.stringify(result.rawPerCall)}\nwritten: ${await writeResult('harden', result)}\n`,
  );
}

await main();
