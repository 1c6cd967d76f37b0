import type { Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import { within } from '../common/clock.js';
import type { InteractiveChannel } from './command-pipe.js';
import type { CommandIo, SshTransport } from './transport.js';

/** Channel opens in flight at once, with room: 8 commands + 16 API + 64 exec streams and more. */
const MAX_CHANNELS_IN_FLIGHT = 256;
/**
 * How long close() waits for the connection to end cleanly. A host that vanished (powered off, cable
 * pulled) never answers the disconnect, and the socket would otherwise linger until TCP gives up.
 */
const CLOSE_GRACE_MS = 2_000;

/** SshTransport over a connected node-ssh client: the only file besides connect.ts that sees it. */
export class NodeSshTransport implements SshTransport {
  readonly #ssh: NodeSSH;
  readonly #closed: Promise<void>;
  #closeListeners: ((err?: Error) => void)[] = [];
  #lastError: Error | undefined;

  constructor(ssh: NodeSSH) {
    this.#ssh = ssh;
    const conn = ssh.connection;
    if (!conn) throw new Error('NodeSshTransport needs a connected client');
    // node-ssh adds a short-lived 'error' listener per channel being opened; with many channels in
    // flight (commands plus Docker API connections) Node would warn about a leak that is none.
    conn.setMaxListeners(MAX_CHANNELS_IN_FLIGHT);
    // A connection that dies later (reset, keepalive timeout) emits 'error' with nobody else
    // listening: without this listener that would crash the process.
    conn.on('error', (err: Error) => {
      this.#lastError = err;
    });
    this.#closed = new Promise((resolve) => {
      conn.once('close', () => {
        for (const l of this.#closeListeners) l(this.#lastError);
        this.#closeListeners = [];
        resolve();
      });
    });
  }

  async exec(
    command: string,
    io: CommandIo,
  ): Promise<{ code: number | null; signal: string | null }> {
    const r = await this.#ssh.execCommand(command, {
      ...(io.stdin !== undefined ? { stdin: io.stdin } : {}),
      noTrim: true,
      onStdout: io.onStdout,
      onStderr: io.onStderr,
      onChannel: (channel) => io.onStarted(() => killChannel(channel)),
    });
    return { code: r.code, signal: r.signal };
  }

  openInteractive(command: string): Promise<InteractiveChannel> {
    const conn = this.#ssh.connection;
    if (!conn) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      conn.exec(command, (err, channel) => {
        if (err) {
          reject(err);
          return;
        }
        let ended = false;
        const endListeners: (() => void)[] = [];
        channel.once('close', () => {
          ended = true;
          for (const l of endListeners) l();
        });
        resolve({
          write: (text) => void channel.write(text),
          onStdout: (l) => void channel.on('data', l),
          onStderr: (l) => void channel.stderr.on('data', l),
          onEnd: (l) => (ended ? l() : void endListeners.push(l)),
          kill: () => killChannel(channel),
        });
      });
    });
  }

  openStreamLocal(path: string): Promise<Duplex> {
    return this.#ssh.forwardOutStreamLocal(path);
  }

  onClose(listener: (err?: Error) => void): void {
    this.#closeListeners.push(listener);
  }

  async close(): Promise<void> {
    const conn = this.#ssh.connection;
    if (conn) this.#ssh.dispose();
    const closed = this.#closed.then(() => true);
    if (!(await within(closed, CLOSE_GRACE_MS))) {
      conn?.destroy();
      await this.#closed;
    }
  }
}

/**
 * Kills the remote process (sshd honours "signal" requests since OpenSSH 7.9), then closes the
 * channel: sshd keeps a session, and its MaxSessions slot, until the process is gone.
 */
function killChannel(channel: ClientChannel): void {
  sendSignal(channel, 'KILL');
  channel.close();
}

/**
 * ssh2's channel.signal() does nothing once our side has sent EOF, and node-ssh sends EOF at once
 * when there is no stdin. The SSH protocol allows the request after EOF, so send it as signal()
 * would, through the channel's protocol object. Best effort: without it the channel still closes
 * once the process ends by itself.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const c = channel as unknown as {
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
    outgoing?: { id?: number; state?: string };
  };
  const protocol = c._client?._protocol;
  const id = c.outgoing?.id;
  const state = c.outgoing?.state;
  if (!protocol?.signal || id === undefined || (state !== 'open' && state !== 'eof')) return;
  try {
    protocol.signal(id, name);
  } catch {
    // The connection is going away; closing the channel below is all that is left to do.
  }
}
