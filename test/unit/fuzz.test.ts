/**
 * Fuzzing in CI (issue 10, item 8): 10,000 generated scenarios (mutations of scenarios/ plus random
 * YAML) and 10,000 generated inventories (mutations of inventory/ plus random INI and YAML), fixed
 * seed, each ending in a result or bad input with file and line; never another exception. Each half
 * has a time budget so a loaded machine runs fewer cases instead of timing out; the count run is
 * printed. A failure prints fast-check's seed and path: replay with `npm run fuzz -- --seed S --path P`.
 * Longer runs: `npm run fuzz -- --runs 100000 --seed S`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInventory, checkScenario, inventoryText, scenarioText } from '../fuzz/inputs.js';

const SEED = 20261130;
const RUNS = 10_000;

function settings(budgetMs: number) {
  return {
    seed: SEED,
    numRuns: RUNS,
    interruptAfterTimeLimit: budgetMs,
    markInterruptAsFailure: false,
  };
}

function verdict<T>(name: string, details: fc.RunDetails<T>): void {
  process.stdout.write(
    `fuzz ${name}: ${details.numRuns} cases, seed ${SEED}${details.interrupted ? ' (time budget reached)' : ''}\n`,
  );
  if (details.failed) {
    throw new Error(
      `${fc.defaultReportMessage(details) ?? ''}\nreplay: npm run fuzz -- --only ${name} --seed ${details.seed} --path ${details.counterexamplePath ?? ''} --runs 1`,
    );
  }
  expect(details.numRuns).toBeGreaterThan(0);
}

describe('fuzzing the input edge: bad input, never an internal error', () => {
  it('scenarios', () => {
    verdict(
      'scenarios',
      fc.check(
        fc.property(scenarioText, (t) => void checkScenario(t)),
        settings(35_000),
      ),
    );
  }, 60_000);

  it('inventories, through the public loader', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lab-fuzz-')), 'inventory.ini');
    verdict(
      'inventories',
      await fc.check(
        fc.asyncProperty(inventoryText, async (t) => void (await checkInventory(t, file))),
        settings(20_000),
      ),
    );
  }, 40_000);
});
