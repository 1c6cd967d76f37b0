import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { loadInventory } from './load.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-socket-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lab_docker_socket', () => {
  it('gives a host its Engine socket (Podman’s on RHEL), the others keep the default', async () => {
    await writeFile(
      path.join(dir, 'ok.ini'),
      '[hosts]\nrhel9 ansible_host=198.18.0.9 lab_docker_socket=/run/podman/podman.sock\nold ansible_host=198.18.0.7\n',
    );
    const inv = await loadInventory('ok.ini', { cwd: dir });
    const byName = new Map(inv.hosts.map((h) => [h.name, h]));
    expect(byName.get('rhel9')?.dockerSocket).toBe('/run/podman/podman.sock');
    expect(byName.get('old')?.dockerSocket).toBeUndefined();
  });

  it('refuses what is not an absolute socket path, naming file and line', async () => {
    await writeFile(
      path.join(dir, 'bad.ini'),
      '[hosts]\nrhel9 ansible_host=198.18.0.9\n[hosts:vars]\nlab_docker_socket=run/podman.sock\n',
    );
    const err = await loadInventory('bad.ini', { cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).describe()).toMatch(
      /^bad\.ini:4: lab_docker_socket must be the absolute path of the Engine API socket/,
    );
  });
});
