import { NodeSSH } from 'node-ssh';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSshServer, type TestSshServer } from '../../test/fakes/ssh-server.js';
import { NodeSshTransport } from './node-ssh-transport.js';

/**
 * close() on the real protocol: a node-ssh client logged in to the in-process ssh2.Server harness,
 * whose relay can be frozen (the host vanished: it never answers the disconnect).
 */
const servers: TestSshServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function connected() {
  const server = await startSshServer();
  servers.push(server);
  const ssh = new NodeSSH();
  await ssh.connect({
    host: '127.0.0.1',
    port: server.port,
    username: 'tester',
    privateKeyPath: server.clientKeyFile,
  });
  const connection = ssh.connection;
  if (!connection) throw new Error('not connected');
  // Watches the socket being destroyed, and still destroys it.
  const destroy = vi.spyOn(connection, 'destroy');
  return { ssh, server, destroy };
}

describe('NodeSshTransport.close', () => {
  it('ends when the host answers the disconnect', async () => {
    const { ssh, destroy } = await connected();
    await new NodeSshTransport(ssh).close();
    expect(destroy).not.toHaveBeenCalled();
  });

  it('does not hang on a host that vanished: the socket is destroyed after a grace period', async () => {
    const { ssh, server, destroy } = await connected();
    const transport = new NodeSshTransport(ssh);
    server.freeze();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const closing = transport.close();
    await vi.advanceTimersByTimeAsync(2_000);
    await closing;
    expect(destroy).toHaveBeenCalled();
  });
});

/** A command's output and its end, as NodeSshTransport.exec gives them. */
function execOn(ssh: NodeSSH, command: string, stdin?: string) {
  let out = '';
  let abort: (() => void) | undefined;
  const running = new NodeSshTransport(ssh).exec(command, {
    ...(stdin !== undefined && { stdin }),
    onStdout: (d) => void (out += String(d)),
    onStderr: () => {},
    onStarted: (a) => (abort = a),
  });
  return { running, output: () => out, abort: () => abort?.() };
}

describe('NodeSshTransport.exec', () => {
  it('keeps a command without stdin open, so a timeout can send KILL (public Channel.signal)', async () => {
    const { ssh, server } = await connected();
    // `read` ends at once on end-of-input: still waiting means stdin is open.
    const cmd = execOn(ssh, 'echo started; read line; echo "read ended $?"');
    await vi.waitFor(() => expect(cmd.output()).toBe('started\n'));
    await new Promise((r) => setTimeout(r, 200));
    expect(cmd.output()).toBe('started\n');
    cmd.abort();
    await cmd.running;
    expect(server.signals).toEqual(['KILL']);
    expect(cmd.output()).toBe('started\n');
  });

  it('sends a script as stdin, then EOF, and gives the exit code', async () => {
    const { ssh, server } = await connected();
    const cmd = execOn(ssh, 'sh -s', 'echo from-script; exit 3\n');
    expect(await cmd.running).toEqual({ code: 3, signal: null });
    expect(cmd.output()).toBe('from-script\n');
    expect(server.commands).toEqual(['sh -s']);
  });
});
