/**
 * `npm run docs:pictures`: draws each docs/scenarios/NAME.md page's picture, docs/images/scenarios/
 * NAME.svg, from scenarios/NAME.yaml with the docs' fixed two-host inventory (the box's shape). A
 * unit test (test/unit/docs-pictures.test.ts) fails when a committed picture is not what this draws.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { docsPicture, DOCS } from '../test/unit/docs-pictures.js';

const names = readdirSync(DOCS.scenarios)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));
for (const name of names) {
  const file = path.join(DOCS.pictures, `${name}.svg`);
  writeFileSync(file, await docsPicture(name));
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}
