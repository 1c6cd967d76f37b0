import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOX_SCENARIO_VARS } from '../../src/box/scenario-vars.js';
import { DOCS, docsPicture } from './docs-pictures.js';

const names = readdirSync(DOCS.scenarios)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

describe('the pictures in docs/', () => {
  it('are drawn with the box’s inventory shape', () => {
    const text = readFileSync(DOCS.inventory, 'utf8');
    const vars = text
      .slice(text.indexOf('\n[all:vars]\n') + 1)
      .split('\n')
      .slice(1)
      .filter(Boolean);
    expect(vars).toEqual(Object.entries(BOX_SCENARIO_VARS).map(([k, v]) => `${k}=${v}`));
    for (const [, address] of text.matchAll(/ansible_host=(\S+)/g))
      expect(address).toMatch(/^198\.1[89]\./);
  });

  it.each(names)(
    '%s: the page shows the picture, and it is up to date (npm run docs:pictures)',
    async (name) => {
      const page = readFileSync(path.join(DOCS.pages, `${name}.md`), 'utf8');
      expect(page).toContain(`](../images/scenarios/${name}.svg)`);
      const committed = readFileSync(path.join(DOCS.pictures, `${name}.svg`), 'utf8');
      expect(
        committed,
        `docs/images/scenarios/${name}.svg is stale: run npm run docs:pictures`,
      ).toBe(await docsPicture(name));
    },
  );
});
