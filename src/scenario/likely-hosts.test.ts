import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInventory } from '../inventory/load.js';
import { likelyHosts } from './likely-hosts.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-likely-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inventory = parseInventory(
  [
    'server1 ansible_host=198.18.0.1',
    'server2 ansible_host=198.18.0.2',
    '[web]',
    'server2',
    'server3 ansible_host=198.18.0.3',
  ].join('\n'),
  'test.ini',
);

async function hostsOf(text: string): Promise<string[]> {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return likelyHosts(file, inventory);
}

describe('likelyHosts', () => {
  it('names and groups in `hosts:`, in inventory order', async () => {
    expect(await hostsOf('hosts: [web, server1]\n')).toEqual(['server1', 'server2', 'server3']);
    expect(await hostsOf('hosts: server2\n')).toEqual(['server2']);
  });

  it('every inventory host when the scenario names none', async () => {
    expect(await hostsOf('name: x\n')).toEqual(['server1', 'server2', 'server3']);
  });

  it('no guess when the file does not say plainly: the plan decides', async () => {
    expect(await hostsOf('hosts: [${where}]\n')).toEqual([]);
    expect(await hostsOf('hosts: [server9]\n')).toEqual([]);
    expect(await hostsOf('hosts: {a: 1}\n')).toEqual([]);
    expect(await hostsOf('hosts: [server1\n')).toEqual([]);
    expect(await hostsOf('- just a list\n')).toEqual([]);
    expect(await likelyHosts(join(dir, 'missing.yaml'), inventory)).toEqual([]);
  });
});
