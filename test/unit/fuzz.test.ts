/**
 * Fuzzing in CI (issue 10, item 8): 10,000 generated scenarios (mutations of scenarios/ plus random
 * YAML) and 10,000 generated inventories (mutations of inventory/ plus random INI and YAML), fixed
 * seed, each ending in a result or bad input with file and line; never another exception, and never
 * a connection opened (every socket this process opens is counted). Beside them, ssh_config files
 * (with Include) routed for inventory hosts, and `lab run` command lines with fuzzed flag values
 * against an in-process SSH server that records every login tried: bad input, no login.
 *
 * Each half has a time budget only so a developer's loaded machine cannot hang on it: the budgets
 * are about 8 times what a quiet machine needs beside the other unit files, and under CI every
 * property must run its full count (a run cut short by its budget fails there). A failure prints
 * fast-check's seed and path: replay with `npm run fuzz -- --seed S --path P`. Longer runs:
 * `npm run fuzz -- --runs 100000 --seed S`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshServer, type TestSshServer } from '../fakes/ssh-server.js';
import { checkCli, cliCase, guardConnections, writeCliFixture } from '../fuzz/cli.js';
import { checkInventory, checkScenario, inventoryText, scenarioText } from '../fuzz/inputs.js';
import { checkSshConfig, sshConfigFiles } from '../fuzz/ssh-config.js';

const SEED = 20261130;
const RUNS = 10_000;
const SSH_CONFIG_RUNS = 3_000;
const CLI_RUNS = 300;
const MUST_FINISH = Boolean(process.env['CI']);

function settings(numRuns: number, budgetMs: number) {
  return {
    seed: SEED,
    numRuns,
    interruptAfterTimeLimit: budgetMs,
    markInterruptAsFailure: false,
  };
}

function verdict<T>(name: string, runs: number, details: fc.RunDetails<T>): void {
  process.stdout.write(
    `fuzz ${name}: ${details.numRuns} cases, seed ${SEED}${details.interrupted ? ' (time budget reached)' : ''}\n`,
  );
  if (details.failed) {
    throw new Error(
      `${fc.defaultReportMessage(details) ?? ''}\nreplay: npm run fuzz -- --only ${name} --seed ${details.seed} --path ${details.counterexamplePath ?? ''} --runs 1`,
    );
  }
  expect(details.numRuns).toBeGreaterThan(0);
  if (MUST_FINISH) expect(details.numRuns, `${name}: cut short by its time budget`).toBe(runs);
}

/** Every socket the parse-only properties open (there must be none). */
let guard: ReturnType<typeof guardConnections>;
beforeAll(() => {
  guard = guardConnections(false);
});
afterAll(() => guard.restore());

describe('fuzzing the input edge: bad input, never an internal error, no host contacted', () => {
  it('scenarios', () => {
    verdict(
      'scenarios',
      RUNS,
      fc.check(
        fc.property(scenarioText, (t) => void checkScenario(t)),
        settings(RUNS, 150_000),
      ),
    );
    expect(guard.strays).toEqual([]);
  }, 180_000);

  it('inventories, through the public loader', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lab-fuzz-')), 'inventory.ini');
    verdict(
      'inventories',
      RUNS,
      await fc.check(
        fc.asyncProperty(inventoryText, async (t) => void (await checkInventory(t, file))),
        settings(RUNS, 150_000),
      ),
    );
    expect(guard.strays).toEqual([]);
  }, 180_000);

  it('ssh_config files (Include followed), routing inventory hosts', async () => {
    verdict(
      'ssh-config',
      SSH_CONFIG_RUNS,
      await fc.check(
        fc.asyncProperty(sshConfigFiles, async (f) => void (await checkSshConfig(f))),
        settings(SSH_CONFIG_RUNS, 60_000),
      ),
    );
    expect(guard.strays).toEqual([]);
  }, 90_000);
});

describe('fuzzing lab run’s command line against an SSH server that refuses every login', () => {
  let server: TestSshServer;
  let cli: ReturnType<typeof guardConnections>;
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-fuzz-cli-'));
  beforeAll(async () => {
    guard.restore();
    server = await startSshServer({ refuseAuth: true });
    writeCliFixture(dir, server);
    cli = guardConnections(true);
  });
  afterAll(async () => {
    cli.restore();
    await server.close();
  });

  it('flag values, ssh_configs and scenarios: exit 2 with no login tried, never a crash', async () => {
    const codes = new Map<number, number>();
    verdict(
      'cli',
      CLI_RUNS,
      await fc.check(
        fc.asyncProperty(cliCase, async (c) => {
          const code = await checkCli(c, dir, server);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
        settings(CLI_RUNS, 120_000),
      ),
    );
    process.stdout.write(`fuzz cli: exit codes ${JSON.stringify(Object.fromEntries(codes))}\n`);
    expect(cli.strays).toEqual([]);
    // Both sides were reached: bad input refused, and valid command lines that did try to log in.
    expect(codes.get(2) ?? 0).toBeGreaterThan(0);
    expect(codes.get(3) ?? 0).toBeGreaterThan(0);
  }, 150_000);
});
