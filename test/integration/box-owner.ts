import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readBoxState } from '../../src/box/index.js';

/**
 * Whose box is running. The integration tests bring their own box up and remove it at the end; a box
 * someone brought up by hand (`lab box up`, `npm run demo`) may hold containers they are looking at,
 * so the tests never replace one silently. The tests mark the box they made with a file in its state
 * directory (`lab box down` removes the directory, and with it the mark). A test that rebuilds the box
 * loses the mark: should the run then die before its teardown, the next run refuses the leftover box
 * rather than guess — the safe side.
 */
const TEST_MARK = '.lab-test-box';

export async function markBoxAsTests(stateDir: string): Promise<void> {
  await writeFile(
    path.join(stateDir, TEST_MARK),
    'brought up by the integration tests; they may replace it\n',
  );
}

async function markedAsTests(stateDir: string): Promise<boolean> {
  return access(path.join(stateDir, TEST_MARK)).then(
    () => true,
    () => false,
  );
}

export interface ReplacePolicy {
  /** CI, or LAB_TEST_REPLACE_BOX=1: a running box may be replaced without asking. */
  replaceAllowed: boolean;
}

/**
 * Throws, before anything is changed, when a running box that the tests did not bring up would be
 * replaced. A box that is not running (crashed, half built, leftovers) is not anyone's work: the
 * tests clean it up as `lab box up` would.
 */
export async function refuseForeignBox(stateDir: string, policy: ReplacePolicy): Promise<void> {
  if (policy.replaceAllowed) return;
  const running = await readBoxState(stateDir).catch(() => undefined);
  if (!running || (await markedAsTests(stateDir))) return;
  const hosts = running.hosts.map((h) => h.name).join(', ');
  throw new Error(
    [
      `a box is up (${hosts}, since ${running.createdAt}, state ${stateDir}) that the tests did not bring up.`,
      'The integration tests would replace it with their own and remove it at the end, with whatever runs on it.',
      'Do one of:',
      '  lab box down                       then run the tests again (they bring up and remove their own box);',
      '  LAB_TEST_REUSE_BOX=1 npm test      run against this box as it is and leave it up;',
      '  LAB_TEST_REPLACE_BOX=1 npm test    let the tests replace it (as they do when CI is set).',
    ].join('\n'),
  );
}
