import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/scenario/index.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab, repoRoot } from './cli.js';
import { BoxWitness } from './host-state.js';
import { boxVarFlags } from './box-vars.js';
import { SCENARIOS_THAT_DIFFER } from './seed-differences.js';

/** `lab run --all -i box`: every scenario in turn, torn down between, one summary table at the end. */
describe('lab run --all on the box', () => {
  let box: BoxHosts;
  let witness: BoxWitness;

  beforeAll(async () => {
    box = await boxHosts();
    witness = await BoxWitness.open(box);
  });
  afterAll(() => witness.close());

  it('passes end to end, leaves nothing behind, and ends with one summary table', async () => {
    const names = (await listScenarios(`${repoRoot}/scenarios`)).map((s) => s.name);
    const before = await Promise.all(names.map((n) => witness.state(n)));
    const vars = await boxVarFlags(box.state.inventory);
    const r = await lab(['run', '--all', '-i', box.state.inventory, ...vars]);
    process.stderr.write(
      `[run-all] lab run --all -i box: ${(r.ms / 1000).toFixed(1)} s wall time\n`,
    );
    // The header's columns are padded to the longest scenario name.
    const table = r.stdout.slice(r.stdout.search(/^scenario +verdict/m));
    expect(r.code, r.stdout).toBe(0);
    const differ = SCENARIOS_THAT_DIFFER;
    for (const n of names) {
      const verdict = differ.has(n) ? '≠ DIFFERS FROM THE SEED' : '✔ PASS';
      expect(table).toMatch(new RegExp(`^${n} +${verdict} .* clean \\(`, 'm'));
    }
    const passing = names.length - differ.size;
    expect(table).toMatch(
      new RegExp(
        `^${passing} of ${names.length} scenarios pass, ${differ.size} differ from the seed; [0-9.]+ s in all$`,
        'm',
      ),
    );
    for (const [i, n] of names.entries()) {
      expect(await witness.labelled(n)).toEqual([]);
      expect(await witness.state(n)).toEqual(before[i]);
    }
  }, 900_000);
});
