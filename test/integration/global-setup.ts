import type { TestProject } from 'vitest/node';
import {
  boxDown,
  boxUp,
  DEFAULT_BOX_STATE_DIR,
  readBoxState,
  realBoxSystem,
} from '../../src/box/index.js';
import { markBoxAsTests, refuseForeignBox } from './box-owner.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running box's state directory (state.json, inventory.ini, known_hosts, id_ed25519). */
    boxStateDir: string;
    /** Its inventory: what `-i box` resolves to. */
    boxInventory: string;
    /** false when the box is someone's, reused as it is (LAB_TEST_REUSE_BOX=1): never take it down. */
    boxIsTests: boolean;
  }
}

/**
 * Brings a fresh 2-host box up for the integration project and removes it afterwards, also when tests
 * fail. "Fresh": whatever box was there goes first, so every run starts from the same state — but a
 * running box the tests did not bring up is never replaced silently (docs/box.md, "The tests and your
 * box"): the run stops before anything changes unless CI or LAB_TEST_REPLACE_BOX=1 allows it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = process.env.LAB_BOX_DIR ?? DEFAULT_BOX_STATE_DIR;
  const sys = realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: (line) => process.stderr.write(`[box] ${line}\n`),
  });
  // LAB_TEST_REUSE_BOX=1 (for developers running one test file while others use the box): take a
  // running 2-host box as it is and leave it up afterwards. CI never sets it.
  if (process.env.LAB_TEST_REUSE_BOX === '1') {
    const running = await readBoxState(stateDir).catch(() => undefined);
    if (running && running.hosts.length >= 2) {
      process.stderr.write(`[box] reusing the running box (LAB_TEST_REUSE_BOX=1)\n`);
      project.provide('boxStateDir', stateDir);
      project.provide('boxInventory', running.inventory);
      project.provide('boxIsTests', false);
      return async () => {};
    }
  }
  await refuseForeignBox(stateDir, {
    replaceAllowed: isSet(process.env.CI) || process.env.LAB_TEST_REPLACE_BOX === '1',
  });
  await boxDown(sys, stateDir);
  const started = Date.now();
  const result = await boxUp(sys, { stateDir, hostCount: 2 });
  process.stderr.write(
    `[box] up with ${result.state.hosts.length} hosts in ${Date.now() - started} ms\n`,
  );
  await markBoxAsTests(stateDir);
  project.provide('boxStateDir', stateDir);
  project.provide('boxInventory', result.state.inventory);
  project.provide('boxIsTests', true);
  return async () => {
    const down = await boxDown(sys, stateDir);
    process.stderr.write(`[box] down in ${down.durationMs} ms\n`);
  };
}

/** CI systems set CI=true (GitHub, GitLab) or CI=1; CI=false and CI=0 mean "not CI". */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
