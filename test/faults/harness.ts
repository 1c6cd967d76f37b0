/**
 * The fault suite's shared pieces: the box as the cases see it, a witness reading hosts without lab,
 * and the table of cases (case, outcome, time) each file prints at its end, with totals.
 */
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { killEngine, realBoxSystem, startEngine, type BoxSystem } from '../../src/box/index.js';
import { boxLayout } from '../../src/box/layout.js';
import { boxHosts, boxStateDir, type BoxHosts } from '../integration/box-hosts.js';
import {
  afterCtrlC,
  lab,
  SAW_CTRL_C,
  spawnLab,
  type AfterCtrlC,
  type LabRun,
} from '../integration/cli.js';
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
): Promise<LabRun & AfterCtrlC & { signalled: boolean; startup: boolean }> {
  let seenAt = 0;
  const run = spawnLab(args, {
    stderr: (all) => {
      if (!seenAt && all.includes(SAW_CTRL_C)) seenAt = Date.now();
    },
  });
  let done = false;
  void run.exited.then(() => (done = true));
  const due = await waitFor(async () => done || (await fault.when()), fault.timeoutMs ?? 60_000);
  const signalled = due && !done;
  const signalAt = Date.now();
  if (signalled) run.child.kill(fault.signal);
  const { code, startup } = await run.exited;
  return {
    code,
    ...run.out,
    ms: Date.now() - run.started,
    signalled,
    startup,
    ...afterCtrlC(signalled ? signalAt : 0, seenAt),
  };
}

/**
 * bin/lab.js as its own process, run to its end, for a case whose outcome depends on that process
 * being gone afterwards: a stale host lock is taken over only from a lab whose pid is gone, and `lab`
 * in-process shares the test's pid, which never goes.
 */
export async function labInOwnProcess(args: string[]): Promise<LabRun> {
  const run = spawnLab(args);
  const { code } = await run.exited;
  return { code, ...run.out, ms: Date.now() - run.started };
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

/**
 * The parents of box host i a macvlan network can be made on now, tried through the witness (made
 * and removed at once): the refusals, in Docker's words. Empty when nothing is in the next run's way.
 */
export async function parentRefusals(
  f: FaultBox,
  i: number,
  parents: readonly string[] = ['eth0', 'eth1'],
): Promise<string[]> {
  const engine = f.witness.engines[i]!;
  const refusals: string[] = [];
  for (const parent of parents) {
    try {
      const id = await engine.createNetwork({
        name: `faults-parent-${parent}`,
        driver: 'macvlan',
        options: { parent },
        labels: {},
      });
      await engine.removeNetwork(id);
    } catch (err) {
      refusals.push(`${parent}: ${(err as Error).message}`);
    }
  }
  return refusals;
}

/**
 * What lab's hint says to do about a network a crashed engine still holds without listing it: the
 * engine stopped, its network store deleted, the engine started again (the box's own engine only).
 */
export async function forgetEngineNetworks(f: FaultBox, host: string): Promise<void> {
  await killEngine(f.sys, f.stateDir, host);
  const store = path.join(
    boxLayout(f.stateDir).host(host).dockerDataRoot,
    'network/files/local-kv.db',
  );
  await rm(store, { force: true });
  await startEngine(f.sys, f.stateDir, host);
}
