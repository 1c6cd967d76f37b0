import { isDeepStrictEqual } from 'node:util';
import type { SshTarget } from '../ssh/target.js';
import { closeAll, type Connector, type HostSession } from '../host/session.js';

export interface EarlyConnections {
  /** Hands out the session already being opened for a host (once), else connects as usual. */
  connect: Connector;
  /**
   * Closes every early session nobody asked for (the run stopped before it got to that host, or the
   * guess was wrong); a connection still being made is abandoned, not waited for.
   */
  dispose(): Promise<void>;
}

/**
 * Starts connecting to the first `limit` targets at once, before the scenario is checked and before
 * the executor and its libraries are even loaded, so that the SSH handshakes (mostly waiting on the
 * network and the hosts) overlap with that work. The executor then asks the returned connector for
 * each host as before; a target that is not exactly the one guessed gets a connection of its own.
 */
export function connectEarly(
  connect: Connector,
  targets: readonly SshTarget[],
  limit: number,
): EarlyConnections {
  const abandon = new AbortController();
  const started = new Map<string, { target: SshTarget; session: Promise<HostSession> }>();
  for (const target of targets.slice(0, Math.max(0, limit))) {
    const session = connect(target, abandon.signal);
    // Handled here as well: a host nobody asks for must not end the process with its failure.
    session.catch(() => {});
    started.set(target.host, { target, session });
  }
  return {
    connect: (target, signal) => {
      const early = started.get(target.host);
      if (!early || !isDeepStrictEqual(early.target, target)) return connect(target, signal);
      started.delete(target.host);
      // The caller's Ctrl-C abandons the handshake begun early, as it would its own.
      if (signal?.aborted) abandon.abort();
      else signal?.addEventListener('abort', () => abandon.abort(), { once: true });
      return early.session;
    },
    dispose: async () => {
      const left = [...started.values()];
      started.clear();
      abandon.abort();
      const sessions = await Promise.allSettled(left.map((e) => e.session));
      await closeAll(sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    },
  };
}

/**
 * The auth gate for early connections: a promise opened (input valid) or refused (input bad) by
 * the command once it has checked its input; connections wait on it before logging in.
 */
export function authGate(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
} {
  let resolve: () => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A refused gate is the caller's own error, reported by the caller, not an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
