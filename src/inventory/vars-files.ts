import path from 'node:path';
import { problemAt, type Located } from './data.js';
import { checkVariableName } from './checks.js';
import { checkConnectionValue } from './connection.js';
import { readInventoryFile, type InventoryFs } from './files.js';
import { InventoryProblem } from './problem.js';
import { loadYaml } from './yaml-load.js';

/**
 * group_vars/ and host_vars/ beside each inventory source, as Ansible's host_group_vars plugin and
 * DataLoader.find_vars_files read them: for NAME, the first of `NAME`, `NAME.yml`, `NAME.yaml`,
 * `NAME.json` that exists; when that is a directory, every file in it (sorted, recursively; hidden
 * names, `~` backups and other extensions skipped), later files winning. Empty files are ignored.
 */
const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export class VarsFiles {
  private readonly cache = new Map<string, Map<string, Located>>();

  constructor(
    private readonly fs: InventoryFs,
    /** Shows a full path as messages should (relative to the working directory when it was given so). */
    private readonly show: (fullPath: string) => string,
  ) {}

  /** The variables for `name` from `basedir/subdir`, merged in file order. */
  get(basedir: string, subdir: 'group_vars' | 'host_vars', name: string): Map<string, Located> {
    const key = `${basedir}\0${subdir}\0${name}`;
    let vars = this.cache.get(key);
    if (!vars) {
      vars = new Map();
      for (const file of this.find(path.join(basedir, subdir), name)) {
        for (const [k, v] of this.load(file)) vars.set(k, v);
      }
      this.cache.set(key, vars);
    }
    return vars;
  }

  private find(dir: string, name: string): string[] {
    if (this.fs.kind(dir) !== 'dir' || name.startsWith('/')) return [];
    for (const ext of EXTENSIONS) {
      const full = path.join(dir, name + ext);
      const kind = this.fs.kind(full);
      if (kind === 'dir') return this.filesIn(full);
      if (kind === 'file') return [full];
    }
    return [];
  }

  private filesIn(dir: string): string[] {
    const out: string[] = [];
    for (const entry of this.fs.list(dir).sort()) {
      if (entry.startsWith('.') || entry.endsWith('~')) continue;
      const full = path.join(dir, entry);
      const ext = path.extname(entry);
      const kind = this.fs.kind(full);
      if (kind === 'dir' && ext === '') out.push(...this.filesIn(full));
      else if (kind === 'file' && EXTENSIONS.includes(ext)) out.push(full);
    }
    return out;
  }

  private load(full: string): Map<string, Located> {
    const file = this.show(full);
    const doc = loadYaml(readInventoryFile(this.fs, full, file), file);
    const out = new Map<string, Located>();
    if (doc === undefined || doc.value === null) return out;
    if (!doc.entries) {
      problemAt({ file, line: doc.line }, () => {
        throw new InventoryProblem(
          'a vars file is a mapping of variable names to values',
          'write one `name: value` per line',
        );
      });
    }
    for (const [key, entry] of doc.entries ?? []) {
      const at = { file, line: entry.keyLine };
      problemAt(at, () => {
        checkVariableName(key);
        checkConnectionValue(key, entry.node.value);
      });
      out.set(key, { value: entry.node.value, at });
    }
    return out;
  }
}
