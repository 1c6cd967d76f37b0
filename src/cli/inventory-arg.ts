import { existsSync } from 'node:fs';
import path from 'node:path';
import { boxLayout, DEFAULT_BOX_STATE_DIR } from '../box/layout.js';
import { LabError } from '../common/errors.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/model.js';
import type { CliContext } from './context.js';

/**
 * `-i FILE` for every command: an Ansible INI file, or the special name `box` for the inventory the
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
      hint: 'pass an Ansible INI inventory: -i inventory/seed.ini, or -i box for the local test box',
    });
  }
  if (arg === BOX_INVENTORY) return resolveBox(ctx);
  const full = path.resolve(ctx.cwd, arg);
  return path.resolve(arg) === full ? arg : full;
}

/** Resolves `-i` and loads the inventory it names: what every command that takes `-i` does first. */
export async function loadInventoryArg(
  arg: string,
  ctx: CliContext,
  resolveBox: BoxInventoryResolver = resolveBoxInventory,
): Promise<Inventory> {
  return loadInventory(resolveInventoryPath(arg, ctx, resolveBox), { cwd: ctx.cwd });
}
