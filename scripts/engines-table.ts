/**
 * Every scenario on each engine the box offers, as a table in docs/podman.md (between its "engines
 * table" markers): per scenario its verdict, claims held, and time on Docker 20.10 (the machine's
 * dockerd), Docker 26.1 and Podman on server1 (`--engine server1=…`: the one-host scenarios meet that
 * engine alone, the two-host ones it and server2's 20.10), then each claim that did not pass, with how
 * it differs.
 *
 * One engine per call, so that a shared machine's box lock is held for one box at a time:
 *   npm run build
 *   flock /tmp/lab-box.lock npx tsx scripts/engines-table.ts --engine 20.10   # then 26.1, podman
 *   npx tsx scripts/engines-table.ts --write                                    # no box
 * `--engine` brings a box up, runs `lab run --all -i box --json`, brings it down (also on failure) and
 * keeps the JSON in .lab/engines/ (ignored by git); `--write` writes the table from the kept runs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, runLab } from '../test/docs/run-lab.js';

interface ClaimJson {
  outcome: string;
  claim?: string;
  from?: { container: string };
  to?: { label: string };
  expect?: string;
  difference?: string;
  seed?: { section: string };
}
interface ScenarioJson {
  scenario: string;
  verdict: string;
  error?: string;
  hosts?: { host: string; error?: { message: string } }[];
  durationMs?: number;
  tally?: {
    expectations: { held: number; total: number };
    assertions: { held: number; total: number };
  };
  checks?: ClaimJson[];
  assertions?: ClaimJson[];
}
interface Kept {
  engine: string;
  label: string;
  exit: number;
  ms: number;
  /** The machine's load average when the run ended: times on a busy machine are noise. */
  load: string;
  suite: { scenarios: ScenarioJson[]; durationMs?: number };
}

const ENGINES: Record<string, { label: string; flags: string[] }> = {
  '20.10': { label: 'Docker 20.10', flags: [] },
  '26.1': { label: 'Docker 26.1', flags: ['--engine', 'server1=26.1'] },
  podman: { label: 'Podman', flags: ['--engine', 'server1=podman'] },
};
const KEPT = path.join(repoRoot, '.lab/engines');
const PAGE = path.join(repoRoot, 'docs/podman.md');
const BEGIN = '<!-- engines table: scripts/engines-table.ts writes from here -->';
const END = '<!-- engines table: to here -->';

const WORD: Record<string, string> = {
  pass: 'PASS',
  differs: 'DIFFERS',
  fail: 'FAIL',
  error: 'ERROR',
  'bad input': 'NOT RUN',
  'bad-input': 'NOT RUN',
  interrupted: 'INTERRUPTED',
};

/** One engine: a box of it, every scenario, the box down (also on failure). */
async function runOn(engine: string): Promise<Kept> {
  const e = ENGINES[engine];
  if (!e) throw new Error(`--engine ${engine}: one of ${Object.keys(ENGINES).join(', ')}`);
  if (runLab(['box', 'status']).code === 0)
    throw new Error('a box is up: bring it down first (`lab box down`); each run starts from none');
  try {
    const up = runLab(['box', 'up', '--hosts', '2', ...e.flags]);
    if (up.code !== 0) throw new Error(`lab box up (${e.label}) exited ${up.code}:\n${up.output}`);
    const run = runLab(['run', '--all', '-i', 'box', '--json'], {}, 1_800_000);
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    process.stderr.write(
      `${e.label}: lab run --all exit ${run.code} (${run.ms} ms, load ${load})\n`,
    );
    // --json: standard output is one document; anything said on standard error comes before it.
    const suite = JSON.parse(run.output.slice(run.output.indexOf('{\n'))) as Kept['suite'];
    return { engine, label: e.label, exit: run.code, ms: run.ms, load, suite };
  } finally {
    runLab(['box', 'down']);
  }
}

function cell(s: ScenarioJson | undefined): string {
  if (!s) return '—';
  const word = WORD[s.verdict] ?? s.verdict.toUpperCase();
  if (!s.tally || s.verdict === 'bad-input' || s.verdict === 'bad input') return word;
  const held = s.tally.expectations.held + s.tally.assertions.held;
  const total = s.tally.expectations.total + s.tally.assertions.total;
  const time = s.durationMs !== undefined ? `, ${(s.durationMs / 1000).toFixed(1)} s` : '';
  return `${word} ${held}/${total}${time}`;
}

function claimText(c: ClaimJson): string {
  if (c.claim) return c.claim;
  const must = c.expect === 'reach' ? 'reaches' : 'does not reach';
  return `${c.from?.container ?? '?'} ${must} ${c.to?.label ?? '?'}`;
}

/** The section: the table, then every claim that did not pass, engine by engine. */
export function enginesTable(runs: Kept[]): string {
  const names = [...new Set(runs.flatMap((r) => r.suite.scenarios.map((s) => s.scenario)))].sort();
  const head = ['scenario', ...runs.map((r) => `${r.label} (server1)`)];
  const rows = names.map((n) => [
    n,
    ...runs.map((r) => cell(r.suite.scenarios.find((s) => s.scenario === n))),
  ]);
  rows.push([
    `all ${names.length}, wall time`,
    ...runs.map((r) => `${(r.ms / 1000).toFixed(0)} s (load ${r.load.split(' ')[0]})`),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
    '',
  ];
  for (const r of runs) {
    out.push(`Not a plain PASS on ${r.label} (exit ${r.exit}):`, '');
    let any = false;
    for (const s of r.suite.scenarios) {
      const refusals = [
        ...(s.error ? [s.error] : []),
        ...(s.hosts ?? []).flatMap((h) => (h.error ? [h.error.message] : [])),
      ];
      for (const why of refusals) {
        const text = why.replace(/\s*\n\s*-?\s*/g, ' ');
        out.push(`- ${s.scenario}: ${WORD[s.verdict] ?? s.verdict}: ${text}`);
        any = true;
      }
      for (const c of [...(s.checks ?? []), ...(s.assertions ?? [])]) {
        if (c.outcome === 'pass') continue;
        any = true;
        const why = c.difference
          ? `how it differs: ${c.difference}`
          : c.seed
            ? `a claim of the seed (${c.seed.section}) not borne out`
            : 'unexplained';
        out.push(`- ${s.scenario}: ${WORD[c.outcome] ?? c.outcome}: ${claimText(c)} — ${why}`);
      }
    }
    if (!any) out.push('- none');
    out.push('');
  }
  return out.join('\n');
}

const args = process.argv.slice(2);
const engine = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : undefined;
await mkdir(KEPT, { recursive: true });
if (engine) {
  const kept = await runOn(engine);
  await writeFile(path.join(KEPT, `${engine}.json`), JSON.stringify(kept));
}
if (args.includes('--write')) {
  const runs: Kept[] = [];
  for (const e of Object.keys(ENGINES)) {
    const text = await readFile(path.join(KEPT, `${e}.json`), 'utf8').catch(() => undefined);
    if (text) runs.push(JSON.parse(text) as Kept);
  }
  const page = await readFile(PAGE, 'utf8');
  const from = page.indexOf(BEGIN);
  const to = page.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${PAGE}: no "${BEGIN}" … "${END}" markers`);
  const section = `${BEGIN}\n\n${enginesTable(runs)}\n${END}`;
  await writeFile(PAGE, page.slice(0, from) + section + page.slice(to + END.length));
  process.stderr.write(`docs/podman.md: table of ${runs.map((r) => r.label).join(', ')}\n`);
}
