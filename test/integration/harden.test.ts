import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxDown, boxUp, realBoxSystem } from '../../src/box/index.js';
import { PASSWORD_SUDO_LOGIN } from '../../src/box/host/harden.js';
import { BOX_LOGIN } from '../../src/box/layout.js';
import { boxHosts, boxStateDir } from './box-hosts.js';
import { lab } from './cli.js';
import { BoxWitness } from './host-state.js';

/**
 * A hardened host for real (`lab box up --harden server2`): its sshd has DisableForwarding yes, so
 * lab cannot forward the Docker socket and reaches the Engine through `docker system dial-stdio`;
 * labuser is not in its docker group, so through `sudo -n` as well; labpass's sudo wants a password.
 * One box for every case; the 2-host default box the other files expect is put back afterwards.
 */

const SCENARIO = 'macvlan-two-nic';
const REFUSES = 'the host’s sshd refuses stream forwarding';

const sys = () =>
  realBoxSystem({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    report: (line) => process.stderr.write(`[box] ${line}\n`),
  });

describe('a hardened host (lab box up --harden server2)', () => {
  const stateDir = boxStateDir();
  let witness: BoxWitness;
  let dir: string;
  let inventory: string;
  /** server2 logs in as `user` (ansible_become=true); server1 stays root. */
  const asUser = async (user: string, extra = '') => {
    const text = await readFile(inventory, 'utf8');
    const file = path.join(dir, `${user}${extra ? '-x' : ''}.ini`);
    await writeFile(
      file,
      text.replace(
        /^server2 ansible_host=(\S+)$/m,
        `server2 ansible_host=$1 ansible_user=${user} ansible_become=true${extra}`,
      ),
    );
    return file;
  };

  beforeAll(async () => {
    await boxDown(sys(), stateDir);
    inventory = (await boxUp(sys(), { stateDir, hostCount: 2, harden: ['server2'] })).state
      .inventory;
    witness = await BoxWitness.open(await boxHosts());
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-harden-'));
  });

  afterAll(async () => {
    await witness?.close();
    await rm(dir, { recursive: true, force: true });
    await boxDown(sys(), stateDir);
    await boxUp(sys(), { stateDir, hostCount: 2 });
  });

  it('lab box status says what is hardened', async () => {
    const r = await lab(['box', 'status', '--state-dir', stateDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const hosts = (JSON.parse(r.stdout) as { hosts: { name: string; hardened?: string }[] }).hosts;
    expect(hosts.find((h) => h.name === 'server1')?.hardened).toBeUndefined();
    expect(hosts.find((h) => h.name === 'server2')?.hardened).toContain('DisableForwarding yes');
  });

  it('as root: run, check connectivity and down, Docker via dial-stdio on server2', async () => {
    const before = await witness.state(SCENARIO);
    const run = await lab(['run', SCENARIO, '-i', inventory, '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      verdict: string;
      hosts: { host: string; engineRoute?: object; notes?: string[] }[];
    };
    expect(report.verdict).toBe('pass');
    const [one, two] = ['server1', 'server2'].map((h) => report.hosts.find((x) => x.host === h));
    expect(one?.engineRoute).toEqual({ via: 'forward', sudo: false });
    expect(two?.engineRoute).toMatchObject({ via: 'dial-stdio', sudo: false });
    expect(two?.notes).toContainEqual(expect.stringContaining(`Docker via dial-stdio: ${REFUSES}`));

    const check = await lab(['check', 'connectivity', '-i', inventory]);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const down = await lab(['down', SCENARIO, '-i', inventory]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await witness.state(SCENARIO)).toEqual(before);
    expect(await witness.labelled(SCENARIO)).toEqual([]);
  });

  it(`as ${BOX_LOGIN.user} with ansible_become: Docker via dial-stdio through sudo`, async () => {
    const before = await witness.state(SCENARIO);
    const become = await asUser(BOX_LOGIN.user);
    const run = await lab(['run', SCENARIO, '-i', become]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'server2: Docker via dial-stdio through sudo: sshd could not open',
    );

    const check = await lab(['check', 'connectivity', '-i', become]);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const down = await lab(['down', SCENARIO, '-i', become]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await witness.state(SCENARIO)).toEqual(before);
    expect(await witness.labelled(SCENARIO)).toEqual([]);
  });

  it(`as ${PASSWORD_SUDO_LOGIN.user}, whose sudo wants a password: every reason, nothing changed`, async () => {
    const before = await witness.state(SCENARIO);
    const run = await lab(['run', SCENARIO, '-i', await asUser(PASSWORD_SUDO_LOGIN.user)]);
    expect(run.code).not.toBe(0);
    const out = run.stdout + run.stderr;
    expect(out).toContain('server2: cannot reach the Docker Engine');
    expect(out).toContain(`sudo wants a password for ${PASSWORD_SUDO_LOGIN.user}`);
    expect(out).toContain('sshd could not open /var/run/docker.sock');
    expect(await witness.state(SCENARIO)).toEqual(before);
    expect(await witness.labelled(SCENARIO)).toEqual([]);
  });

  it('lab_docker_transport: forward is refused with the reason; dial-stdio works on a default host', async () => {
    const text = await readFile(inventory, 'utf8');
    const forced = path.join(dir, 'forced.ini');
    await writeFile(
      forced,
      text
        .replace(/^(server1 ansible_host=\S+)$/m, '$1 lab_docker_transport=dial-stdio')
        .replace(/^(server2 ansible_host=\S+)$/m, '$1 lab_docker_transport=forward'),
    );
    const r = await lab(['inventory', '-i', forced, '--check', '--json']);
    expect(r.code).not.toBe(0);
    const checks = JSON.parse(r.stdout) as {
      host: string;
      docker: { ok: boolean; detail: string };
    }[];
    const [one, two] = ['server1', 'server2'].map((h) => checks.find((c) => c.host === h));
    expect(one?.docker.ok, one?.docker.detail).toBe(true);
    expect(one?.docker.detail).toContain('(Docker via dial-stdio)');
    expect(two?.docker.ok).toBe(false);
    expect(two?.docker.detail).toContain('cannot open the unix socket /var/run/docker.sock');
  });
});
