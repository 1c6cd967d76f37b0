import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../common/errors.js';
import {
  cgroupMembers,
  containerMembers,
  removeCgroups,
  trackingHierarchy,
} from './system/cgroups.js';
import { deleteRules } from './network/firewall.js';
import { boxLayout, ENGINE_CACHE, type BoxLayout } from './layout.js';
import { describeLeftovers, findLeftovers, isClean, type Leftovers } from './leftovers.js';
import { PODMAN_CACHE_FILES, readMarker, WATCHED_PATHS } from './marker.js';
import { machineMountPoints, mountsUnder } from './system/mounts.js';
import { anchorTag } from './network/names.js';
import { netnsPath } from './network/network.js';
import { engineMarker } from './engine/podman.js';
import { observeMachine, PODMAN_CGROUP } from './observe.js';
import { stopProcess } from './system/processes.js';
import { runChecked } from './system/runner.js';
import { readStateFile, type BoxHostState } from './state.js';
import type { BoxSystem } from './system/system.js';

export interface TeardownTools {
  ip: string;
  iptables: string;
}

export interface TeardownReport {
  /** False when there was no box and nothing of one: `down` then says "no box". */
  foundAnything: boolean;
  actions: string[];
}

const DOCKERD_GRACE_MS = 20_000;
const SSHD_GRACE_MS = 3_000;
const SWEEP_ROUNDS = 40;

/**
 * Removes everything `up` made, whether it finished, crashed half-way or left a stale state file:
 * recorded daemons first (gracefully), then whatever our cgroups and namespaces still hold, then the
 * network, firewall rules, cgroups, mounts and the state directory. Only objects with our prefix and
 * processes inside our cgroups or namespaces are touched. Idempotent.
 */
export async function teardownBox(
  sys: BoxSystem,
  stateDir: string,
  tools: TeardownTools,
): Promise<TeardownReport> {
  const layout = boxLayout(stateDir);
  const actions: string[] = [];
  const read = await readStateFile(layout.stateFile);
  const marker = await readMarker(layout.marker);
  // The engine cache alone is not a box: it outlives `down` on purpose (layout.ts, ENGINE_CACHE).
  const boxEntries = await entriesBesidesCache(stateDir);
  const stateDirPresent =
    boxEntries !== undefined && (boxEntries.length > 0 || !(await hasCache(stateDir)));
  // Checked before anything is touched: a wrong --state-dir must not cost anyone anything.
  if (stateDirPresent && marker === undefined && boxEntries.length > 0) {
    throw new LabError('conflict', `${stateDir} is not a box state directory; left it alone`, {
      file: stateDir,
      hint: 'the box only deletes directories it created (they hold a .lab-box marker)',
    });
  }
  const hierarchy = await trackingHierarchy(sys.cgroupRoot);

  if (read.kind === 'present') {
    await Promise.all(
      read.state.hosts.map((host) => stopHostDaemons(sys, layout, hierarchy, host, actions)),
    );
  }

  const observe = () =>
    observeMachine({ runner: sys.runner, ...tools, cgroupRoot: sys.cgroupRoot });
  const leftovers = findLeftovers(await observe());
  if (!stateDirPresent && isClean(leftovers)) return { foundAnything: false, actions };

  await sweepProcesses(sys, hierarchy, leftovers, actions);
  await removeNetwork(sys, tools.ip, leftovers, actions);
  if (leftovers.firewallRules.length > 0) {
    await deleteRules(sys.runner, tools.iptables, leftovers.firewallRules);
    actions.push(`deleted ${leftovers.firewallRules.length} firewall rule(s)`);
  }
  const stuckCgroups = await removeBoxCgroups(sys, leftovers, actions);

  if (stateDirPresent) {
    await unmountUnder(sys, stateDir, actions);
    if (await hasCache(stateDir)) {
      await Promise.all(
        boxEntries.map((entry) => rm(join(stateDir, entry), { recursive: true, force: true })),
      );
      actions.push(`removed ${stateDir} (kept its ${ENGINE_CACHE}/)`);
    } else {
      await rm(stateDir, { recursive: true, force: true });
      actions.push(`removed ${stateDir}`);
    }
  }
  if (typeof marker === 'object') {
    // Podman's cache in a /var/lib/containers the box made is the box's too.
    if (marker.preexisting['/var/lib/containers'] === false)
      await Promise.all(PODMAN_CACHE_FILES.map((file) => rm(file, { force: true })));
    for (const path of WATCHED_PATHS) {
      if (marker.preexisting[path] === false && (await removeEmptyTree(sys, path))) {
        actions.push(`removed ${path} (made by the box)`);
      }
    }
  }

  const left = findLeftovers(await observe());
  if (!isClean(left) || stuckCgroups.length > 0) {
    throw new LabError('remote', 'the box could not be removed completely', {
      stderrTail: [...describeLeftovers(left), ...stuckCgroups.map((dir) => `cgroup ${dir}`)].join(
        '\n',
      ),
      hint: 'run `lab box down` again; if that does not help, see docs/box.md ("Removing by hand")',
    });
  }
  return { foundAnything: true, actions };
}

