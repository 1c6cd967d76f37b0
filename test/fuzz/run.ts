/**
 * `npm run fuzz -- --runs N --seed S [--only scenarios|inventories|ssh-config|cli] [--path P]`: the
 * fuzzing of test/unit/fuzz.test.ts for longer. A failure prints its seed and path (fast-check's
 * replay data) and the input.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { startSshServer } from '../fakes/ssh-server.js';
import { checkCli, cliCase, guardConnections, writeCliFixture } from './cli.js';
import { checkInventory, checkScenario, inventoryText, scenarioText } from './inputs.js';
import { checkSshConfig, sshConfigFiles } from './ssh-config.js';

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
const tmp = mkdtempSync(path.join(tmpdir(), 'lab-fuzz-'));
const file = path.join(tmp, 'inventory.ini');
const settings = { numRuns, seed, ...(values.path !== undefined && { path: values.path }) };
const wanted = (name: string) => values.only === undefined || values.only === name;

let failed = 0;
async function report<T>(name: string, run: () => Promise<fc.RunDetails<T>>) {
  if (!wanted(name)) return;
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

const guard = guardConnections(false);
await report('scenarios', async () =>
  fc.check(
    fc.property(scenarioText, (t) => void checkScenario(t)),
    settings,
  ),
);
await report('inventories', () =>
  fc.check(
    fc.asyncProperty(inventoryText, async (t) => void (await checkInventory(t, file))),
    settings,
  ),
);
await report('ssh-config', () =>
  fc.check(
    fc.asyncProperty(sshConfigFiles, async (f) => void (await checkSshConfig(f))),
    settings,
  ),
);
guard.restore();
if (guard.strays.length > 0) {
  failed++;
  process.stdout.write(`connections opened while only parsing: ${guard.strays.join(', ')}\n`);
}
if (wanted('cli')) {
  const server = await startSshServer({ refuseAuth: true });
  const dir = path.join(tmp, 'cli');
  writeCliFixture(dir, server);
  const cli = guardConnections(true);
  await report('cli', () =>
    fc.check(
      fc.asyncProperty(cliCase, async (c) => void (await checkCli(c, dir, server))),
      settings,
    ),
  );
  cli.restore();
  await server.close();
  if (cli.strays.length > 0) {
    failed++;
    process.stdout.write(`connections off loopback: ${cli.strays.join(', ')}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
