import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findSamples, forPage, labArgs, structureOf } from '../docs/sample-blocks.js';
import { repoRoot, runLab } from '../docs/run-lab.js';
import { markBoxAsTests } from './box-owner.js';

/**
 * The newcomer's path: the commands of docs/getting-started.md, read from the page's sample markers
 * (so the page and this test cannot drift apart), run in order as a reader runs them — `npx lab …`
 * in a child process from the repository root, starting with `lab box up` — and each output
 * compared with the page's sample line by line (test/docs/sample-blocks.ts says what is set aside:
 * timings, pids, the Docker release, request counts, the order of lines hosts print in parallel).
 *
 * The page starts from no box, so the suite's box is taken down first and brought up again at the
 * end for the files that run after this one. Skipped on a box the tests did not bring up
 * (LAB_TEST_REUSE_BOX=1): that box is someone's, and `lab box down` is among the page's commands.
 */
const PAGE = 'docs/getting-started.md';
const samples = findSamples(readFileSync(path.join(repoRoot, PAGE), 'utf8'));
const stateDir = inject('boxStateDir');
const ours = inject('boxIsTests');

describe(`${PAGE}, as a newcomer runs it`, () => {
  beforeAll(async () => {
    if (ours) expect(runLab(['box', 'down']).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    if (!ours) return;
    runLab(['box', 'down']); // after a failure half-way the page's own `box down` did not run
    const up = runLab(['box', 'up', '--hosts', '2']);
    expect(up.code, up.output).toBe(0);
    await markBoxAsTests(stateDir);
  }, 180_000);

  it('has the getting-started commands, in a newcomer’s order', () => {
    const commands = samples.map((s) => s.command);
    const first = (text: string) => commands.findIndex((c) => c.includes(text));
    const order = [
      'lab box up',
      'lab inventory -i box --check',
      'lab plan macvlan-two-nic',
      'lab run macvlan-two-nic',
      'lab check connectivity',
      'lab down macvlan-two-nic',
      'lab box down',
    ].map(first);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  samples.forEach((sample, index) => {
    it(`${index + 1}. ${sample.command}`, (ctx) => {
      if (!ours) ctx.skip();
      const run = runLab(labArgs(sample.command));
      expect(run.code, run.output).toBe(sample.exit);
      expect(structureOf(forPage(run.output))).toEqual(structureOf(sample.output));
    });
  });
});
