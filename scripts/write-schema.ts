/**
 * `npm run schema:write`: schema/scenario.schema.json, the scenario format for editors, from the zod
 * schema the loader uses (src/scenario/json-schema.ts). A unit test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { scenarioJsonSchema } from '../src/scenario/json-schema.js';

const file = path.resolve(import.meta.dirname, '../schema/scenario.schema.json');
// Formatted as the repository's other files are (npm run lint checks them all).
writeFileSync(file, await format(JSON.stringify(scenarioJsonSchema()), { parser: 'json' }));
process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
