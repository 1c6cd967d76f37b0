/**
 * How each claim of the seed comes out on each Docker release the box offers, written into
 * docs/seed-claims.md (its generated section, between the "per engine" markers): for 20.10 (the
 * machine's dockerd) and 26.1 (`--engine`), a box with every host on that release, `lab run --all -i
 * box --json`, the box down; then per register row PASS / DIFFERS / SPLIT / FAIL on each.
 * `--transcripts` also writes docs/transcripts/ from the 20.10 run (as scripts/docs-transcripts.ts).
 * `--from-json DIR` writes the section from saved runs (DIR/20.10.json, DIR/26.1.json) with no box.
 * The runs' JSON is kept in .lab/seed-claims/ (ignored by git) either way.
 *
 * As root, with nobody else's box up (two boxes one after the other, about 8 minutes):
 *   npm run build && flock /tmp/lab-box.lock npx tsx scripts/seed-claims-engines.ts [--transcripts]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, runLab } from '../test/docs/run-lab.js';
import {
  enginesSection,
  registerRows,
  withEnginesSection,
  type EngineRun,
} from '../test/docs/seed-register.js';
import { transcriptsIndex, type SuiteJson } from '../test/docs/transcripts-index.js';

const RELEASES = [
  { release: '20.10', engine: undefined },
  { release: '26.1', engine: '26.1' },
] as const;
const REGISTER = path.join(repoRoot, 'docs/seed-claims.md');
const TRANSCRIPTS = path.join(repoRoot, 'docs/transcripts');
const SAVED = path.join(repoRoot, '.lab/seed-claims');

const args = process.argv.slice(2);
const fromJson = args.includes('--from-json') ? args[args.indexOf('--from-json') + 1] : undefined;
const transcripts = args.includes('--transcripts');

/** One release: a box of it, every scenario, the box down (also on failure). */
function runOn(release: string, engine: string | undefined, withTranscripts: boolean): SuiteJson {
  if (runLab(['box', 'status']).code === 0)
    throw new Error('a box is up: bring it down first (`lab box down`); each run starts from none');
  try {
    const engines = engine
      ? ['--engine', `server1=${engine}`, '--engine', `server2=${engine}`]
      : [];
    const up = runLab(['box', 'up', '--hosts', '2', ...engines]);
    if (up.code !== 0) throw new Error(`lab box up (${release}) exited ${up.code}:\n${up.output}`);
    const run = runLab(
      [
        'run',
        '--all',
        '-i',
        'box',
        '--json',
        ...(withTranscripts ? ['--transcript-dir', TRANSCRIPTS] : []),
      ],
      {},
      1_800_000,
    );
    process.stderr.write(`Docker ${release}: lab run --all exit ${run.code} (${run.ms} ms)\n`);
    // --json: standard output is one document; anything said on standard error comes before it.
    return JSON.parse(run.output.slice(run.output.indexOf('{\n'))) as SuiteJson;
  } finally {
    runLab(['box', 'down']);
  }
}

const runs: EngineRun[] = [];
await mkdir(SAVED, { recursive: true });
for (const { release, engine } of RELEASES) {
  const suite = fromJson
    ? (JSON.parse(await readFile(path.join(fromJson, `${release}.json`), 'utf8')) as SuiteJson)
    : runOn(release, engine, transcripts && engine === undefined);
  if (!fromJson) await writeFile(path.join(SAVED, `${release}.json`), JSON.stringify(suite));
  if (transcripts && engine === undefined && !fromJson)
    await writeFile(path.join(TRANSCRIPTS, 'README.md'), transcriptsIndex(suite));
  runs.push({ release, suite });
}
const text = await readFile(REGISTER, 'utf8');
await writeFile(REGISTER, withEnginesSection(text, enginesSection(registerRows(text), runs)));
process.stderr.write(`${path.relative(repoRoot, REGISTER)}: per-engine section written\n`);
// The page is checked by prettier (npm run lint): the generated table is aligned as it would be.
spawnSync(path.join(repoRoot, 'node_modules/.bin/prettier'), ['--write', REGISTER], {
  stdio: 'inherit',
});
