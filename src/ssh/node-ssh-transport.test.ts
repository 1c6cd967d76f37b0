import { EventEmitter } from 'node:events';
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

/** A connection whose exec hands out a channel that records what the transport does with it. */
function execSsh() {
  const calls: string[] = [];
  const channel = Object.assign(new EventEmitter(), {
    stderr: new EventEmitter(),
    signal: (name: string) => calls.push(`signal ${name}`),
    close: () => {
      calls.push('close');
      channel.emit('close');
    },
    end: (data?: string) => calls.push(`end ${data ?? ''}`),
  });
  const connection = Object.assign(new EventEmitter(), {
    exec: (command: string, cb: (err: Error | undefined, ch: typeof channel) => void) => {
      calls.push(`exec ${command}`);
      cb(undefined, channel);
    },
  });
  return { ssh: { connection } as unknown as NodeSSH, channel, calls };
}

describe('NodeSshTransport.exec', () => {
  it('keeps a command without stdin open, so a timeout can send KILL (public Channel.signal)', async () => {
    const { ssh, calls } = execSsh();
    let abort: () => void = () => {};
    const running = new NodeSshTransport(ssh).exec('sleep 30', {
      onStdout: () => {},
      onStderr: () => {},
      onStarted: (a) => (abort = a),
    });
    await vi.waitFor(() => expect(calls).toEqual(['exec sleep 30']));
    await Promise.resolve();
    abort();
    expect(calls).toEqual(['exec sleep 30', 'signal KILL', 'close']);
    expect(await running).toEqual({ code: null, signal: null });
  });

  it('sends a script as stdin, then EOF, and gives the exit code', async () => {
    const { ssh, channel, calls } = execSsh();
    const running = new NodeSshTransport(ssh).exec('sh -s', {
      stdin: 'exit 3\n',
      onStdout: () => {},
      onStderr: () => {},
      onStarted: () => {},
    });
    await vi.waitFor(() => expect(calls).toEqual(['exec sh -s', 'end exit 3\n']));
    channel.emit('exit', 3);
    channel.emit('close');
    expect(await running).toEqual({ code: 3, signal: null });
  });
});
