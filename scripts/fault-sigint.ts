/**
 * Ctrl-C at many seeded random points of `lab run`, on a box that is already up (`lab box up`),
 * under the box lock:
 *
 *   flock /tmp/lab-box.lock bash -c 'node bin/lab.js box up && npx tsx scripts/fault-sigint.ts --runs 50 --seed 7; node bin/lab.js box down'
 *
 * The fault suite (test/faults/mid-run.test.ts) runs the same case at 2 points with seed 20261130;
 * a seed and count printed by either replays the same points. Needs `npm run build` (bin/lab.js).
 */
import { parseArgs } from 'node:util';
import { FaultTable, nicFlags, openFaultBox } from '../test/faults/harness.js';
import { sigintAt, sigintPoints } from '../test/faults/sigint-points.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    runs: { type: 'string', default: '20' },
    scenario: { type: 'string', default: 'macvlan-two-nic' },
  },
});
const seed = Number(values.seed);
const runs = Number(values.runs);
const points = sigintPoints(seed, runs);
process.stderr.write(`seed ${seed}, ${runs} points: ${points.join(', ')} ms\n`);

const f = await openFaultBox();
const table = new FaultTable();
const before = [await nicFlags(f, 0), await nicFlags(f, 1)];
let failed = 0;
try {
  for (const at of points) {
    const p = await sigintAt(f, values.scenario, at, before);
    table.record(`SIGINT ${at} ms into lab run`, p.run, p.problems.length === 0);
    if (p.problems.length > 0) {
      failed++;
      process.stderr.write(`SIGINT at ${at} ms: ${p.problems.join('; ')}\n${p.run.stdout}\n`);
    }
  }
} finally {
  await f.witness.close();
  await table.print(`Ctrl-C at random points, seed ${seed}`);
}
process.exitCode = failed > 0 ? 1 : 0;
