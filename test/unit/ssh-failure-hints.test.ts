import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../src/common/errors.js';
import { connectHost } from '../../src/ssh/connect.js';
import { startSshServer, type TestSshServer } from '../fakes/ssh-server.js';

/** Every SSH failure class gets a message naming host and address, and a hint (issue 15, defect 8). */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A loopback TCP server doing `onConnection` with every connection; its port. */
async function tcpServer(onConnection: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

async function sshServer(): Promise<TestSshServer> {
  const s = await startSshServer();
  cleanups.push(() => s.close());
  return s;
}

async function failureAt(
  port: number,
  s: TestSshServer,
  readyTimeoutMs = 5_000,
): Promise<LabError> {
  const err = await connectHost(
    {
      host: 'server2',
      address: '127.0.0.1',
      port,
      user: 'tester',
      privateKeyFile: s.clientKeyFile,
      become: false,
    },
    { knownHostsFile: s.knownHostsFile, acceptNewHostKeys: false, readyTimeoutMs },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  const e = err as LabError;
  expect(e.message).toContain(`server2 (127.0.0.1:${port})`);
  expect(e.context.hint ?? '').not.toBe('');
  return e;
}

describe('SSH failure classes, each with a hint', () => {
  it('a host that closes the connection before the handshake', async () => {
    const s = await sshServer();
    const port = await tcpServer((sock) => sock.end());
    const e = await failureAt(port, s);
    expect(e.message).toMatch(/before the SSH handshake/);
    expect(e.context.hint).toMatch(/sshd/);
  });

  it('a refused connection', async () => {
    const s = await sshServer();
    const port = await tcpServer(() => {});
    await Promise.all(cleanups.splice(1).map((c) => c())); // that port is closed again
    const e = await failureAt(port, s);
    expect(e.message).toMatch(/connection refused/);
    expect(e.context.hint).toMatch(/ansible_port/);
  });

  it('a host that never speaks SSH (timeout)', async () => {
    const s = await sshServer();
    const port = await tcpServer(() => {});
    const e = await failureAt(port, s, 500);
    expect(e.message).toMatch(/timed out/);
    expect(e.context.hint).toMatch(/firewall/);
  });

  it('a refused login', async () => {
    const s = await startSshServer({ refuseAuth: true });
    cleanups.push(() => s.close());
    const e = await failureAt(s.port, s);
    expect(e.message).toMatch(/authentication failed for user tester/);
  });

  it('a changed host key', async () => {
    const s = await sshServer();
    const other = await sshServer();
    // Other's key file holds other's key for other's port: point at it with s's port written in.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      s.knownHostsFile,
      `${other.knownHostsLine.replace(`]:${other.port} `, `]:${s.port} `)}\n`,
    );
    const e = await failureAt(s.port, s);
    expect(e.message).toMatch(/HOST KEY CHANGED/);
    expect(e.context.hint).toMatch(/ssh-keygen -R/);
  });
});
