/**
 * The fault suite's shared pieces: the box as the cases see it, a witness reading hosts without lab,
 * and the table of cases (case, outcome, time) each file prints at its end, with totals.
 */
import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { realBoxSystem, type BoxSystem } from '../../src/box/index.js';
import { boxHosts, boxStateDir, type BoxHosts } from '../integration/box-hosts.js';
import { lab, repoRoot, type LabRun } from '../integration/cli.js';
import { BoxWitness } from '../integration/host-state.js';

export interface FaultBox {
  box: BoxHosts;
  stateDir: string;
  inventory: string;
  sys: BoxSystem;
  witness: BoxWitness;
}

export async function openFaultBox(): Promise<FaultBox> {
  const box = await boxHosts();
  return {
    box,
    stateDir: boxStateDir(),
    inventory: box.state.inventory,
    sys: realBoxSystem({
      env: process.env,
      isRoot: process.getuid?.() === 0,
      report: (line) => process.stderr.write(`[box] ${line}\n`),
    }),
    witness: await BoxWitness.open(box),
  };
}

/** "eth0 up promisc" for the NICs the shipped scenarios change, on box host i. */
export async function nicFlags(f: FaultBox, i: number): Promise<string[]> {
  const links = await f.witness.links(i);
  return ['eth0', 'eth1'].map((n) => {
    const l = links.get(n);
    return `${n} ${l?.up ? 'up' : 'down'}${l?.promisc ? ' promisc' : ''}`;
  });
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes; says which. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/**
 * bin/lab.js as its own process (output to a pipe: plain lines), for faults that hit lab itself: once
 * `when()` holds (polled), `signal` is sent; the result is the process's like `lab`'s, with the time
 * from the signal to its exit.
 */
export async function labProcess(
  args: string[],
  fault: { signal: NodeJS.Signals; when: () => Promise<boolean>; timeoutMs?: number },
): Promise<LabRun & { signalled: boolean; afterSignalMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/lab.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : -1)));
  });
  let done = false;
  void exited.then(() => (done = true));
  const due = await waitFor(async () => done || (await fault.when()), fault.timeoutMs ?? 60_000);
  const signalled = due && !done;
  const signalAt = Date.now();
  if (signalled) child.kill(fault.signal);
  const code = await exited;
  return {
    code,
    stdout,
    stderr,
    ms: Date.now() - started,
    signalled,
    afterSignalMs: signalled ? Date.now() - signalAt : -1,
  };
}

/** The last non-empty line of a command's output: where lab states its outcome. */
export function lastLine(r: LabRun): string {
  return (r.stdout.trimEnd() || r.stderr.trimEnd()).split('\n').at(-1) ?? '';
}

export { lab, type LabRun };

/** One row per case: what was injected, what lab said (exit code and last line), how long it took. */
export class FaultTable {
  private readonly rows: { name: string; outcome: string; ms: number; ok: boolean }[] = [];

  /** `said` replaces the last line where that is not the outcome (a JSON document's "}"). */
  record(name: string, r: LabRun, ok: boolean, said = lastLine(r)): void {
    this.rows.push({ name, outcome: `exit ${r.code}: ${said}`, ms: r.ms, ok });
  }

  /** The table and the totals, on stderr and (LAB_FAULTS_TABLE=FILE) appended to a file. */
  async print(title: string): Promise<void> {
    const lines = [
      `fault suite: ${title}`,
      ...this.rows.map(
        (r) =>
          `  ${r.ok ? 'true ' : 'FALSE'} ${r.name.padEnd(48)} ${String(r.ms).padStart(6)} ms  ${r.outcome.slice(0, 110)}`,
      ),
      `  ${this.rows.filter((r) => r.ok).length} of ${this.rows.length} with a true outcome; longest ${Math.max(0, ...this.rows.map((r) => r.ms))} ms`,
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    const file = process.env.LAB_FAULTS_TABLE;
    if (file) await appendFile(file, `${lines.join('\n')}\n`);
  }
}
