import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SshEndpoint } from './target.js';
import { JumpPool, type HopConnection, type Tunnel } from './jump-pool.js';

const hop = (host: string): SshEndpoint => ({ host, address: `198.18.0.${host.length}`, port: 22 });

/** A connected hop (the pool's own HopConnection) that records forwards and whether it was disposed. */
function fakeSsh(name: string, log: string[], failForward = false): HopConnection {
  const connection = Object.assign(new EventEmitter(), {
    destroy: () => connection.emit('close'),
  });
  return {
    connection,
    forwardOut: async (_s: string, _p: number, address: string, port: number) => {
      log.push(`${name} forwards to ${address}:${port}`);
      if (failForward) throw new Error('open failed (Connection refused)');
      return new PassThrough();
    },
    dispose() {
      log.push(`${name} closed`);
      connection.emit('close');
    },
  };
}

describe('JumpPool', () => {
  it('shares one jump connection among targets and closes it after the last release', async () => {
    const log: string[] = [];
    const pool = new JumpPool();
    const open = async (h: SshEndpoint) => {
      log.push(`open ${h.host}`);
      return fakeSsh(h.host, log);
    };
    const [a, b] = await Promise.all([
      pool.acquire([hop('server1')], open),
      pool.acquire([hop('server1')], open),
    ]);
    expect(a.ssh).toBe(b.ssh);
    a.release();
    a.release(); // twice is once
    expect(log).toEqual(['open server1']);
    b.release();
    expect(log).toEqual(['open server1', 'server1 closed']);
    // The next target gets a fresh connection.
    (await pool.acquire([hop('server1')], open)).release();
    expect(log.filter((l) => l === 'open server1')).toHaveLength(2);
  });

  it('reaches a chain hop by hop and closes it from the far end back', async () => {
    const log: string[] = [];
    const tunnels: (Tunnel | undefined)[] = [];
    const pool = new JumpPool();
    const lease = await pool.acquire([hop('a'), hop('bb')], async (h, tunnel) => {
      tunnels.push(tunnel);
      log.push(`open ${h.host}`);
      return fakeSsh(h.host, log);
    });
    expect(tunnels[0]).toBeUndefined();
    expect(tunnels[1]?.via).toBe('a');
    lease.release();
    expect(log).toEqual([
      'open a',
      'a forwards to 198.18.0.2:22',
      'open bb',
      'bb closed',
      'a closed',
    ]);
  });

  it('a hop that cannot be reached names it, and releases the hops before it', async () => {
    const log: string[] = [];
    const pool = new JumpPool();
    const attempt = pool.acquire([hop('a'), hop('bb')], async (h) => fakeSsh(h.host, log, true));
    await expect(attempt).rejects.toThrow(/^a could not open a connection to 198.18.0.2:22/);
    expect(log).toContain('a closed');
  });
});
