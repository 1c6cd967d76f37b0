import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cgroupMembers,
  containerMembers,
  ourCgroups,
  removeCgroups,
  trackingHierarchy,
} from './cgroups.js';

// A directory tree shaped like cgroup v1 (/sys/fs/cgroup/<controller>/<group>/cgroup.procs).
let root: string;

async function group(path: string, pids: number[]) {
  await mkdir(join(root, path), { recursive: true });
  await writeFile(join(root, path, 'cgroup.procs'), pids.map((pid) => `${pid}\n`).join(''));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cgroups-'));
  await group('pids', [1, 2]);
  await group('memory', [1, 2]);
  await group('pids/labbox-server1/daemons', [10, 11]);
  await group('pids/labbox-server1/abc123', [20]);
  await group('memory/labbox-server1/abc123', [20]);
  await group('pids/other', [30]);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cgroups', () => {
  it('tracks in the pids controller when there is one', async () => {
    expect(await trackingHierarchy(root)).toBe(join(root, 'pids'));
  });

  it('lists every process of a host, and its containers apart', async () => {
    const pids = join(root, 'pids');
    expect((await cgroupMembers(pids, 'labbox-server1')).sort()).toEqual([10, 11, 20]);
    expect(await containerMembers(pids, 'labbox-server1')).toEqual([20]);
    expect(await cgroupMembers(pids, 'labbox-server9')).toEqual([]);
  });

  it('finds only our groups', async () => {
    expect(await ourCgroups(root)).toEqual(['labbox-server1']);
  });

  it('removes a host group in every hierarchy, innermost first', async () => {
    // rmdir works on these plain directories only once their files are gone: emulate empty cgroups.
    for (const path of [
      'pids/labbox-server1/daemons',
      'pids/labbox-server1/abc123',
      'memory/labbox-server1/abc123',
      'pids/labbox-server1',
      'memory/labbox-server1',
    ]) {
      await rm(join(root, path, 'cgroup.procs'), { force: true });
    }
    expect(await removeCgroups('labbox-server1', root)).toEqual([]);
    expect(await readdir(join(root, 'pids'))).toEqual(
      expect.not.arrayContaining(['labbox-server1']),
    );
    expect(await readdir(join(root, 'memory'))).toEqual(['cgroup.procs']);
  });
});
