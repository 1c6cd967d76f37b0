import { access, mkdir, readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isOurs } from '../network/names.js';

/**
 * Each host's processes are tracked in a cgroup named after it: its daemons in `<name>/daemons` (a
 * leaf, which cgroup v2 requires) and, through dockerd's --cgroup-parent, its containers in
 * `<name>/<container id>`. containerd shims are children of the daemons and stay in that cgroup even
 * after being re-parented to init, so the cgroup is the one place that lists every process of a host,
 * also after a crash when nothing else remembers them.
 */
export const CGROUP_ROOT = '/sys/fs/cgroup';
export const DAEMONS_LEAF = 'daemons';

/** The hierarchy we track processes in: cgroup v1's pids controller, else the cgroup v2 root. */
export async function trackingHierarchy(root = CGROUP_ROOT): Promise<string> {
  try {
    await access(join(root, 'pids', 'cgroup.procs'));
    return join(root, 'pids');
  } catch {
    return root;
  }
}

/** The cgroup.procs file a host's daemons are moved into (created if needed). */
export async function ensureDaemonCgroup(hierarchy: string, name: string): Promise<string> {
  const dir = join(hierarchy, name, DAEMONS_LEAF);
  await mkdir(dir, { recursive: true });
  return join(dir, 'cgroup.procs');
}

/** Every pid in a host's cgroup tree (daemons, shims, containers). */
export async function cgroupMembers(hierarchy: string, name: string): Promise<number[]> {
  const pids: number[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    try {
      const text = await readFile(join(dir, 'cgroup.procs'), 'utf8');
      for (const line of text.split('\n')) if (line.trim()) pids.push(Number(line));
    } catch {
      // removed while we walked
    }
    for (const entry of entries) if (entry.isDirectory()) await walk(join(dir, entry.name));
  };
  await walk(join(hierarchy, name));
  return pids;
}

/** Container processes only: the sub-cgroups other than the daemons' leaf. */
export async function containerMembers(hierarchy: string, name: string): Promise<number[]> {
  const daemons = new Set(await readProcs(join(hierarchy, name, DAEMONS_LEAF)));
  return (await cgroupMembers(hierarchy, name)).filter((pid) => !daemons.has(pid));
}

async function readProcs(dir: string): Promise<number[]> {
  try {
    const text = await readFile(join(dir, 'cgroup.procs'), 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map(Number);
  } catch {
    return [];
  }
}

/** Our cgroup names (labbox-…) in any hierarchy under the cgroup root. */
export async function ourCgroups(root = CGROUP_ROOT): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of await hierarchies(root)) {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory() && isOurs(entry.name)) names.add(entry.name);
    }
  }
  return [...names].sort();
}

/** `name` at the top of each hierarchy that has it, as paths ("/sys/fs/cgroup/pids/libpod_parent"). */
export async function topCgroupsNamed(name: string, root = CGROUP_ROOT): Promise<string[]> {
  const found: string[] = [];
  for (const dir of await hierarchies(root))
    if (await exists(join(dir, name))) found.push(join(dir, name));
  return found;
}

/** Removes a host's cgroup directories (empty by now) in every hierarchy; returns what is left. */
export async function removeCgroups(name: string, root = CGROUP_ROOT): Promise<string[]> {
  const left: string[] = [];
  for (const dir of await hierarchies(root)) {
    const top = join(dir, name);
    if (!(await exists(top))) continue;
    const removeTree = async (path: string): Promise<void> => {
      for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
        if (entry.isDirectory()) await removeTree(join(path, entry.name));
      }
      await rmdir(path).catch(() => left.push(path));
    };
    await removeTree(top);
  }
  return left;
}

/** cgroup v1 mounts one hierarchy per directory under the root; v2 is the root itself. */
async function hierarchies(root: string): Promise<string[]> {
  const dirs = [root];
  for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory() && !isOurs(entry.name)) {
      const dir = join(root, entry.name);
      if (await exists(join(dir, 'cgroup.procs'))) dirs.push(dir);
    }
  }
  return dirs;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
