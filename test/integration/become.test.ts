import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOX_LOGIN } from '../../src/box/layout.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab } from './cli.js';
import { BoxWitness } from './host-state.js';

const SCENARIO = 'macvlan-two-nic';

/**
 * ansible_become for real: the box's login user (not root; passwordless sudo; in the docker group)
 * runs a scenario whose NIC changes need root. Checked on the hosts themselves.
 */
describe('lab as a non-root user with ansible_become', () => {
  let box: BoxHosts;
  let witness: BoxWitness;
  let dir: string;
  let withBecome: string;
  let withoutBecome: string;

  beforeAll(async () => {
    box = await boxHosts();
    witness = await BoxWitness.open(box);
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-become-'));
    // The box's own inventory, logging in as the login user instead of root.
    const inventory = await readFile(box.state.inventory, 'utf8');
    expect(inventory).toContain('ansible_user=root\n');
    withBecome = path.join(dir, 'become.ini');
    withoutBecome = path.join(dir, 'no-become.ini');
    await writeFile(
      withBecome,
      inventory.replace(
        'ansible_user=root\n',
        `ansible_user=${BOX_LOGIN.user}\nansible_become=true\n`,
      ),
    );
    await writeFile(
      withoutBecome,
      inventory.replace('ansible_user=root\n', `ansible_user=${BOX_LOGIN.user}\n`),
    );
  });
  afterAll(async () => {
    await lab(['down', SCENARIO, '-i', box.state.inventory]);
    await witness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('inventory --check: logged in as the user, sudo without a password, Docker answers', async () => {
    const r = await lab(['inventory', '-i', withBecome, '--check', '--json']);
    expect(r.code).toBe(0);
    for (const host of JSON.parse(r.stdout) as Record<string, { ok: boolean; detail: string }>[]) {
      expect(host['ssh']).toEqual({ ok: true, detail: `logged in as ${BOX_LOGIN.user}` });
      expect(host['privilege']).toEqual({
        ok: true,
        detail: `uid ${BOX_LOGIN.uid}, sudo without a password`,
      });
      expect(host['docker']?.ok).toBe(true);
    }
  });

  it('without become, refuses before changing anything and says what to set', async () => {
    const before = await witness.state(SCENARIO);
    const r = await lab(['run', SCENARIO, '-i', withoutBecome]);
    expect(r.code).toBe(2);
    for (const host of ['server1', 'server2']) {
      expect(r.stdout + r.stderr).toContain(
        `NIC changes need root, and lab logs in as uid ${BOX_LOGIN.uid} without become: set ansible_become=true for ${host}`,
      );
    }
    expect(await witness.state(SCENARIO)).toEqual(before);
  });

  it('with become, changes the NICs through sudo, passes, and lab down puts them back', async () => {
    const before = await witness.state(SCENARIO);
    const r = await lab(['run', SCENARIO, '-i', withBecome, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).verdict).toBe('pass');
    expect(r.code).toBe(0);
    for (const i of [0, 1]) {
      const links = await witness.links(i);
      expect(links.get('eth0')).toMatchObject({ promisc: true });
      expect(links.get('eth1')).toMatchObject({ up: true, promisc: true });
    }
    const down = await lab(['down', SCENARIO, '-i', withBecome]);
    expect(down.code).toBe(0);
    expect(await witness.state(SCENARIO)).toEqual(before);
    expect(await witness.labelled(SCENARIO)).toEqual([]);
  });
});
