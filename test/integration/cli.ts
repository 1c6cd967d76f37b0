import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LabRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the real CLI in-process, as a user would from the repository root, and captures its output. */
export async function lab(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<LabRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const started = Date.now();
  const code = await main(args, {
    stdout,
    stderr,
    env: { HOME: process.env.HOME, PATH: process.env.PATH, USER: 'root', NO_COLOR: '1', ...env },
    cwd: repoRoot,
  });
  return { code, stdout: stdout.text, stderr: stderr.text, ms: Date.now() - started };
}

/** How long lab took to end after a Ctrl-C (ms); -1 when no signal was sent. */
export interface AfterCtrlC {
  /** From the SIGINT to the exit. */
  afterSignalMs: number;
  /**
   * From when lab said it saw the Ctrl-C ("lab: interrupted; …" on stderr) to the exit; from the
   * SIGINT when it never said so (the signal came as it was ending).
   */
  afterSeenMs: number;
}

/**
 * The promise of docs/exit-codes.md, in words when broken: lab ends within 1 s of the Ctrl-C, from
 * the signal and from when lab saw it. On an overloaded machine (load average above the cores) the
 * scheduler alone delays any program's signal handler, and lab's last work after the Ctrl-C
 * (closing connections, writing the verdict) gets only cores/load of a core: there the bound is
 * taken from when lab saw the Ctrl-C and scaled by load/cores (measured: 1.2-2.0 s after lab saw it
 * at load 7-8 on 2 cores, where a quiet machine takes 0.1-0.8 s), so a hang is still caught.
 */
export function lateAfterCtrlC(r: AfterCtrlC, boundMs = 1_000): string | undefined {
  const load = os.loadavg()[0] ?? 0;
  const cores = os.cpus().length;
  const overloaded = load >= cores;
  const seenBound = overloaded ? Math.round((boundMs * load) / cores) : boundMs;
  if (r.afterSeenMs >= seenBound)
    return `took ${r.afterSeenMs} ms after lab saw the Ctrl-C (${r.afterSignalMs} ms after the signal; bound ${seenBound} ms at load ${load.toFixed(1)} on ${cores} cores)`;
  if (!overloaded && r.afterSignalMs >= boundMs)
    return `took ${r.afterSignalMs} ms after the Ctrl-C on a machine at load ${load.toFixed(1)}`;
  return undefined;
}

/** The time since a signal was sent (`sentAt`) or lab said it saw it (`seenAt`), as AfterCtrlC. */
export function afterCtrlC(sentAt: number, seenAt: number, now = Date.now()): AfterCtrlC {
  return {
    afterSignalMs: sentAt ? now - sentAt : -1,
    afterSeenMs: seenAt || sentAt ? now - (seenAt || sentAt) : -1,
  };
}

/** What bin/lab.js writes on stderr when it sees the first Ctrl-C. */
export const SAW_CTRL_C = 'lab: interrupted';

/**
 * A child lab's exit as a shell sees it: its exit code, or 128 + the signal's number when a signal
 * ended it (SIGKILL 137; SIGINT 130 only before lab's first line ran, see below), else -1.
 * `startup`: a SIGINT before lab's first line ran (Node itself still starting, some 50 ms quiet and
 * several hundred under load) ends Node by the signal, with nothing printed and nothing done; once
 * lab runs, its own handler decides the exit code.
 */
export function exitAsShellSees(
  code: number | null,
  signal: NodeJS.Signals | null,
  output: string,
): { code: number; startup: boolean } {
  const startup = code === null && signal === 'SIGINT' && output === '';
  return { code: code ?? (signal === 'SIGKILL' ? 137 : startup ? 130 : -1), startup };
}

/** bin/lab.js running as its own process (see spawnLab). */
export interface SpawnedLab {
  child: ChildProcess;
  /** Everything it wrote so far. */
  out: { stdout: string; stderr: string };
  /** Its exit as a shell sees it. */
  exited: Promise<{ code: number; startup: boolean }>;
  started: number;
}

/**
 * bin/lab.js as a user runs it: its own process, output to a pipe (plain lines, NO_COLOR). The hooks
 * see each stream's whole output so far, as it grows.
 */
export function spawnLab(
  args: string[],
  on: { stdout?: (all: string) => void; stderr?: (all: string) => void } = {},
): SpawnedLab {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/lab.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => {
    out.stdout += String(d);
    on.stdout?.(out.stdout);
  });
  child.stderr.on('data', (d) => {
    out.stderr += String(d);
    on.stderr?.(out.stderr);
  });
  const exited = new Promise<{ code: number; startup: boolean }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve(exitAsShellSees(code, signal, out.stdout + out.stderr)),
    );
  });
  return { child, out, exited, started };
}
