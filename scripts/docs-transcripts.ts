/**
 * Writes docs/transcripts/ from a real run on the box: `lab run --all -i box --transcript-dir
 * docs/transcripts --json`, one transcript per scenario, and docs/transcripts/README.md, which says
 * for each scenario how its claims of the seed came out on the box's Docker (PASS, DIFFERS, FAIL,
 * ERROR) and links its transcript. The box is brought up first and down at the end, also on failure.
 *
 * As root, with nobody else's box up:  flock /tmp/lab-box.lock npx tsx scripts/docs-transcripts.ts
 * (after `npm run build`: it runs bin/lab.js, as a reader would).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, runLab } from '../test/docs/run-lab.js';
import { transcriptsIndex, type SuiteJson } from '../test/docs/transcripts-index.js';

const DIR = path.join(repoRoot, 'docs/transcripts');

if (runLab(['box', 'status']).code === 0)
  throw new Error('a box is up: bring it down first (`lab box down`); the run starts from none');
let code = 0;
try {
  const up = runLab(['box', 'up', '--hosts', '2']);
  if (up.code !== 0) throw new Error(`lab box up exited ${up.code}:\n${up.output}`);
  const run = runLab(
    ['run', '--all', '-i', 'box', '--transcript-dir', DIR, '--json'],
    {},
    1_800_000,
  );
  code = run.code;
  process.stderr.write(`lab run --all: exit ${code} (${run.ms} ms)\n`);
  // --json: standard output is one document; anything said on standard error comes before it.
  const suite = JSON.parse(run.output.slice(run.output.indexOf('{\n'))) as SuiteJson;
  await writeFile(path.join(DIR, 'README.md'), transcriptsIndex(suite));
} finally {
  runLab(['box', 'down']);
}
process.exitCode = code;
