import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { register } from '../../src/cli/commands/box.js';
import type { CliContext } from '../../src/cli/context.js';
import {
  boxUp,
  readBoxState,
  realBoxSystem,
  resolveBoxInventory,
  type BoxState,
  type BoxStatus,
} from '../../src/box/index.js';
import { engineOverSocket } from '../../src/box/host/engine-socket.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(program: string, args: string[], timeoutMs = 60_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const stateDir = inject('boxStateDir');
let state: BoxState;
let scratch: string;

/** The system OpenSSH client, strict about host keys: our own SSH layer is tested elsewhere. */
function ssh(address: string, command: string, knownHosts = state.knownHosts): Promise<Outcome> {
  return run('ssh', [
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    '-i',
    state.clientKey,
    `root@${address}`,
    command,
  ]);
}

/** `lab box …` through the real command module, output captured. */
async function lab(args: string[]): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  const ctx: CliContext = { stdout, stderr, env: process.env, cwd: process.cwd() };
  let code = -1;
  const parser = yargs(args).exitProcess(false).strict().fail(false);
  register(parser, ctx, (exit) => (code = exit));
  await parser.parseAsync();
  return {
    code,
    stdout: Buffer.concat(chunks.out).toString(),
    stderr: Buffer.concat(chunks.err).toString(),
  };
}

beforeAll(async () => {
  state = await readBoxState(stateDir);
  scratch = await mkdtemp(join(tmpdir(), 'lab-box-test-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the box', () => {
  it('has two hosts and resolves -i box to its inventory', async () => {
    expect(state.hosts.map((host) => host.name)).toEqual(['server1', 'server2']);
    const inventory = await resolveBoxInventory(stateDir);
    expect(inventory).toBe(inject('boxInventory'));
    const text = await readFile(inventory, 'utf8');
    expect(text).toContain('server1 ansible_host=198.18.0.1\nserver2 ansible_host=198.18.0.2\n');
    expect(text).toContain(`ansible_ssh_private_key_file=${state.clientKey}`);
    expect(text).toContain('mac_net3_subnet=198.19.3.0/24');
  });

  it('lets SSH in to every host with strict host-key checking', async () => {
    for (const host of state.hosts) {
      const result = await ssh(host.address, 'echo ok');
      expect(result.stderr).not.toMatch(/warning|verification/i);
      expect(result, host.name).toMatchObject({ code: 0, stdout: 'ok\n' });
    }
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const [server1, server2] = state.hosts;
    const wrong = join(scratch, 'known_hosts_wrong');
    // server1's address with server2's key: what a man in the middle would look like.
    await writeFile(
      wrong,
      `${server1!.address} ${server2!.hostKeyPublic.split(' ').slice(0, 2).join(' ')}\n`,
    );
    const result = await ssh(server1!.address, 'echo should-not-run', wrong);
    expect(result.code).toBe(255);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(result.stderr).toMatch(/Host key verification failed/);
  });

  it('gives every host its own hostname', async () => {
    for (const host of state.hosts) {
      expect((await ssh(host.address, 'hostname')).stdout.trim()).toBe(host.name);
    }
  });

  it('gives every host its own Docker daemon, named after the host', async () => {
    const ids = new Set<string>();
    for (const host of state.hosts) {
      const result = await ssh(host.address, `docker info --format '{{.ID}} {{.Name}}'`);
      expect(result.code, result.stderr).toBe(0);
      const [id, name] = result.stdout.trim().split(' ');
      expect(name).toBe(host.name);
      expect(id).toMatch(/^[A-Z0-9:]{20,}$/);
      ids.add(id!);
      // The same daemon from the machine, without SSH, through the recorded socket path.
      expect((await engineOverSocket.info(host.dockerSocket)).id).toBe(id);
    }
    expect(ids.size).toBe(state.hosts.length);
  });

  it('shows eth0 up, eth1 down and the eth0.1 stand-in on every host', async () => {
    for (const host of state.hosts) {
      // The host's iproute2 (the machine's), not busybox: -br works here.
      const result = await ssh(host.address, 'ip -br link');
      expect(result.code, result.stderr).toBe(0);
      const links = new Map(
        result.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(/\s+/))
          .map(([name, operstate, , flags]) => [
            name!.split('@')[0]!,
            { operstate, flags: flags ?? '' },
          ]),
      );
      expect(links.get('eth0')?.operstate, host.name).toBe('UP');
      expect(links.get('eth1')?.operstate, host.name).toBe('DOWN');
      expect(links.get('eth1')?.flags, host.name).not.toMatch(/[<,]UP[,>]/);
      expect(links.get('eth0.1')?.flags, host.name).toMatch(/[<,]UP[,>]/);
      const addresses = await ssh(host.address, 'ip -4 -br addr show eth0');
      expect(addresses.stdout).toContain(`${host.address}/24`);
    }
  });

  it('runs a busybox container on server1 that reaches server2', async () => {
    const result = await ssh(
      '198.18.0.1',
      'docker run --rm lab/busybox:latest ping -c 1 -W 2 198.18.0.2',
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/1 packets received/);
  });

  it('reports every host healthy in `lab box status`', async () => {
    const text = await lab(['box', 'status', '--state-dir', stateDir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/healthy \(2 hosts\)/);
    expect(text.stdout).toContain(
      'eth0.1: stand-in veth on its own bridge, the kernel has no 802.1Q',
    );

    const json = await lab(['box', 'status', '--json', '--state-dir', stateDir]);
    const status = JSON.parse(json.stdout) as BoxStatus;
    expect(status.up).toBe(true);
    if (!status.up) return;
    expect(status.healthy).toBe(true);
    for (const host of status.hosts) {
      expect(host, host.name).toMatchObject({
        healthy: true,
        netnsPresent: true,
        sshd: { alive: true, answering: true },
        dockerd: { alive: true, answering: true },
        image: { ref: 'lab/busybox:latest', present: true },
      });
      expect(host.dockerd.version).toMatch(/^20\./);
    }
  });

  it('leaves a healthy box alone on `up`', async () => {
    const result = await lab(['box', 'up', '--hosts', '2', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/already up and healthy/);
    expect((await readBoxState(stateDir)).createdAt).toBe(state.createdAt);
  });

  it('refuses `up` with another number of hosts while the box is up', async () => {
    await expect(lab(['box', 'up', '--hosts', '3', '--state-dir', stateDir])).rejects.toThrow(
      /already up with 2 host/,
    );
  });

  // Last: it replaces the box (new pids, keys, daemons) with a fresh one.
  it('recovers from a crash: daemons killed, then `up` cleans up and succeeds', async () => {
    for (const host of state.hosts) {
      for (const daemon of [host.dockerd, host.sshd, host.anchor])
        process.kill(daemon.pid, 'SIGKILL');
    }
    await expect(readBoxState(stateDir)).rejects.toThrow(/the box is down/);
    const sys = realBoxSystem({ env: process.env, isRoot: true, report: () => undefined });
    const result = await boxUp(sys, { stateDir, hostCount: 2 });
    expect(result.kind).toBe('created');
    if (result.kind === 'created') expect(result.cleanedUp).toBe(true);
    state = await readBoxState(stateDir);
    for (const host of state.hosts) {
      expect((await ssh(host.address, 'hostname')).stdout.trim()).toBe(host.name);
    }
    const status = await lab(['box', 'status', '--json', '--state-dir', stateDir]);
    expect((JSON.parse(status.stdout) as BoxStatus & { healthy?: boolean }).healthy).toBe(true);
  });
});
