import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../common/errors.js';

/** Inventory and vars files larger than this are refused before they are read. */
export const MAX_INVENTORY_FILE_BYTES = 1024 * 1024;

/** The file system as the inventory reader needs it: small, so tests can hand it a fake. */
export interface InventoryFs {
  kind(fullPath: string): 'file' | 'dir' | undefined;
  list(dir: string): string[];
  size(fullPath: string): number;
  read(fullPath: string): string;
}

export const nodeInventoryFs: InventoryFs = {
  kind(fullPath) {
    try {
      const s = statSync(fullPath);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  list: (dir) => readdirSync(dir),
  size: (fullPath) => statSync(fullPath).size,
  read: (fullPath) => readFileSync(fullPath, 'utf8'),
};

/** Reads a file of the inventory (shown as `shown` in messages), refusing one over the size limit. */
export function readInventoryFile(fs: InventoryFs, fullPath: string, shown: string): string {
  try {
    const size = fs.size(fullPath);
    if (size > MAX_INVENTORY_FILE_BYTES) {
      throw new LabError(
        'input',
        `${shown} is ${size} bytes; lab reads inventory files of up to 1 MiB (${MAX_INVENTORY_FILE_BYTES} bytes)`,
        {
          file: shown,
          hint: 'is this the right file? An inventory of thousands of hosts fits well within 1 MiB',
        },
      );
    }
    return fs.read(fullPath);
  } catch (err) {
    if (err instanceof LabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : ((err as Error).message ?? String(err));
    throw new LabError(
      'input',
      `inventory file ${shown} cannot be read: ${why}`,
      { file: shown },
      { cause: err },
    );
  }
}

/**
 * What Ansible skips in an inventory directory (lib/ansible/inventory/manager.py IGNORED with the
 * default INVENTORY_IGNORE_EXTS): hidden names, group_vars/host_vars/vars_plugins, and these endings.
 * Note `.ini`: Ansible ignores INI files inside a directory source, and so does lab.
 */
const IGNORED =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;

/** The inventory files of a directory source, as Ansible picks them: sorted, recursively, ignored names skipped. */
export function inventoryFilesIn(
  fs: InventoryFs,
  dir: string,
  shown: string,
): { full: string; shown: string }[] {
  const out: { full: string; shown: string }[] = [];
  for (const name of fs.list(dir).sort()) {
    if (IGNORED.test(name)) continue;
    const full = path.join(dir, name);
    const kind = fs.kind(full);
    if (kind === 'dir') out.push(...inventoryFilesIn(fs, full, path.join(shown, name)));
    else if (kind === 'file') out.push({ full, shown: path.join(shown, name) });
  }
  return out;
}
