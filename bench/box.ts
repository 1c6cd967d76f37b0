import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/**
 * A lab command's time, exit code and stdout, whatever its exit code (a FAIL is a result too);
 * `at`: the checkout whose lab runs (default this one).
 */
export async function labRun(
  args: string[],
  at: string = root,
): Promise<{ ms: number; code: number; stdout: string }> {
  const started = performance.now();
  try {
    const { stdout } = await run(process.execPath, [path.join(at, 'bin/lab.js'), ...args], {
      cwd: at,
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

/** The system ssh client's arguments up to the command, as root to a box host (its key, known_hosts). */
export function boxSshArgs(state: BoxState, hostName: string): string[] {
  const h = state.hosts.find((x) => x.name === hostName);
  if (!h) throw new Error(`no box host ${hostName}`);
  return [
    '-i',
    state.clientKey,
    '-o',
    `UserKnownHostsFile=${state.knownHosts}`,
    '-o',
    'BatchMode=yes',
    `root@${h.address}`,
  ];
}

/**
 * What one process costs on this machine: the wall time of a fork and exec of /bin/true inside a
 * box container (busybox sh), in ms, over 300 in a row. lab's probes are processes in containers, so
 * this is the unit their cost is made of; it differs several-fold between machines (a paravirtual
 * guest pays a hypercall per page-table change), which a figure in ms alone would hide.
 */
export async function processCostMs(
  state: BoxState,
  hostName: string,
  container: string,
): Promise<number> {
  const loop =
    'read a _ < /proc/uptime; i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done; read b _ < /proc/uptime; echo $a $b';
  const { stdout } = await run('ssh', [
    ...boxSshArgs(state, hostName),
    `docker exec ${container} sh -c '${loop}'`,
  ]);
  const [a = 0, b = 0] = stdout.trim().split(/\s+/).map(Number);
  return Number((((b - a) * 1000) / 300).toFixed(2));
}

/** CPU time the whole machine spent busy (all cores, ms) since boot, from /proc/stat. */
async function busyMs(): Promise<number> {
  const cpu = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // user nice system idle iowait irq softirq steal …, in USER_HZ (100 per second)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/**
 * `work` with the CPU the machine spent busy meanwhile (every core, every process: lab, sshd,
 * dockerd, the probes; and anything else running, so only a quiet machine's figure is lab's).
 */
export async function withBusyMs<T>(work: () => Promise<T>): Promise<{ value: T; busyMs: number }> {
  const before = await busyMs();
  const value = await work();
  return { value, busyMs: (await busyMs()) - before };
}

/** `lab check connectivity` of a bench's scenario on the box, as JSON; `scenarios`: `--scenarios DIR`. */
export function boxCheckArgs(
  scenario: string,
  scenarios: readonly string[],
  ...extra: string[]
): string[] {
  return [
    'check',
    'connectivity',
    '-i',
    'box',
    '--scenario',
    scenario,
    ...scenarios,
    '--json',
    ...extra,
  ];
}

/** A matrix cell as `lab check --json` gives it: what a by-hand batch needs of it. */
export interface HandCell {
  /** "container@host". */
  source: string;
  kind?: string;
  address: string;
  /** A port cell's port (then probed over TCP with nc). */
  port?: number;
}

/**
 * The same cells by hand, all at once, as a skilled admin would batch them: per host one SSH
 * connection running one `docker exec SRC sh -c '…'` per source at once, each pinging its
 * addresses, looking up its names and connecting to its ports in parallel (ping -c 1 -W 1;
 * nslookup bounded to 1 s; nc -w 1 ADDRESS PORT -e true, busybox nc having no -z). No discovery,
 * no interface binding, no retries, no full-size packets, no words for a failure: a floor of what
 * the probes themselves cost on this machine, where every process is expensive.
 */
export async function handBatch(state: BoxState, cells: readonly HandCell[]): Promise<number> {
  const bySource = new Map<string, HandCell[]>();
  for (const c of cells) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c]);
  const perHost = new Map<string, string[]>();
  for (const [source, list] of bySource) {
    const [container, host] = source.split('@') as [string, string];
    const words = (f: (c: HandCell) => boolean, word: (c: HandCell) => string) =>
      list.filter(f).map(word).join(' ');
    const addresses = words(
      (c) => c.port === undefined && c.kind !== 'name',
      (c) => c.address,
    );
    const names = words(
      (c) => c.kind === 'name',
      (c) => c.address,
    );
    const ports = words(
      (c) => c.port !== undefined,
      (c) => `${c.address}:${c.port}`,
    );
    // One loop per kind that has cells: each starts its tool itself, one process per cell.
    const inner = [
      addresses && `for a in ${addresses}; do ping -c 1 -W 1 $a >/dev/null 2>&1 & done`,
      names && `for n in ${names}; do nslookup -timeout=1 -retry=1 $n >/dev/null 2>&1 & done`,
      ports &&
        `for p in ${ports}; do nc -w 1 \${p%:*} \${p#*:} -e true </dev/null >/dev/null 2>&1 & done`,
      'wait',
    ]
      .filter(Boolean)
      .join('; ');
    perHost.set(host, [
      ...(perHost.get(host) ?? []),
      `docker exec ${container} sh -c '${inner}' &`,
    ]);
  }
  const started = performance.now();
  await Promise.all(
    [...perHost].map(([host, commands]) =>
      run('ssh', [...boxSshArgs(state, host), [...commands, 'wait'].join(' ')]),
    ),
  );
  return performance.now() - started;
}
