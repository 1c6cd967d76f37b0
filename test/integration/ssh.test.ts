import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../src/common/errors.js';
import type { SshTarget } from '../../src/ssh/target.js';
import { runChecked } from '../../src/ssh/checked.js';
import { connectHost, type ConnectOptions } from '../../src/ssh/connect.js';
import type { HostShell } from '../../src/ssh/host-shell.js';
import { fingerprintSha256 } from '../../src/ssh/known-hosts.js';
import { createSshStats, type SshStats } from '../../src/ssh/stats.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';

let box: BoxHosts;
let scratch: string;
let target: SshTarget;
const shells: HostShell[] = [];

function options(over: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    // Never the user's own file: every target here names its known_hosts.
    knownHostsFile: join(scratch, 'default_known_hosts'),
    acceptNewHostKeys: false,
    readyTimeoutMs: 10_000,
    ...over,
  };
}

async function connect(t: SshTarget, over: Partial<ConnectOptions> = {}): Promise<HostShell> {
  const shell = await connectHost(t, options(over));
  shells.push(shell);
  return shell;
}

/** The base64 key and SHA256 fingerprint from an OpenSSH public key line. */
function publicKey(line: string): { type: string; base64: string; fingerprint: string } {
  const [type = '', base64 = ''] = line.trim().split(/\s+/);
  return { type, base64, fingerprint: fingerprintSha256(Buffer.from(base64, 'base64')) };
}

beforeAll(async () => {
  box = await boxHosts();
  target = box.targets[0]!;
  scratch = await mkdtemp(join(tmpdir(), 'lab-ssh-test-'));
});

