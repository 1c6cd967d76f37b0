import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('refuses a directory', async () => {
    const err = await loadError(dir);
    expect(err.message).toMatch(/is a directory; lab reads one INI file/);
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
    expect({ ...inv.hosts[0]?.vars }).toEqual({ ...inv.groups['all']?.vars });
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
