import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  boxDown,
  boxUp,
  DEFAULT_BOX_STATE_DIR,
  readBoxState,
  realBoxSystem,
  type BoxState,
} from '../src/box/index.js';
import { connectHost } from '../src/ssh/connect.js';
import type { SshStats } from '../src/ssh/stats.js';

/** A box of `hosts` hosts for a benchmark: the running one if it has that size, else a fresh one. */
export async function ensureBox(
  hosts: number,
): Promise<{ state: BoxState; madeByUs: boolean; down: () => Promise<void> }> {
  const stateDir = process.env.LAB_BOX_DIR ?? DEFAULT_BOX_STATE_DIR;
  const sys = realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: () => {},
  });
  let state = await readBoxState(stateDir).catch(() => undefined);
  let madeByUs = false;
  if (!state || state.hosts.length !== hosts) {
    await boxDown(sys, stateDir);
    state = (await boxUp(sys, { stateDir, hostCount: hosts })).state;
    madeByUs = true;
  }
  return { state, madeByUs, down: async () => void (await boxDown(sys, stateDir)) };
}

export async function writeResult(name: string, result: unknown): Promise<string> {
  const dir = path.join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

/** `lab ARGS --json` as a user runs it (a new node process), timed, with its JSON output. */
export async function labCli(
  args: string[],
): Promise<{ ms: number; json: Record<string, unknown> }> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'bin/lab.js'), ...args, '--json'],
    { cwd: root },
  );
  return { ms: performance.now() - started, json: JSON.parse(stdout) as Record<string, unknown> };
}

/** A lab command's time, exit code and stdout, whatever its exit code (a FAIL is a result too). */
export async function labRun(
  args: string[],
): Promise<{ ms: number; code: number; stdout: string }> {
  const started = performance.now();
  try {
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/lab.js'), ...args], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { ms: performance.now() - started, code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { ms: performance.now() - started, code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
}

/** One SSH connection to a box host, as lab makes it: root, the box's key, its known_hosts. */
export function connectBoxHost(
  state: BoxState,
  host: { name: string; address: string },
  stats: SshStats,
): ReturnType<typeof connectHost> {
  return connectHost(
    {
      host: host.name,
      address: host.address,
      port: 22,
      user: 'root',
      privateKeyFile: state.clientKey,
      become: false,
      knownHostsFile: state.knownHosts,
    },
    { knownHostsFile: state.knownHosts, acceptNewHostKeys: false, readyTimeoutMs: 10_000, stats },
  );
}

/** `lab run NAME ARGS --json`, which must PASS: its time as a user sees it and lab's own. */
export async function labRunPassing(
  name: string,
  args: string[],
): Promise<{ ms: number; engineMs: number }> {
  const r = await labCli(['run', name, ...args]);
  if (r.json['verdict'] !== 'pass') throw new Error(`${name}: ${String(r.json['verdict'])}`);
  return { ms: Math.round(r.ms), engineMs: Number(r.json['durationMs']) };
}
