/**
 * `npm run fuzz -- --runs N --seed S [--only scenarios|inventories]`: the fuzzing of test/unit/fuzz.test.ts
 * for longer. A failure prints its seed and path (fast-check's replay data) and the input.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkInventory, checkScenario, inventoryText, scenarioText } from './inputs.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    only: { type: 'string' },
    path: { type: 'string' },
  },
});
const numRuns = Number(values.runs);
const seed = Number(values.seed);
const file = path.join(mkdtempSync(path.join(tmpdir(), 'lab-fuzz-')), 'inventory.ini');
const settings = { numRuns, seed, ...(values.path !== undefined && { path: values.path }) };

let failed = 0;
async function report<T>(name: string, run: () => Promise<fc.RunDetails<T>>) {
  const started = performance.now();
  const details = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${name}: ${details.numRuns} cases in ${seconds} s, seed ${seed}\n`);
  if (details.failed) {
    failed++;
    process.stdout.write(
      `${fc.defaultReportMessage(details) ?? ''}\nreplay: npm run fuzz -- --only ${name} --seed ${details.seed} --path ${details.counterexamplePath ?? ''} --runs 1\n`,
    );
  }
}

if (values.only !== 'inventories') {
  await report('scenarios', async () =>
    fc.check(
      fc.property(scenarioText, (t) => void checkScenario(t)),
      settings,
    ),
  );
}
if (values.only !== 'scenarios') {
  await report('inventories', () =>
    fc.check(
      fc.asyncProperty(inventoryText, async (t) => void (await checkInventory(t, file))),
      settings,
    ),
  );
}
process.exitCode = failed === 0 ? 0 : 1;
