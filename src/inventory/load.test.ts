import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInventory as renderBoxInventory } from '../box/inventory-text.js';
import { LabError } from '../common/errors.js';
import { loadInventory } from './load.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-inventory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(file: string, cwd?: string): Promise<LabError> {
  try {
    await loadInventory(file, cwd === undefined ? {} : { cwd });
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('loaded without error');
}

describe('loadInventory', () => {
  it('reads a relative path from the given cwd and reports it as given', async () => {
    await writeFile(path.join(dir, 'lab.ini'), '[web]\nweb1 ansible_port=70000\n');
    const err = await loadError('lab.ini', dir);
    expect(err.describe()).toMatch(/^lab\.ini:2: ansible_port must be a whole number/);
  });

  it('says which file is missing and how to name one', async () => {
    const err = await loadError('inventory/nope.ini', dir);
    expect(err.kind).toBe('input');
    expect(err.message).toBe(
      `inventory file inventory/nope.ini (${path.join(dir, 'inventory/nope.ini')}) does not exist`,
    );
    expect(err.context.hint).toMatch(/-i inventory\/seed\.ini .* -i box/);
  });

  it('reads a directory as Ansible does: YAML and extension-less files, .ini ignored, group_vars and host_vars', async () => {
    const inv = path.join(dir, 'inv');
    await mkdir(path.join(inv, 'group_vars', 'web'), { recursive: true });
    await mkdir(path.join(inv, 'host_vars'), { recursive: true });
    await writeFile(
      path.join(inv, 'hosts.yml'),
      'web:\n  hosts:\n    web1:\n      ansible_host: 198.18.0.1\n',
    );
    await writeFile(
      path.join(inv, 'more'),
      '[db]\ndb1 ansible_host=198.18.0.2 ansible_port="2222"\n',
    );
    await writeFile(path.join(inv, 'ignored.ini'), '[x]\nx1\n');
    await writeFile(
      path.join(inv, 'group_vars', 'web', 'a.yml'),
      'http_port: 8080\nansible_user: deploy\n',
    );
    await writeFile(path.join(inv, 'group_vars', 'all.yml'), 'ansible_user: root\n');
    await writeFile(
      path.join(inv, 'host_vars', 'db1.yaml'),
      'ansible_port: 2200\nansible_ssh_private_key_file: ~/.ssh/lab\n',
    );
    const loaded = await loadInventory('inv', { cwd: dir, home: '/home/u' });
    expect(loaded.hosts.map((h) => [h.name, h.address, h.port, h.user, h.privateKeyFile])).toEqual([
      ['web1', '198.18.0.1', 22, 'deploy', undefined],
      ['db1', '198.18.0.2', 2200, 'root', '/home/u/.ssh/lab'],
    ]);
    expect({ ...loaded.hosts[0]?.vars }).toEqual({
      ansible_host: '198.18.0.1',
      ansible_user: 'deploy',
      http_port: 8080,
    });
    expect(loaded.hosts[0]?.varSources?.['http_port']).toEqual({
      file: 'inv/group_vars/web/a.yml',
      line: 1,
    });
    expect(Object.keys(loaded.groups)).toEqual(['all', 'ungrouped', 'web', 'db']);
  });

  it('applies the playbook directory’s group_vars/ and host_vars/ after the inventory’s, as Ansible does', async () => {
    const play = path.join(dir, 'play');
    const inv = path.join(play, 'inventories', 'prod');
    await mkdir(path.join(inv, 'group_vars'), { recursive: true });
    await mkdir(path.join(play, 'group_vars', 'web'), { recursive: true });
    await mkdir(path.join(play, 'host_vars'), { recursive: true });
    await writeFile(path.join(inv, 'hosts'), '[web]\nweb1 ansible_host=198.18.0.1 a=line\n');
    await writeFile(path.join(inv, 'group_vars', 'all.yml'), 'a: inv-all\nb: inv-all\n');
    await writeFile(path.join(inv, 'group_vars', 'web.yml'), 'c: inv-web\n');
    await writeFile(path.join(play, 'group_vars', 'all.yml'), 'b: play-all\nc: play-all\n');
    await writeFile(path.join(play, 'group_vars', 'web', 'x.yml'), 'd: play-web\n');
    await writeFile(path.join(play, 'host_vars', 'web1.yml'), 'ansible_user: deploy\n');
    const loaded = await loadInventory('inventories/prod', { cwd: play, playbookDir: '.' });
    const web1 = loaded.hosts[0];
    expect({ ...web1?.vars }).toEqual({
      ansible_host: '198.18.0.1',
      ansible_user: 'deploy',
      a: 'line',
      b: 'play-all',
      c: 'inv-web', // inventory group_vars/web beats the playbook's group_vars/all
      d: 'play-web',
    });
    expect(web1?.user).toBe('deploy');
    expect(web1?.varSources?.['d']).toEqual({ file: 'group_vars/web/x.yml', line: 1 });
    // Without a playbook directory, only the inventory's own.
    const alone = await loadInventory('inventories/prod', { cwd: play });
    expect({ ...alone.hosts[0]?.vars }).toMatchObject({ b: 'inv-all', c: 'inv-web' });
    expect(alone.hosts[0]?.user).toBeUndefined();
  });
  it('reads the shipped seed inventory: two servers as root, and the seed’s scenario variables', async () => {
    const inv = await loadInventory('inventory/seed.ini', { cwd: repoRoot });
    expect(inv.file).toBe('inventory/seed.ini');
    expect(inv.hosts.map((h) => [h.name, h.address, h.port, h.user, h.become])).toEqual([
      ['server1', '172.25.83.1', 22, 'root', false],
      ['server2', '172.25.83.2', 22, 'root', false],
    ]);
    expect(inv.groups['servers']?.hosts).toEqual(['server1', 'server2']);
    expect({ ...inv.groups['all']?.vars }).toEqual({
      image: 'busybox:latest',
      mac_net1_subnet: '172.183.1.0/24',
      mac_net1_gateway: '172.183.1.1',
      mac_net2_subnet: '172.183.2.0/24',
      mac_net2_gateway: '172.183.2.1',
      mac_net3_subnet: '172.183.3.0/24',
      mac_net3_gateway: '172.183.3.1',
      my_net2_subnet: '172.20.0.0/24',
      my_net2_gateway: '172.20.0.1',
      overlay_subnet: '10.0.9.0/24',
    });
    expect({ ...inv.hosts[0]?.vars }).toEqual({
      ...inv.groups['all']?.vars,
      ...inv.groups['servers']?.vars,
      ansible_host: '172.25.83.1',
    });
  });

  it('reads the inventory the box writes (what -i box resolves to)', async () => {
    const file = path.join(dir, 'box.ini');
    await writeFile(
      file,
      renderBoxInventory({
        createdAt: '2025-01-01T00:00:00Z',
        hosts: [
          { name: 'server1', address: '198.18.0.11' },
          { name: 'server2', address: '198.18.0.12' },
        ],
        clientKey: '/var/lib/lab-box/id_ed25519',
        knownHosts: '/var/lib/lab-box/known_hosts',
      }),
    );
    const inv = await loadInventory(file);
    expect(inv.hosts.map((h) => h.name)).toEqual(['server1', 'server2']);
    expect(inv.hosts[1]).toMatchObject({
      address: '198.18.0.12',
      port: 22,
      user: 'root',
      privateKeyFile: '/var/lib/lab-box/id_ed25519',
      knownHostsFile: '/var/lib/lab-box/known_hosts',
      groups: ['all', 'box'],
    });
  });
});
