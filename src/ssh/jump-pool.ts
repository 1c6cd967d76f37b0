import type { Duplex } from 'node:stream';
import { LabError, isLabError } from '../common/errors.js';
import type { SshEndpoint } from './target.js';

/** A connection to make over a stream the previous hop forwards, and who forwards it (for messages). */
export interface Tunnel {
  sock: Duplex;
  via: string;
}

/**
 * What the pool needs of a hop's connection: node-ssh's client is one (connect.ts), a test's stand-in
 * another. The underlying connection is null once disposed.
 */
export interface HopConnection {
  readonly connection: {
    once(event: 'close', listener: () => void): unknown;
    destroy(): unknown;
  } | null;
  forwardOut(srcIP: string, srcPort: number, dstIP: string, dstPort: number): Promise<Duplex>;
  dispose(): void;
}

/** Opens one hop's connection, directly or through a tunnel (connect.ts's openSsh). */
export type OpenHop = (hop: SshEndpoint, tunnel?: Tunnel) => Promise<HopConnection>;

/** A jump connection in use by one target; release() once, when the target's connection ends. */
export interface JumpLease {
  readonly ssh: HopConnection;
  release(): void;
}

interface Entry {
  ssh: Promise<HopConnection>;
  users: number;
}

/** How long a jump connection may take to end cleanly before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The jump connections of one run, shared: the targets behind the same chain of jump hosts use one
 * connection per hop, each later hop made over a channel the one before forwards. A hop closes when
 * the last target using it releases it (so closing or aborting the run closes the jump hosts too),
 * and a hop whose connection ends is forgotten, so the next target reconnects.
 */
export class JumpPool {
  readonly #entries = new Map<string, Entry>();

  async acquire(hops: readonly SshEndpoint[], open: OpenHop): Promise<JumpLease> {
    const key = hops.map((h) => `${h.user ?? ''}@${h.address}:${h.port}`).join(' > ');
    let entry = this.#entries.get(key);
    if (!entry) {
      const fresh: Entry = {
        users: 0,
        ssh: Promise.resolve() as unknown as Promise<HopConnection>,
      };
      fresh.ssh = this.#connect(hops, open, key, fresh);
      // A failed attempt rejects every waiter; nobody else needs to handle it.
      fresh.ssh.catch(() => {});
      this.#entries.set(key, fresh);
      entry = fresh;
    }
    const used = entry;
    used.users++;
    let ssh: HopConnection;
    try {
      ssh = await used.ssh;
    } catch (err) {
      used.users--;
      throw err;
    }
    let released = false;
    return {
      ssh,
      release: () => {
        if (released) return;
        released = true;
        if (--used.users > 0) return;
        if (this.#entries.get(key) === used) this.#entries.delete(key);
        closeGracefully(ssh);
      },
    };
  }

  async #connect(
    hops: readonly SshEndpoint[],
    open: OpenHop,
    key: string,
    entry: Entry,
  ): Promise<HopConnection> {
    const hop = hops[hops.length - 1];
    if (!hop) throw new Error('no jump host');
    const before = hops.slice(0, -1);
    let parent: JumpLease | undefined;
    try {
      let tunnel: Tunnel | undefined;
      const previous = before[before.length - 1];
      if (previous) {
        parent = await this.acquire(before, open);
        const sock = await forwardTo(parent.ssh, previous.host, hop.address, hop.port);
        tunnel = { sock, via: before.map((h) => h.host).join(', ') };
      }
      const ssh = await open(hop, tunnel);
      const lease = parent;
      ssh.connection?.once('close', () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        lease?.release();
      });
      return ssh;
    } catch (err) {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      parent?.release();
      throw err;
    }
  }
}

function closeGracefully(ssh: HopConnection): void {
  const conn = ssh.connection;
  ssh.dispose();
  if (conn) setTimeout(() => conn.destroy(), CLOSE_GRACE_MS).unref();
}

/** A direct-tcpip channel from `jump` to address:port: the stream the next hop's SSH runs over. */
export async function forwardTo(
  jump: HopConnection,
  jumpName: string,
  address: string,
  port: number,
): Promise<Duplex> {
  try {
    return await jump.forwardOut('127.0.0.1', 0, address, port);
  } catch (err) {
    throw new LabError(
      'host',
      `${jumpName} could not open a connection to ${address}:${port}: ${(err as Error).message}`,
      {
        host: jumpName,
        hint: `is ${address}:${port} reachable from ${jumpName}, and does its sshd allow TCP forwarding (AllowTcpForwarding)?`,
      },
      { cause: err },
    );
  }
}

/** The error of a hop or of the target behind it, prefixed with the route: "server3 via server1: …". */
export function viaError(route: string, host: string, err: unknown): LabError {
  if (isLabError(err)) {
    return new LabError(
      err.kind,
      `${route}: ${err.message}`,
      { ...err.context, host },
      { cause: err },
    );
  }
  return new LabError('host', `${route}: ${(err as Error).message}`, { host }, { cause: err });
}
