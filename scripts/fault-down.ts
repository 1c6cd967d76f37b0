/**
 * Faults in `lab down` at many seeded points, on a box that is already up, under the box lock:
 *
 *   flock /tmp/lab-box.lock bash -c 'node bin/lab.js box up && npx tsx scripts/fault-down.ts --runs 10 --seed 7; node bin/lab.js box down'
 *
 * Each point deploys the scenario, then runs `lab down` with a Ctrl-C at the point (--fault sigint),
 * with server2's dockerd killed at the point (--fault dockerd), or both kinds and, every third
 * point, dockerd killed as lab down reaches the swarm step (--fault all, the default). The same
 * judgement as test/faults/commands.test.ts (test/faults/down-faults.ts). Needs `npm run build`.
 */
import { parseArgs } from 'node:util';
import { FaultTable, lab, openFaultBox } from '../test/faults/harness.js';
import { sigintPoints } from '../test/faults/sigint-points.js';
import { engineKilledInDown, flagsOf, sigintIntoDown } from '../test/faults/down-faults.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    runs: { type: 'string', default: '10' },
    scenario: { type: 'string', default: 'macvlan-two-nic' },
    fault: { type: 'string', default: 'all' },
  },
});
const seed = Number(values.seed);
const runs = Number(values.runs);
const scenario = values.scenario;
const points = sigintPoints(seed, runs, 2_500);
process.stderr.write(`seed ${seed}, ${runs} points: ${points.join(', ')} ms\n`);

const f = await openFaultBox();
const table = new FaultTable();
await lab(['down', scenario, '-i', f.inventory]);
const before = await flagsOf(f);
let failed = 0;
try {
  for (const [i, at] of points.entries()) {
    const kinds = values.fault === 'all' ? ['sigint', 'dockerd'] : [values.fault];
    if (values.fault === 'all' && i % 3 === 0) kinds.push('swarm');
    for (const kind of kinds) {
      const up = await lab(['run', scenario, '-i', f.inventory]);
      if (up.code !== 0) throw new Error(`lab run did not pass: ${up.stdout}`);
      const { r, problems } =
        kind === 'sigint'
          ? await sigintIntoDown(f, scenario, at, before)
          : await engineKilledInDown(
              f,
              scenario,
              kind === 'swarm' ? { swarmStep: true } : { atMs: Math.floor(at * 0.6) },
              before,
            );
      const name =
        kind === 'sigint'
          ? `SIGINT ${at} ms into lab down`
          : kind === 'swarm'
            ? 'dockerd killed at the swarm step'
            : `dockerd killed ${Math.floor(at * 0.6)} ms into lab down`;
      table.record(name, r, problems.length === 0);
      if (problems.length > 0) {
        failed++;
        process.stderr.write(`${name}: ${problems.join('; ')}\n${r.stdout}\n`);
      }
      const down = await lab(['down', scenario, '-i', f.inventory]);
      if (down.code !== 0 || (await f.witness.labelled(scenario)).length > 0) {
        failed++;
        process.stderr.write(`lab down after ${name} did not clean: ${down.stdout}\n`);
      }
    }
  }
} finally {
  await f.witness.close();
  await table.print(`faults in lab down, seed ${seed}`);
}
process.exitCode = failed > 0 ? 1 : 0;
