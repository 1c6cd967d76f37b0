import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Clock } from '../../common/clock.js';
import type { ProcessRef } from '../state.js';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** R, S, D, Z (zombie: dead, waiting for its parent to reap it), … */
  state: string;
  startTime: number;
  cmdline: string[];
}

/** The machine's process table; a fake in unit tests. */
export interface ProcessTable {
  /** undefined when there is no such process (any more). */
  inspect(pid: number): Promise<ProcessInfo | undefined>;
  /** Sends a signal; a process that is already gone is not an error. */
  signal(pid: number, signal: NodeJS.Signals): void;
  /** All pids on the machine. */
  list(): Promise<number[]>;
  /** The inode of the process's network namespace, or undefined when gone. */
  netnsInode(pid: number): Promise<number | undefined>;
}

/** Parses /proc/PID/stat. The command name may contain spaces and parentheses: split after the last ')'. */
export function parseProcStat(text: string): {
  pid: number;
  ppid: number;
  state: string;
  startTime: number;
} {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  // Fields after the name start at field 3 (state); starttime is field 22.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    startTime: Number(fields[19]),
  };
}

export const procfs: ProcessTable = {
  async inspect(pid) {
    try {
      const [stat, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'utf8'),
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
      ]);
      const parsed = parseProcStat(stat);
      return { ...parsed, cmdline: cmdline.split('\0').filter((word) => word !== '') };
    } catch {
      return undefined;
    }
  },
  signal(pid, signal) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  },
  async list() {
    const entries = await readdir('/proc');
    return entries.filter((name) => /^\d+$/.test(name)).map(Number);
  },
  async netnsInode(pid) {
    try {
      const link = await readlink(`/proc/${pid}/ns/net`);
      const match = /\[(\d+)\]/.exec(link);
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    }
  },
};

export function isAlive(info: ProcessInfo | undefined): info is ProcessInfo {
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

/**
 * Whether a recorded process is still the one we started: same pid, same start time (pids get reused)
 * and a command line that contains our marker (the config path or the anchor's tag).
 */
export function isPlausiblyOurs(
  info: ProcessInfo | undefined,
  ref: ProcessRef,
  marker: string,
): boolean {
  return (
    isAlive(info) && info.startTime === ref.startTime && info.cmdline.join(' ').includes(marker)
  );
}

export async function processRef(
  procs: ProcessTable,
  pid: number,
): Promise<ProcessRef | undefined> {
  const info = await procs.inspect(pid);
  return isAlive(info) ? { pid, startTime: info.startTime } : undefined;
}

export type StopOutcome = 'not-running' | 'not-ours' | 'terminated' | 'killed';

/**
 * Stops one recorded process: SIGTERM, up to `graceMs` to exit, then SIGKILL. A pid that is not
 * plausibly ours any more is left alone.
 */
export async function stopProcess(
  procs: ProcessTable,
  clock: Clock,
  ref: ProcessRef,
  marker: string,
  graceMs: number,
  onTerm?: () => Promise<void>,
): Promise<StopOutcome> {
  const info = await procs.inspect(ref.pid);
  if (!isAlive(info)) return 'not-running';
  if (!isPlausiblyOurs(info, ref, marker)) return 'not-ours';
  procs.signal(ref.pid, 'SIGTERM');
  if (await waitGone(procs, clock, ref, graceMs, onTerm)) return 'terminated';
  procs.signal(ref.pid, 'SIGKILL');
  await waitGone(procs, clock, ref, 5_000);
  return 'killed';
}

/** Waits until the process is gone (or a zombie, or another process under the same pid). */
export async function waitGone(
  procs: ProcessTable,
  clock: Clock,
  ref: ProcessRef,
  timeoutMs: number,
  eachRound?: () => Promise<void>,
): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const info = await procs.inspect(ref.pid);
    if (!isAlive(info) || info.startTime !== ref.startTime) return true;
    if (clock.now() >= deadline) return false;
    if (eachRound) await eachRound();
    await clock.sleep(50);
  }
}
