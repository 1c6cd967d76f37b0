import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { NodeSSH, type Config } from 'node-ssh';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSshServer, type TestSshServer } from '../../test/fakes/ssh-server.js';
import { LabError } from '../common/errors.js';
import type { SshTarget } from './target.js';
import { connectHost, type ConnectOptions } from './connect.js';
import { createSshStats } from './stats.js';

/**
 * A real node-ssh client that records the config it is given and whether it was disposed: the
 * connection itself runs on the real protocol against the in-process ssh2.Server harness.
 */
class RecordingSsh extends NodeSSH {
  constructor(readonly seen: { config?: Config; disposed: boolean }) {
    super();
  }
  override connect(config: Config): Promise<this> {
    this.seen.config = config;
    return super.connect(config);
  }
  override dispose(): void {
    this.seen.disposed = true;
    super.dispose();
  }
}
const recording = (seen: { config?: Config; disposed: boolean }) => () => new RecordingSsh(seen);

let server: TestSshServer;
let refusing: TestSshServer | undefined;
let dir: string;
let knownHosts: string;
let keyFile: string;
beforeEach(async () => {
  server = await startSshServer();
  dir = server.dir;
  knownHosts = server.knownHostsFile;
  keyFile = server.clientKeyFile;
});
afterEach(async () => {
  await server.close();
  await refusing?.close();
  refusing = undefined;
});

const withoutUser = ({ user: _user, ...rest }: SshTarget): SshTarget => rest;

const target = (over: Partial<SshTarget> = {}): SshTarget => ({
  host: 'server1',
  address: '127.0.0.1',
  port: server.port,
  user: 'root',
  privateKeyFile: keyFile,
  become: false,
  ...over,
});
const options = (over: Partial<ConnectOptions> = {}): ConnectOptions => ({
  knownHostsFile: knownHosts,
  acceptNewHostKeys: false,
  readyTimeoutMs: 5_000,
  ...over,
});

describe('connectHost', () => {
  it('connects with the key, the agent and the recorded host key type first; counts the connection', async () => {
    const seen = { disposed: false } as { config?: Config; disposed: boolean };
    const stats = createSshStats();
    const shell = await connectHost(
      target(),
      options({ stats, agentSocket: '/run/agent.sock', createClient: recording(seen) }),
    );
    expect(shell.host).toBe('server1');
    expect(stats.connectionsOpened).toBe(1);
    expect(seen.config).toMatchObject({
      host: '127.0.0.1',
      port: server.port,
      username: 'root',
      agent: '/run/agent.sock',
      readyTimeout: 5_000,
    });
    expect(seen.config?.privateKey).toBe(await readFile(keyFile, 'utf8'));
    // No "none" attempt first: the key, then the agent.
    expect(seen.config?.authHandler).toEqual(['publickey', 'agent']);
    expect((seen.config?.algorithms?.serverHostKey as string[])[0]).toBe('ssh-ed25519');
    await shell.close();
    expect(seen.disposed).toBe(true);
  });

  it("prefers the target's own known_hosts over the default file", async () => {
    const own = join(dir, 'own_known_hosts');
    await writeFile(own, '');
    const seen = { disposed: false };
    const err = await connectHost(
      target({ knownHostsFile: own }),
      options({ createClient: recording(seen) }),
    ).catch((e: unknown) => e);
    expect((err as LabError).message).toContain(`host key not in ${own}`);
    expect(seen.disposed).toBe(true);
  });

  it('uses the default user when the inventory names none, and refuses when there is none', async () => {
    const seen = { disposed: false } as { config?: Config; disposed: boolean };
    const shell = await connectHost(
      withoutUser(target()),
      options({ defaultUser: 'alice', createClient: recording(seen) }),
    );
    expect(seen.config?.username).toBe('alice');
    await shell.close();
    await expect(connectHost(withoutUser(target()), options())).rejects.toThrow('no SSH user');
  });

  it('maps a failed login to a LabError, disposes the client, counts nothing', async () => {
    refusing = await startSshServer({ refuseAuth: true });
    const seen = { disposed: false };
    const stats = createSshStats();
    const err = await connectHost(
      target({ port: refusing.port, privateKeyFile: refusing.clientKeyFile }),
      options({ stats, knownHostsFile: refusing.knownHostsFile, createClient: recording(seen) }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      `server1 (127.0.0.1:${refusing.port}): authentication failed for user root (tried: key ${refusing.clientKeyFile})`,
    );
    // The original error is kept: ssh2's own, as the server refused the key.
    expect((err as LabError).cause).toBeInstanceOf(Error);
    expect((err as LabError).cause).toMatchObject({
      message: 'All configured authentication methods failed',
      level: 'client-authentication',
    });
    expect(seen.disposed).toBe(true);
    expect(stats.connectionsOpened).toBe(0);
  });

  it('records an unknown key with acceptNewHostKeys', async () => {
    await writeFile(knownHosts, '');
    const seen = { disposed: false };
    const shell = await connectHost(
      target(),
      options({ acceptNewHostKeys: true, createClient: recording(seen) }),
    );
    expect(await readFile(knownHosts, 'utf8')).toBe(`${server.knownHostsLine}\n`);
    await shell.close();
  });

  it('never puts key material in its errors', async () => {
    await writeFile(
      keyFile,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnot-a-key\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    const seen = { disposed: false };
    const err = (await connectHost(target(), options({ createClient: recording(seen) })).catch(
      (e: unknown) => e,
    )) as LabError;
    expect(err).toBeInstanceOf(LabError);
    expect(err.kind).toBe('input');
    expect(err.message).toContain(`${keyFile} is not a private key`);
    expect(err.describe()).not.toMatch(/AAAA|PRIVATE KEY/);
  });

  it('abandons a connection being made when its signal aborts, without waiting for a timeout', async () => {
    // A server that accepts and never says a word: the handshake would wait for readyTimeout.
    const held: Socket[] = [];
    const silent = createServer((sock) => void held.push(sock));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    try {
      const abort = new AbortController();
      const started = performance.now();
      const connecting = connectHost(
        target({ address: '127.0.0.1', port }),
        options({ readyTimeoutMs: 10_000, signal: abort.signal }),
      );
      setTimeout(() => abort.abort(), 50);
      const err = await connecting.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).kind).toBe('aborted');
      expect((err as LabError).message).toBe('server1: connection abandoned');
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      for (const sock of held) sock.destroy();
      silent.close();
    }
  });
});