afterAll(async () => {
  await Promise.allSettled(shells.map((s) => s.close()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('connectHost against the box', () => {
  it('connects with strict host key checking and counts the connection', async () => {
    const stats = createSshStats();
    const shell = await connect(target, { stats });
    const r = await shell.exec(['hostname']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).not.toBe('');
    expect(stats.connectionsOpened).toBe(1);
  });

  it('refuses a changed host key with the clear error, fingerprint shown', async () => {
    // Record the OTHER host's key for this address: exactly what a man-in-the-middle looks like.
    const other = publicKey(box.state.hosts[1]!.hostKeyPublic);
    const real = publicKey(box.state.hosts[0]!.hostKeyPublic);
    const file = join(scratch, 'wrong_known_hosts');
    await writeFile(file, `# wrong on purpose\n${target.address} ${other.type} ${other.base64}\n`);
    const err = await connectHost(
      { ...target, knownHostsFile: file },
      options({ acceptNewHostKeys: true }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    const e = err as LabError;
    expect(e.kind).toBe('host');
    expect(e.message).toContain(
      `${target.host} (${target.address}:22): HOST KEY CHANGED, refusing to connect`,
    );
    expect(e.message).toContain(real.fingerprint);
    expect(e.message).toContain(`${file}:2`);
    // accept-new never overrides a changed key, and the file is left as it was.
    expect(await readFile(file, 'utf8')).toContain(other.base64);
    expect(await readFile(file, 'utf8')).not.toContain(real.base64);
  });

  it('refuses an unknown host key unless asked to accept new keys, then records it', async () => {
    const file = join(scratch, 'empty_known_hosts');
    await writeFile(file, '');
    const t = { ...target, knownHostsFile: file };
    const err = await connectHost(t, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      `${t.host} (${t.address}:22): host key not in ${file}; add it with \`ssh-keyscan -p 22 ${t.address} >> ${file}\` after checking its fingerprint (ED25519 ${publicKey(box.state.hosts[0]!.hostKeyPublic).fingerprint}), or pass --accept-new-host-keys`,
    );

    const warnings: string[] = [];
    await connect(t, {
      acceptNewHostKeys: true,
      logger: { debug: () => {}, warn: (m) => warnings.push(m) },
    });
    expect(await readFile(file, 'utf8')).toContain(`${t.address} ssh-ed25519 `);
    expect(warnings.join('\n')).toContain('permanently added');
    // Now strict checking passes with the recorded key.
    await connect(t);
  });

  it('checks hashed known_hosts entries as written by ssh-keygen -H', async () => {
    const file = join(scratch, 'hashed_known_hosts');
    await writeFile(file, await readFile(box.state.knownHosts, 'utf8'));
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(await readFile(file, 'utf8')).toMatch(/^\|1\|/m);
    const shell = await connect({ ...target, knownHostsFile: file });
    expect((await shell.exec(['true'])).exitCode).toBe(0);
  });

  it('explains an authentication failure', async () => {
    const key = join(scratch, 'stranger_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const err = await connectHost({ ...target, privateKeyFile: key }, options()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      `${target.host} (${target.address}:22): authentication failed for user root (tried: key ${key})`,
    );
  });

  it('explains a refused connection', async () => {
    const err = await connectHost({ ...target, port: 2 }, options()).catch((e: unknown) => e);
    expect((err as LabError).message).toBe(
      `${target.host} (${target.address}:2): connection refused; is sshd running and listening on port 2?`,
    );
  });

  it('explains a host that does not answer', async () => {
    // Inside the box's LAN, but no host there: nothing answers ARP.
    const err = await connectHost(
      { ...target, host: 'ghost', address: '198.18.0.250' },
      options({ readyTimeoutMs: 1500 }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).kind).toBe('host');
    expect((err as LabError).message).toMatch(
      /^ghost \(198\.18\.0\.250:22\): (no SSH connection within 1500 ms|host unreachable)/,
    );
  });
});

describe('HostShell on the box', () => {
  let shell: HostShell;
  let stats: SshStats;
  beforeAll(async () => {
    stats = createSshStats();
    shell = await connect(target, { stats });
  });

  it('returns exit codes, stdout and stderr; success is the exit code only', async () => {
    expect(await shell.exec(['sh', '-c', 'echo out; echo err >&2; exit 7'])).toMatchObject({
      exitCode: 7,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect(await shell.exec(['sh', '-c', 'echo warning >&2'])).toMatchObject({
      exitCode: 0,
      stderr: 'warning\n',
    });
    expect((await shell.exec(['false'])).exitCode).toBe(1);
  });

  it('passes every word through the remote shell unchanged', async () => {
    const words = ['a b', "it's", '$HOME', '`id`', '*', '', 'line\nbreak', 'ünï ✓'];
    const r = await shell.exec(['printf', '%s|', ...words]);
    expect(r.stdout).toBe(`${words.join('|')}|`);
  });

  it('runs a script in one round trip, with its exit code', async () => {
    const r = await shell.script('x=41\necho $((x + 1))\necho oops >&2\nexit 3\n');
    expect(r).toMatchObject({ exitCode: 3, stdout: '42\n', stderr: 'oops\n' });
  });

  it('throws from the checked variant with host, command, exit code and stderr', async () => {
    const err = (await runChecked(shell, ['ls', '/no/such/path']).catch(
      (e: unknown) => e,
    )) as LabError;
    expect(err).toBeInstanceOf(LabError);
    expect(err.kind).toBe('remote');
    expect(err.context).toMatchObject({
      host: target.host,
      command: 'ls /no/such/path',
      exitCode: 2,
    });
    expect(err.context.stderrTail).toMatch(/No such file/);
    expect(err.context.durationMs).toBeGreaterThan(0);
  });

  it('times a command out and stays usable', async () => {
    const r = await shell.exec(['sleep', '20'], { timeoutMs: 500 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    expect(r.durationMs).toBeLessThan(2_000);
    expect((await shell.exec(['true'])).exitCode).toBe(0);
  });

  it('runs 50 commands fired at once on one connection, all succeeding (MaxSessions respected)', async () => {
    const before = stats.connectionsOpened;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => shell.exec(['echo', `n${i}`])),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(50).fill(0));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}\n`));
    expect(stats.connectionsOpened).toBe(before);
  });
});
