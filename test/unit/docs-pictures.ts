/** How the docs' pictures are drawn: shared by scripts/docs-pictures.ts and the test that checks them. */
import path from 'node:path';
import { loadPlanInputs } from '../../src/cli/plan-inputs.js';
import { planSvg } from '../../src/picture/plan-picture.js';

const root = path.resolve(import.meta.dirname, '../..');

export const DOCS = {
  root,
  scenarios: path.join(root, 'scenarios'),
  pages: path.join(root, 'docs/scenarios'),
  pictures: path.join(root, 'docs/images/scenarios'),
  inventory: path.join(root, 'docs/images/inventory.ini'),
};

export async function docsPicture(name: string): Promise<string> {
  const { plan } = await loadPlanInputs(
    { scenario: name, inventory: DOCS.inventory, scenarios: DOCS.scenarios },
    { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: root },
  );
  return planSvg(plan);
}
