/**
 * Writes the sample output of the docs from a real run on the box: every
 * `<!-- sample: npx lab … -->` block of the pages named (default: getting-started and the tutorial)
 * is replaced by what the command prints now, volatile parts normalised (test/docs/sample-blocks.ts).
 * Each page's commands run in order on a box of their own (the page brings it up; the box is
 * brought down at the end, also on failure). A command whose exit code differs from the page's
 * claim stops the script and changes nothing.
 *
 * As root, with nobody else's box up:  flock /tmp/lab-box.lock npx tsx scripts/docs-samples.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fillSamples, findSamples, forPage, labArgs } from '../test/docs/sample-blocks.js';
import { repoRoot, runLab } from '../test/docs/run-lab.js';

const DEFAULT_PAGES = ['docs/getting-started.md', 'docs/tutorial-first-scenario.md'];

async function refreshPage(page: string): Promise<void> {
  const file = path.resolve(repoRoot, page);
  const text = await readFile(file, 'utf8');
  const samples = findSamples(text);
  if (runLab(['box', 'status']).code === 0)
    throw new Error(
      `a box is up: bring it down first (\`lab box down\`); ${page} starts from none`,
    );
  const outputs: string[][] = [];
  try {
    for (const sample of samples) {
      const run = runLab(labArgs(sample.command));
      process.stderr.write(`${page}: ${sample.command} → exit ${run.code} (${run.ms} ms)\n`);
      if (run.code !== sample.exit)
        throw new Error(
          `${page}: \`${sample.command}\` exited ${run.code}, the page says ${sample.exit}:\n${run.output}`,
        );
      outputs.push(forPage(run.output));
    }
  } finally {
    runLab(['box', 'down']);
  }
  await writeFile(file, fillSamples(text, outputs));
  process.stderr.write(`${page}: ${outputs.length} samples written\n`);
}

const pages = process.argv.slice(2);
for (const page of pages.length > 0 ? pages : DEFAULT_PAGES) await refreshPage(page);
