import { readFile, rm } from 'node:fs/promises';
import { pollUntil, type Clock } from '../../common/clock.js';
import { IN_HOST } from '../layout.js';
import { isAlive, type ProcessTable } from '../system/processes.js';

/** How long a SIGKILLed dockerd and its containerd may take to die (they normally take milliseconds). */
export const ENGINE_DEATH_MS = 10_000;

/** The engine processes of one host as its pidfiles name them: dockerd and the containerd it runs. */
export interface EnginePids {
  dockerd: number;
  /** undefined when the host's containerd.pid is missing or unreadable. */
  containerd: number | undefined;
}

/** root: the host's filesystem as the machine sees it (layout's hostRoot). */
export async function readEnginePids(root: string, dockerdPid: number): Promise<EnginePids> {
  const text = await readFile(`${root}${IN_HOST.containerdPidFile}`, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return { dockerd: dockerdPid, containerd: Number.isInteger(pid) && pid > 0 ? pid : undefined };
}

/** A live process under this pid whose command line names `program` (a reused pid is not ours). */
async function runs(procs: ProcessTable, pid: number | undefined, program: string) {
  if (pid === undefined) return false;
  const info = await procs.inspect(pid);
  return isAlive(info) && info.cmdline.some((word) => word.includes(program));
}

/**
 * Waits, on the injected clock and at most `timeoutMs`, until neither dockerd nor its containerd runs
 * (a zombie counts as dead: it only waits for its parent to reap it). True when both are dead.
 */
export async function waitEngineDead(
  procs: ProcessTable,
  clock: Clock,
  pids: EnginePids,
  timeoutMs = ENGINE_DEATH_MS,
): Promise<boolean> {
  const dead = await pollUntil(clock, timeoutMs, 20, async () =>
    (await runs(procs, pids.dockerd, 'dockerd')) ||
    (await runs(procs, pids.containerd, 'containerd'))
      ? undefined
      : true,
  );
  return dead === true;
}

/**
 * Before a host's engine starts again after a crash: its pidfiles go once the processes they name
 * are dead. dockerd counts any pid that `kill -0` reaches as running, a zombie included, and so does
 * its check of containerd.pid: a containerd killed with dockerd (its parent-death signal) is
 * reparented to the machine's init and stays a zombie until init reaps it (seconds, under load
 * longer), or its pid is soon reused (pid_max 32768 wraps within minutes here). dockerd then logs
 * "containerd is still running", waits 15 s for a socket nobody serves, and exits with "failed to
 * start containerd: timeout waiting for containerd to start". A containerd that really still runs
 * keeps its pidfile: dockerd takes it over.
 */
export async function clearDeadEngine(
  procs: ProcessTable,
  clock: Clock,
  root: string,
  pids: EnginePids,
  timeoutMs = ENGINE_DEATH_MS,
): Promise<void> {
  await waitEngineDead(procs, clock, pids, timeoutMs);
  if (!(await runs(procs, pids.dockerd, 'dockerd'))) {
    await rm(`${root}${IN_HOST.dockerPidFile}`, { force: true });
  }
  if (!(await runs(procs, pids.containerd, 'containerd'))) {
    await rm(`${root}${IN_HOST.containerdPidFile}`, { force: true });
  }
}