/** The box's cgroups and podman's; returns those that could not be removed. */
async function removeBoxCgroups(
  sys: BoxSystem,
  leftovers: Leftovers,
  actions: string[],
): Promise<string[]> {
  const stuck: string[] = [];
  for (const name of leftovers.cgroups) stuck.push(...(await removeCgroups(name, sys.cgroupRoot)));
  if (leftovers.cgroups.length > 0) actions.push(`removed cgroups ${leftovers.cgroups.join(', ')}`);
  if (leftovers.podmanCgroups.length > 0) {
    stuck.push(...(await removeCgroups(PODMAN_CGROUP, sys.cgroupRoot)));
    actions.push(`removed podman's /${PODMAN_CGROUP} cgroups`);
  }
  return stuck;
}

/** dockerd first: SIGTERM, and while it shuts down, SIGKILL its containers (they often ignore SIGTERM). */
async function stopHostDaemons(
  sys: BoxSystem,
  layout: BoxLayout,
  hierarchy: string,
  host: BoxHostState,
  actions: string[],
): Promise<void> {
  const files = layout.host(host.name);
  const killContainers = async () => {
    for (const pid of await containerMembers(hierarchy, host.cgroup))
      sys.procs.signal(pid, 'SIGKILL');
  };
  const dockerd = await stopProcess(
    sys.procs,
    sys.clock,
    host.dockerd,
    engineMarker(files, host.engine),
    DOCKERD_GRACE_MS,
    killContainers,
  );
  const sshd = await stopProcess(sys.procs, sys.clock, host.sshd, files.sshdConfig, SSHD_GRACE_MS);
  const anchor = await stopProcess(sys.procs, sys.clock, host.anchor, anchorTag(host.name), 1_000);
  actions.push(`${host.name}: dockerd ${dockerd}, sshd ${sshd}, anchor ${anchor}`);
}

/**
 * Kills whatever is still inside our cgroups (shims, containerd, containers, the anchor's sleep),
 * podman's /libpod_parent (a podman host's containers and conmon; only the box runs podman here) or
 * our network namespaces, until nothing is left. Membership, not a name, makes a process ours.
 */
async function sweepProcesses(
  sys: BoxSystem,
  hierarchy: string,
  leftovers: Leftovers,
  actions: string[],
) {
  const netnsInodes = new Set<number>();
  for (const netns of leftovers.netns) {
    const info = await stat(netnsPath(netns)).catch(() => undefined);
    if (info) netnsInodes.add(info.ino);
  }
  let killed = 0;
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    const victims = new Set<number>();
    for (const cgroup of leftovers.cgroups)
      for (const pid of await cgroupMembers(hierarchy, cgroup)) victims.add(pid);
    for (const dir of leftovers.podmanCgroups)
      for (const pid of await cgroupMembers(dir, '')) victims.add(pid);
    if (netnsInodes.size > 0) {
      for (const pid of await sys.procs.list()) {
        const inode = await sys.procs.netnsInode(pid);
        if (inode !== undefined && netnsInodes.has(inode)) victims.add(pid);
      }
    }
    if (victims.size === 0) break;
    for (const pid of victims) sys.procs.signal(pid, 'SIGKILL');
    killed = Math.max(killed, victims.size);
    await sys.clock.sleep(50);
  }
  if (killed > 0)
    actions.push(`killed ${killed} leftover process(es) in the box's cgroups/namespaces`);
}

async function removeNetwork(sys: BoxSystem, ip: string, leftovers: Leftovers, actions: string[]) {
  // A veth goes with its pair, a bridge lets go of its ports; namespaces last (they go asynchronously).
  const lines = [
    ...leftovers.veths.map((name) => `link del ${name}`),
    ...leftovers.bridges.map((name) => `link del ${name}`),
    ...leftovers.netns.map((name) => `netns del ${name}`),
  ];
  if (lines.length === 0) return;
  // -force: go on after an error (a veth already gone with its namespace); what is left is checked after.
  await sys.runner.run([ip, '-force', '-batch', '-'], { input: lines.join('\n') + '\n' });
  actions.push(
    `removed ${describeLeftovers({ ...leftovers, cgroups: [], firewallRules: [] }).join(', ')}`,
  );
}

async function unmountUnder(sys: BoxSystem, dir: string, actions: string[]) {
  for (const point of mountsUnder(await machineMountPoints(), dir)) {
    await runChecked(sys.runner, ['umount', '-n', '-l', point], `unmounting ${point}`);
    actions.push(`unmounted ${point}`);
  }
}

/**
 * Removes a directory tree the box's programs made, if it holds nothing but (possibly mounted-on)
 * empty directories; anything else in it belongs to someone else, and the tree stays.
 */
async function removeEmptyTree(sys: BoxSystem, path: string): Promise<boolean> {
  const directories: string[] = [];
  const onlyDirectories = async (dir: string): Promise<boolean> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (entries === undefined) return false;
    directories.push(dir);
    for (const entry of entries) {
      if (!entry.isDirectory() || !(await onlyDirectories(join(dir, entry.name)))) return false;
    }
    return true;
  };
  if (!(await onlyDirectories(path))) return false;
  for (const point of mountsUnder(await machineMountPoints(), path)) {
    await runChecked(sys.runner, ['umount', '-n', point], `unmounting ${point}`);
  }
  for (const dir of directories.reverse()) await rmdir(dir);
  return true;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The state directory's entries but the engine cache; undefined when there is no directory. */
async function entriesBesidesCache(dir: string): Promise<string[] | undefined> {
  if (!(await exists(dir))) return undefined;
  return (await readdir(dir)).filter((entry) => entry !== ENGINE_CACHE);
}

async function hasCache(dir: string): Promise<boolean> {
  return exists(join(dir, ENGINE_CACHE));
}
