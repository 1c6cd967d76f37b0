import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import type { Inventory } from './model.js';
import { parseInventory } from './parse.js';

const WHICH_INVENTORY =
  'pass an Ansible INI inventory with -i: -i inventory/seed.ini for the seed lab, or -i box for the local test box';

/**
 * Reads and parses an inventory file. A relative `file` is read from `options.cwd` (default: the
 * process's working directory) and reported as given, so messages say `inventory/seed.ini:7`.
 */
export async function loadInventory(
  file: string,
  options: { cwd?: string } = {},
): Promise<Inventory> {
  const fullPath = path.resolve(options.cwd ?? process.cwd(), file);
  const shown = fullPath === file ? file : `${file} (${fullPath})`;
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `inventory file ${shown} does not exist`
        : code === 'EISDIR'
          ? `inventory ${shown} is a directory; lab reads one INI file (inventory directories are not supported)`
          : code === 'EACCES' || code === 'EPERM'
            ? `inventory file ${shown} cannot be read: permission denied`
            : `inventory file ${shown} cannot be read: ${(err as Error).message}`;
    throw new LabError('input', message, { hint: WHICH_INVENTORY }, { cause: err });
  }
  return parseInventory(text, file);
}
