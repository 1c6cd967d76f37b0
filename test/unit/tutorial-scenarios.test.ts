import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lab } from '../integration/cli.js';
import { findSamples } from '../docs/sample-blocks.js';

/**
 * The tutorial's scenario files stay valid, and its mistakes stay mistakes with the message the page
 * shows: `lab plan` (no host contacted) on each, in-process, with the seed's inventory.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = 'docs/tutorial';
const yamlIn = (dir: string) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `${dir}/${f}`);

/** `lab plan FILE` in-process (the CLI helper of the integration tests; no host is contacted). */
async function plan(file: string): Promise<{ code: number; output: string }> {
  const run = await lab(['plan', file, '-i', 'inventory/seed.ini']);
  return { code: run.code, output: run.stdout + run.stderr };
}

const page = readFileSync(path.join(root, 'docs/tutorial-first-scenario.md'), 'utf8');
const shown = findSamples(page);

describe('the tutorial’s scenarios', () => {
  it.each(yamlIn(DIR))('%s plans without a problem', async (file) => {
    const { code, output } = await plan(file);
    expect(code, output).toBe(0);
    expect(page).toContain(`](tutorial/${path.basename(file)})`);
  });

  it('shows step 1 exactly as its file has it (after the file’s first comment line)', () => {
    const file = readFileSync(path.join(root, DIR, 'first-bridge.yaml'), 'utf8');
    expect(page).toContain('```yaml\n' + file.split('\n').slice(1).join('\n') + '```');
  });

  it.each(yamlIn(`${DIR}/mistakes`))('%s is still the mistake the page shows', async (file) => {
    const sample = shown.find((s) => s.command.includes(file));
    expect(sample, `the tutorial shows no run of ${file}`).toBeDefined();
    const { code, output } = await plan(file);
    if (code === 0) {
      // A mistake only the host can see (preflight): the page shows lab run refusing it.
      expect(sample!.exit).not.toBe(0);
      expect(sample!.output.join('\n')).toMatch(/nothing was changed/);
      return;
    }
    expect(code).toBe(sample!.exit);
    expect(output.split('\n')[0]).toBe(sample!.output[0]);
  });
});
