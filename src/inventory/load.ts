import path from 'node:path';
import { LabError } from '../common/errors.js';
import { InventoryData } from './data.js';
import { inventoryFilesIn, nodeInventoryFs, readInventoryFile, type InventoryFs } from './files.js';
import { readHostList } from './host-list.js';
import { readIni } from './ini.js';
import type { Inventory } from './model.js';
import { resolveInventory } from './resolve.js';
import { VarsFiles } from './vars-files.js';
import { readYamlInventory } from './yaml-inventory.js';
import { loadYaml } from './yaml-load.js';

const WHICH_INVENTORY =
  'pass an Ansible inventory with -i (a file, a directory, or several -i): -i inventory/seed.ini for the seed lab, or -i box for the local test box';

export interface LoadOptions {
  /** Relative sources are read from here (default: the process's working directory). */
  cwd?: string;
  /** The home directory for `~` in key and known_hosts paths (default: none, and `~` is an error). */
  home?: string;
  /**
   * The playbook directory whose group_vars/ and host_vars/ apply after the sources' (relative to
   * cwd). `ansible` and `ansible-inventory` use their working directory; the CLI passes its own.
   * Default: none.
   */
  playbookDir?: string;
  fs?: InventoryFs;
}

/**
 * Reads inventory sources as `ansible-inventory -i A -i B` would: each a file (YAML by extension
 * `.yml`/`.yaml`/`.json`, or without extension when it reads as a YAML mapping; INI otherwise), a
 * directory of such files, or a comma-separated host list; then group_vars/ and host_vars/ beside
 * each. A relative source is reported as given, so messages say `inventory/seed.ini:7`.
 */
export async function loadInventory(
  sources: string | readonly string[],
  options: LoadOptions = {},
): Promise<Inventory> {
  const list = typeof sources === 'string' ? [sources] : [...sources];
  const cwd = options.cwd ?? process.cwd();
  const fs = options.fs ?? nodeInventoryFs;
  try {
    const playbookDir =
      options.playbookDir === undefined ? undefined : path.resolve(cwd, options.playbookDir);
    return readSources(list, { cwd, fs, home: options.home, playbookDir });
  } catch (err) {
    if (err instanceof RangeError) {
      throw new LabError(
        'input',
        `the inventory ${list.join(', ')} is nested too deeply to read`,
        { hint: 'groups or values nest thousands of levels deep; flatten them' },
        { cause: err },
      );
    }
    throw err;
  }
}

function readSources(
  list: string[],
  where: {
    cwd: string;
    fs: InventoryFs;
    home: string | undefined;
    playbookDir: string | undefined;
  },
): Inventory {
  const { cwd, fs, home, playbookDir } = where;
  const data = new InventoryData();
  const basedirs: string[] = [];
  for (const source of list) {
    const full = path.resolve(cwd, source);
    const kind = fs.kind(full);
    if (kind === 'dir') {
      basedirs.push(full);
      for (const f of inventoryFilesIn(fs, full, source)) readFile(data, fs, f.full, f.shown);
    } else if (kind === 'file') {
      basedirs.push(path.dirname(full));
      readFile(data, fs, full, source);
    } else if (source.includes(',')) {
      readHostList(data, source);
    } else {
      const shown = full === source ? source : `${source} (${full})`;
      throw new LabError('input', `inventory file ${shown} does not exist`, {
        hint: WHICH_INVENTORY,
      });
    }
  }
  data.reconcile();
  const show = (p: string): string => {
    const rel = path.relative(cwd, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
  };
  return resolveInventory(data, {
    file: list.join(', '),
    sources: list,
    basedirs,
    playbookDir,
    varsFiles: new VarsFiles(fs, show),
    home,
  });
}

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Ansible tries its yaml plugin first (by extension, or for a file without one), then ini. */
function readFile(data: InventoryData, fs: InventoryFs, full: string, shown: string): void {
  const text = readInventoryFile(fs, full, shown);
  const ext = path.extname(full);
  if (YAML_EXTENSIONS.includes(ext) || (ext === '' && readsAsYamlMapping(text, shown))) {
    readYamlInventory(data, text, shown);
  } else {
    readIni(data, text, shown);
  }
}

function readsAsYamlMapping(text: string, shown: string): boolean {
  try {
    return loadYaml(text, shown)?.entries !== undefined;
  } catch {
    return false;
  }
}

/** Parses INI inventory text (no files around it): for tests and tools. */
export function parseInventory(
  text: string,
  file: string,
  options: { home?: string } = {},
): Inventory {
  const data = new InventoryData();
  readIni(data, text, file);
  data.reconcile();
  return resolveInventory(data, {
    file,
    sources: [file],
    basedirs: [],
    varsFiles: new VarsFiles(nodeInventoryFs, (p) => p),
    home: options.home,
  });
}
