import { EventEmitter, once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Config, NodeSSH } from 'node-ssh';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { SshTarget } from './target.js';
import { connectHost, type ConnectOptions } from './connect.js';
import { createSshStats } from './stats.js';

const HOST_KEY = Buffer.from(
  'AAAAC3NzaC1lZDI1NTE5AAAAICckrHec3p2CeRYc0yG74iaLCs2hwmKxXFcdcVHdukvn',
  'base64',
);
// Made per run, so no private key (even a throwaway one) sits in the repository.
const CLIENT_KEY = ssh2.utils.generateKeyPairSync('ed25519').private;

/** Stands in for node-ssh: runs the host key check as ssh2 would, then succeeds or fails. */
function fakeClient(behaviour: { fail?: Error }, seen: { config?: Config; disposed: boolean }) {
  return (): NodeSSH => {
    const connection = new EventEmitter();
    const client = {
      connection: null as EventEmitter | null,
      async connect(config: Config) {
        seen.config = config;
        const verifier = config.hostVerifier as (
          key: Buffer,
          verify: (ok: boolean) => void,
        ) => void;
        const ok = await new Promise<boolean>((resolve) => verifier(HOST_KEY, resolve));
        if (!ok)
          throw Object.assign(new Error('Host denied (verification failed)'), {
            level: 'handshake',
          });
        if (behaviour.fail) throw behaviour.fail;
        client.connection = connection;
        return client;
      },
      dispose() {
        seen.disposed = true;
        client.connection = null;
        connection.emit('close');
      },
    };
    return client as unknown as NodeSSH;
  };
}

let dir: string;
let knownHosts: string;
let keyFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-connect-'));
  knownHosts = join(dir, 'known_hosts');
  keyFile = join(dir, 'id_ed25519');
  await writeFile(knownHosts, `198.18.0.1 ssh-ed25519 ${HOST_KEY.toString('base64')}\n`);
  await writeFile(keyFile, CLIENT_KEY);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withoutUser = ({ user: _user, ...rest }: SshTarget): SshTarget => rest;

const target = (over: Partial<SshTarget> = {}): SshTarget => ({
  host: 'server1',
  address: '198.18.0.1',
  port: 22,
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
      options({ stats, agentSocket: '/run/agent.sock', createClient: fakeClient({}, seen) }),
    );
    expect(shell.host).toBe('server1');
    expect(stats.connectionsOpened).toBe(1);
    expect(seen.config).toMatchObject({
      host: '198.18.0.1',
      port: 22,
      username: 'root',
      agent: '/run/agent.sock',
      readyTimeout: 5_000,
    });
    expect(seen.config?.privateKey).toBe(CLIENT_KEY);
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
      options({ createClient: fakeClient({}, seen) }),
    ).catch((e: unknown) => e);
    expect((err as LabError).message).toContain(`host key not in ${own}`);
    expect(seen.disposed).toBe(true);
  });

  it('uses the default user when the inventory names none, and refuses when there is none', async () => {
    const seen = { disposed: false } as { config?: Config; disposed: boolean };
    await connectHost(
      withoutUser(target()),
      options({ defaultUser: 'alice', createClient: fakeClient({}, seen) }),
    );
    expect(seen.config?.username).toBe('alice');
    await expect(connectHost(withoutUser(target()), options())).rejects.toThrow('no SSH user');
  });

  it('maps a failed login to a LabError, disposes the client, counts nothing', async () => {
    const seen = { disposed: false };
    const stats = createSshStats();
    const fail = Object.assign(new Error('All configured authentication methods failed'), {
      level: 'client-authentication',
    });
    const err = await connectHost(
      target(),
      options({ stats, createClient: fakeClient({ fail }, seen) }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      `server1 (198.18.0.1:22): authentication failed for user root (tried: key ${keyFile})`,
    );
    expect((err as LabError).cause).toBe(fail);
    expect(seen.disposed).toBe(true);
    expect(stats.connectionsOpened).toBe(0);
  });

  it('records an unknown key with acceptNewHostKeys', async () => {
    await writeFile(knownHosts, '');
    const seen = { disposed: false };
    await connectHost(
      target(),
      options({ acceptNewHostKeys: true, createClient: fakeClient({}, seen) }),
    );
    expect(await readFile(knownHosts, 'utf8')).toBe(
      `198.18.0.1 ssh-ed25519 ${HOST_KEY.toString('base64')}\n`,
    );
  });

  it('never puts key material in its errors', async () => {
    await writeFile(
      keyFile,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnot-a-key\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    const seen = { disposed: false };
    const err = (await connectHost(target(), options({ createClient: fakeClient({}, seen) })).catch(
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
