import { EventEmitter } from 'node:events';
import type { NodeSSH } from 'node-ssh';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeSshTransport } from './node-ssh-transport.js';

/** node-ssh as far as close() sees it: a connection that closes when told, or never (host gone). */
function fakeSsh(answersDisconnect: boolean) {
  const emitter = new EventEmitter();
  const connection = Object.assign(emitter, {
    destroyed: false,
    destroy() {
      connection.destroyed = true;
      emitter.emit('close');
    },
  });
  const ssh = {
    connection: connection as EventEmitter | null,
    dispose() {
      ssh.connection = null;
      if (answersDisconnect) setTimeout(() => connection.emit('close'), 5);
    },
  };
  return { ssh: ssh as unknown as NodeSSH, connection };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('NodeSshTransport.close', () => {
  it('ends when the host answers the disconnect', async () => {
    const { ssh, connection } = fakeSsh(true);
    await new NodeSshTransport(ssh).close();
    expect(connection.destroyed).toBe(false);
  });

  it('does not hang on a host that vanished: the socket is destroyed after a grace period', async () => {
    vi.useFakeTimers();
    const { ssh, connection } = fakeSsh(false);
    const closing = new NodeSshTransport(ssh).close();
    await vi.advanceTimersByTimeAsync(2_000);
    await closing;
    expect(connection.destroyed).toBe(true);
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
