import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { toAnsibleList } from '../../src/inventory/ansible-list.js';
import { loadInventory } from '../../src/inventory/load.js';

const run = promisify(execFile);

/** The -i sources of a case directory: its `.args` lines, else the directory itself. */
export function caseArgs(dir: string): string[] {
  try {
    return readFileSync(path.join(dir, '.args'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch {
    return ['.'];
  }
}

/** JSON with object keys sorted, so two documents compare as text. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(value), null, 1);
}

export async function labList(dir: string): Promise<string> {
  const inventory = await loadInventory(caseArgs(dir), {
    cwd: dir,
    home: '/home/lab',
    // ansible-inventory runs in the case directory, which is then its playbook directory.
    playbookDir: dir,
  });
  return canonical(JSON.parse(JSON.stringify(toAnsibleList(inventory))));
}

/** `ansible-inventory --list` for the case, with no ansible.cfg and nothing written to the home directory. */
export async function ansibleList(dir: string, tmp: string): Promise<string> {
  writeFileSync(path.join(tmp, 'ansible.cfg'), '');
  const args = caseArgs(dir).flatMap((a) => ['-i', a]);
  const { stdout } = await run('ansible-inventory', [...args, '--list'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: '/home/lab',
      ANSIBLE_CONFIG: path.join(tmp, 'ansible.cfg'),
      ANSIBLE_HOME: tmp,
      ANSIBLE_LOCAL_TEMP: tmp,
      ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
      ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'true',
      ANSIBLE_NOCOLOR: '1',
      LC_ALL: 'C.UTF-8',
    },
  });
  return canonical(JSON.parse(stdout));
}
