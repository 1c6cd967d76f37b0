/**
 * The fault suite's shared pieces: the box as the cases see it, a witness reading hosts without lab,
 * and the table of cases (case, outcome, time) each file prints at its end, with totals.
 */
import { appendFile } from 'node:fs/promises';
import { realBoxSystem, type BoxSystem } from '../../src/box/index.js';
import { boxHosts, boxStateDir, type BoxHosts } from '../integration/box-hosts.js';
import { lab, type LabRun } from '../integration/cli.js';
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
