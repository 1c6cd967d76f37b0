/**
 * `--var` flags for variables a running box's inventory may predate (a box brought up before the
 * variable existed, reused with LAB_TEST_REUSE_BOX=1): the values a fresh box would write. A fresh
 * box's inventory has them all, and then no flag is added.
 */
import { readFile } from 'node:fs/promises';
import { BOX_SCENARIO_VARS } from '../../src/box/scenario-vars.js';

export async function boxVarFlags(inventory: string): Promise<string[]> {
  const text = await readFile(inventory, 'utf8');
  return Object.entries(BOX_SCENARIO_VARS)
    .filter(([k]) => !new RegExp(`^${k}=`, 'm').test(text))
    .flatMap(([k, v]) => ['--var', `${k}=${v}`]);
}
