import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boxLayout, DEFAULT_BOX_STATE_DIR } from '../box/layout.js';
import { LabError } from '../common/errors.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/model.js';
import type { CliContext } from './context.js';

/**
 * `-i SOURCE` for every command: an Ansible inventory file or directory, or the special name `box` for the inventory the
 * local test box wrote (`lab box up`). A file that happens to be called `box` is `-i ./box`.
 */
export const BOX_INVENTORY = 'box';

/** Finds the box's inventory file, or throws a LabError saying why there is none. */
export type BoxInventoryResolver = (ctx: CliContext) => string;

/** The box's state directory: $LAB_BOX_DIR (read here, at the CLI edge), else the box's default. */
export function boxStateDir(ctx: CliContext): string {
  const fromEnv = ctx.env['LAB_BOX_DIR'];
  return fromEnv ? path.resolve(ctx.cwd, fromEnv) : DEFAULT_BOX_STATE_DIR;
}

/**
 * `-i box` until src/box exports its own resolver (then pass that one in, or call it from here):
 * `<stateDir>/inventory.ini` when it exists, else "the box is not up".
 */
export const resolveBoxInventory: BoxInventoryResolver = (ctx) => {
  const file = boxLayout(boxStateDir(ctx)).inventory;
  if (!existsSync(file)) {
    throw new LabError('prerequisite', 'the box is not up; run `lab box up`', {
      hint: `-i box reads ${file}, which does not exist${ctx.env['LAB_BOX_DIR'] ? '' : ' (LAB_BOX_DIR names another box state directory)'}`,
    });
  }
  return file;
};

/**
 * The path `-i` names. A relative path is kept as typed (messages then read `inventory/seed.ini:7`)
 * when it means the same file from this process's working directory as from ctx.cwd; otherwise it
 * is made absolute against ctx.cwd.
 */
export function resolveInventoryPath(
  arg: string,
  ctx: CliContext,
  resolveBox: BoxInventoryResolver = resolveBoxInventory,
): string {
  if (arg.trim() === '') {
    throw new LabError('input', '-i names no inventory', {
      hint: 'pass an Ansible inventory (a file or a directory; -i may be repeated): -i inventory/seed.ini, or -i box for the local test box',
    });
  }
  if (arg === BOX_INVENTORY) return resolveBox(ctx);
  const full = path.resolve(ctx.cwd, arg);
  return path.resolve(arg) === full ? arg : full;
}

/** Every `-i` given (it may be repeated, as with ansible-inventory), each resolved as above. */
export function resolveInventoryPaths(
  arg: string | readonly string[],
  ctx: CliContext,
  resolveBox: BoxInventoryResolver = resolveBoxInventory,
): string[] {
  const args = typeof arg === 'string' ? [arg] : [...arg];
  if (args.length === 0) return [resolveInventoryPath('', ctx, resolveBox)];
  return args.map((a) => resolveInventoryPath(a, ctx, resolveBox));
}

/**
 * Resolves `-i` (once or several times) and loads the inventory it names: what every command that
 * takes `-i` does first. HOME, read here at the edge, expands `~` in key and known_hosts paths. The
 * working directory is the playbook directory, as for `ansible` and `ansible-inventory` without a
 * playbook: its group_vars/ and host_vars/ apply too.
 */
export async function loadInventoryArg(
  arg: string | readonly string[],
  ctx: CliContext,
  resolveBox: BoxInventoryResolver = resolveBoxInventory,
): Promise<Inventory> {
  const home = ctx.env['HOME'] ?? os.homedir();
  return loadInventory(resolveInventoryPaths(arg, ctx, resolveBox), {
    cwd: ctx.cwd,
    home,
    playbookDir: ctx.cwd,
  });
}
