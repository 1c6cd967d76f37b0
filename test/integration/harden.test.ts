import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promisify } from 'node:util';
import { boxDown, boxUp, killEngine, realBoxSystem, type BoxState } from '../../src/box/index.js';
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
const LOST = 'connection to server2 (198.18.0.2:22) lost during';
const sh = promisify(execFile);

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
  let box: BoxState;
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
    box = (await boxUp(sys(), { stateDir, hostCount: 2, harden: ['server2'] })).state;
    inventory = box.inventory;
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

    // server2's switch port down once its first container exists (its steps are under way, over
    // dial-stdio): every Engine channel fails with the connection, the host is named lost, nothing
    // hangs; lab down cleans once the port is back.
    const port = (state: 'up' | 'down') =>
      sh('ip', [
        'link',
        'set',
        box.hosts[1]!.interfaces.find((i) => i.name === 'eth0')!.rootPeer,
        state,
      ]);
    let running = true;
    const whenBuilding = (async () => {
      const labels = { 'lab.scenario': SCENARIO };
      while (running) {
        if ((await witness.engines[1]!.listContainers({ labels })).length > 0) return port('down');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const lost = await lab(['run', SCENARIO, '-i', inventory]).finally(async () => {
      running = false;
      await whenBuilding;
      await port('up');
    });
    expect(lost.code, lost.stdout + lost.stderr).toBe(3);
    expect(lost.stdout).toContain(LOST);
    expect(lost.stdout).not.toMatch(/did not finish in time|socket hang up/);
    expect(lost.stdout.trimEnd().split('\n').at(-1)).toBe(
      'ERROR: macvlan-two-nic — 1 host failed (server2)',
    );
    expect(lost.ms).toBeLessThan(30_000);
    // server2's sshd keeps the lost session, and the host lock's flock in it, until the dropped
    // connection's FIN gets through once the port is back: lab down waits for the lock.
    const cleaned = await lab(['down', SCENARIO, '-i', inventory, '--lock-wait', '30']);
    expect(cleaned.code, cleaned.stdout + cleaned.stderr).toBe(0);
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

  // Last: the engine stays dead until afterAll rebuilds the box.
  it('a dead Engine on the hardened host: "Docker is not running", never a dial-stdio attempt', async () => {
    const links = async () => [await witness.links(0), await witness.links(1)];
    const before = await links();
    await killEngine(sys(), stateDir, 'server2');
    await gone(box.hosts[1]!.dockerd.pid);
    const r = await lab(['run', SCENARIO, '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain('Docker is not running on server2');
    expect(r.stdout + r.stderr).not.toMatch(/dial-stdio|cannot reach the Docker Engine/);
    // Nothing changed: no NIC on either host, no container on server1 (server2's Engine is dead).
    expect(await links()).toEqual(before);
    expect(
      await witness.engines[0]!.listContainers({ labels: { 'lab.scenario': SCENARIO } }),
    ).toEqual([]);
  });
});

/** Waits until a killed process is gone or a zombie (its sockets are closed then). */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (!status || /^State:\s*Z/m.test(status)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} still runs after SIGKILL`);
}
