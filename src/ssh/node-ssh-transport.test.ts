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
