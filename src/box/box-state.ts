import { access } from 'node:fs/promises';
import { LabError } from '../common/errors.js';
import { boxLayout, DEFAULT_BOX_STATE_DIR } from './layout.js';
import { anchorTag } from './network/names.js';
import { isPlausiblyOurs, procfs, type ProcessTable } from './system/processes.js';
import { readStateFile, type BoxState } from './state.js';

/**
 * How the rest of lab finds the box: its state (hosts, addresses, each host's Docker socket from the
 * machine and nsenter prefix) and its inventory for `-i box`. Both fail with a LabError that says to
 * run `lab box up` when there is no running box.
 */
export async function readBoxState(
  stateDir: string = DEFAULT_BOX_STATE_DIR,
  procs: ProcessTable = procfs,
): Promise<BoxState> {
  const file = boxLayout(stateDir).stateFile;
  const read = await readStateFile(file);
  if (read.kind === 'absent') {
    throw new LabError('input', 'the box is not up', {
      file,
      hint: 'run `lab box up` (as root) first',
    });
  }
  if (read.kind === 'stale') {
    throw new LabError('input', `the box state is unreadable (${read.reason})`, {
      file,
      hint: 'run `lab box up`: it cleans up and starts a fresh box',
    });
  }
  const dead: string[] = [];
  for (const host of read.state.hosts) {
    if (!isPlausiblyOurs(await procs.inspect(host.anchor.pid), host.anchor, anchorTag(host.name)))
      dead.push(host.name);
  }
  if (dead.length > 0) {
    throw new LabError('input', `the box is down: ${dead.join(', ')} no longer running`, {
      file,
      hint: 'run `lab box up`: it cleans up and starts the box again',
    });
  }
  return read.state;
}

/** `-i box` → the running box's inventory.ini. */
export async function resolveBoxInventory(
  stateDir: string = DEFAULT_BOX_STATE_DIR,
  procs: ProcessTable = procfs,
): Promise<string> {
  const state = await readBoxState(stateDir, procs);
  await access(state.inventory).catch((err: unknown) => {
    throw new LabError(
      'input',
      'the box inventory is missing',
      { file: state.inventory, hint: 'run `lab box up`' },
      { cause: err },
    );
  });
  return state.inventory;
}

/** The inventory argument that means "the local box". */
export const BOX_INVENTORY_ALIAS = 'box';
