import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../src/common/errors.js';
import { connectHost, type ConnectOptions } from '../../src/ssh/connect.js';
import type { HostShell } from '../../src/ssh/host-shell.js';
import type { SshTarget } from '../../src/ssh/target.js';
import { startSshServer, type TestSshServer } from '../fakes/ssh-server.js';

const servers: TestSshServer[] = [];
const shells: HostShell[] = [];
afterEach(async () => {
  await Promise.all(shells.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startSshServer>[0] = {}) {
  const s = await startSshServer(options);
  servers.push(s);
  return s;
}

function target(s: TestSshServer, become = false): SshTarget {
  return {
    host: 'server1',
    address: '127.0.0.1',
    port: s.port,
    user: 'tester',
    privateKeyFile: s.clientKeyFile,
    become,
  };
}

async function connect(s: TestSshServer, options: Partial<ConnectOptions> = {}, become = false) {
  const shell = await connectHost(target(s, become), {
    knownHostsFile: s.knownHostsFile,
    acceptNewHostKeys: false,
    readyTimeoutMs: 5_000,
    ...options,
  });
  shells.push(shell);
  return shell;
}

async function failure(p: Promise<unknown>): Promise<LabError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  return err as LabError;
}

describe('host-key policy on the real protocol', () => {
  it('connects to a known host', async () => {
    const s = await server();
    const shell = await connect(s);
    expect((await shell.exec(['echo', 'hi'])).stdout).toBe('hi\n');
  });

  it('refuses an unknown host, and records it with accept-new', async () => {
    const s = await server();
    const empty = path.join(s.dir, 'empty_known_hosts');
    await writeFile(empty, '');
    const err = await failure(connect(s, { knownHostsFile: empty }));
    expect(err.message).toMatch(/server1/);
    expect(err.message).toMatch(/not in|unknown/i);
    expect(await readFile(empty, 'utf8')).toBe('');

    await connect(s, { knownHostsFile: empty, acceptNewHostKeys: true });
    expect(await readFile(empty, 'utf8')).toContain(s.knownHostsLine.split(' ')[2]);
  });

  it('refuses a changed host key, even with accept-new', async () => {
    const s = await server();
    const other = await server();
    const wrong = path.join(s.dir, 'wrong_known_hosts');
    // The other server's key, recorded for this server's address.
    await writeFile(wrong, `${other.knownHostsLine.replace(`]:${other.port} `, `]:${s.port} `)}\n`);
    const err = await failure(connect(s, { knownHostsFile: wrong, acceptNewHostKeys: true }));
    expect(err.message).toMatch(/changed|does not match|mismatch/i);
  });
});

describe('commands and sudo on the real protocol', () => {
  it('gives exit status, stdout and stderr of each command through the pipe', async () => {
    const s = await server();
    const shell = await connect(s);
    const results = await Promise.all([
      shell.exec(['sh', '-c', 'printf a; printf b >&2; exit 0']),
      shell.exec(['sh', '-c', 'echo no newline at end >&2; printf x; exit 7']),
    ]);
    expect(results[0]).toMatchObject({ exitCode: 0, stdout: 'a', stderr: 'b' });
    expect(results[1]).toMatchObject({ exitCode: 7, stdout: 'x', stderr: 'no newline at end\n' });
  });

  it('ends a command that outlives its timeout', async () => {
    const s = await server();
    const shell = await connect(s);
    const r = await shell.exec(['sleep', '30'], { timeoutMs: 300 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    // The host is still usable afterwards.
    expect((await shell.exec(['echo', 'again'])).stdout).toBe('again\n');
  });

  // ssh2's server drops channel requests once a command runs, so the KILL signal itself is checked
  // in src/ssh/node-ssh-transport.test.ts; here, sessions without the pipe on the real protocol.
  it('ends a session command that outlives its timeout; scripts on stdin still give their exit code', async () => {
    const s = await server();
    const shell = await connect(s, { pipeline: false });
    const r = await shell.exec(['sleep', '30'], { timeoutMs: 300 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    expect((await shell.exec(['echo', 'again'])).stdout).toBe('again\n');
    // Scripts come with stdin, and a session still ends with their exit code.
    const script = await shell.script('echo one; exit 3');
    expect(script).toMatchObject({ exitCode: 3, stdout: 'one\n' });
  });

  it('runs privileged commands through `sudo -n` when the target becomes', async () => {
    const s = await server();
    // A stand-in sudo on PATH: records its arguments and runs the command.
    const bin = path.join(s.dir, 'bin');
    const { mkdir, chmod } = await import('node:fs/promises');
    await mkdir(bin);
    const log = path.join(s.dir, 'sudo.log');
    await writeFile(
      path.join(bin, 'sudo'),
      `#!/bin/sh\necho "$*" >> ${log}\n[ "$1" = -n ] && shift\nexec "$@"\n`,
    );
    await chmod(path.join(bin, 'sudo'), 0o755);
    const s2 = await server({ env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    const shell = await connect(s2, {}, true);
    const r = await shell.exec(['echo', 'as-root'], { become: true });
    expect(r.stdout).toBe('as-root\n');
    expect(await readFile(log, 'utf8')).toMatch(/^-n .*echo/m);
  });
});

describe('SSH failures on the real protocol', () => {
  it('says the login was refused, with a hint', async () => {
    const s = await server({ refuseAuth: true });
    const err = await failure(connect(s));
    expect(err.message).toMatch(/server1/);
    expect(err.context.hint ?? '').not.toBe('');
  });
});
