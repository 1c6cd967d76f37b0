import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxHosts } from './box-hosts.js';
import { lab } from './cli.js';

describe('lab inventory --check on the box', () => {
  it('reports SSH, root, Docker and NICs for every host', async () => {
    const { state } = await boxHosts();
    const r = await lab(['inventory', '-i', state.inventory, '--check', '--json']);
    expect(r.code).toBe(0);
    const hosts = JSON.parse(r.stdout);
    expect(hosts.map((h: { host: string }) => h.host)).toEqual(['server1', 'server2']);
    for (const h of hosts) {
      expect(h.ssh.ok && h.privilege.ok && h.docker.ok && h.nics.ok).toBe(true);
      expect(h.docker.apiVersion).toMatch(/^1\.\d+$/);
      expect(h.nics.names).toEqual(expect.arrayContaining(['eth0', 'eth1', 'eth0.1']));
    }
  });

  it('one unreachable host never hides the others (exit 3)', async () => {
    const { state } = await boxHosts();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-inv-'));
    const inv = path.join(dir, 'inventory.ini');
    // server2 pointed at a port where nothing listens on the box's own address.
    await writeFile(
      inv,
      (await readFile(state.inventory, 'utf8')).replace(
        'server2 ansible_host=198.18.0.2',
        'server2 ansible_host=198.18.0.2 ansible_port=2222',
      ),
    );
    const r = await lab(['inventory', '-i', inv, '--check']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✔ server1/);
    expect(r.stdout).toMatch(/✘ server2[\s\S]*refused/);
  });
});
