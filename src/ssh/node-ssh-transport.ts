import type { Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import { within } from '../common/clock.js';
import { ChannelStream, type RawChannel } from './channel-stream.js';
import type { InteractiveChannel } from './command-pipe.js';
import type { CommandIo, ExecStream, SshTransport } from './transport.js';

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
  /** Byte streams handed out and still open: failed when the connection ends (ChannelStream says why). */
  readonly #streams = new Set<ChannelStream>();
  #ended = false;

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
        this.#ended = true;
        for (const l of this.#closeListeners) l(this.#lastError);
        this.#closeListeners = [];
        // Whatever the listeners did not fail with their own reason fails here: ssh2 would leave
        // a channel nobody reads open for good (see ChannelStream).
        const lost = this.#lastError ?? new Error('the SSH connection ended');
        for (const s of this.#streams) s.destroy(lost);
        this.#streams.clear();
        resolve();
      });
    });
  }

  /**
   * On ssh2's client directly (not node-ssh's execCommand, which sends EOF at once): a command given
   * no stdin keeps its channel open for input, so that a timeout can still send it a signal through
   * ssh2's public Channel.signal(), which refuses once our side has sent EOF. Commands run this way
   * do not read stdin (the command pipe gives its commands /dev/null; scripts come with stdin).
   */
  exec(command: string, io: CommandIo): Promise<{ code: number | null; signal: string | null }> {
    return this.#channel(command).then((channel) => {
      const ended = endOf(channel);
      channel.on('data', io.onStdout);
      channel.stderr.on('data', io.onStderr);
      io.onStarted(() => killChannel(channel));
      if (io.stdin !== undefined) channel.end(io.stdin);
      return ended;
    });
  }

  openInteractive(command: string): Promise<InteractiveChannel> {
    return this.#channel(command).then((channel) => {
      let ended = false;
      const endListeners: (() => void)[] = [];
      const end = () => {
        if (ended) return;
        ended = true;
        for (const l of endListeners.splice(0)) l();
      };
      channel.once('close', end);
      // A dead connection closes a channel only once its output has been read to the end.
      void this.#closed.then(end);
      return {
        write: (text) => void channel.write(text),
        onStdout: (l) => void channel.on('data', l),
        onStderr: (l) => void channel.stderr.on('data', l),
        onEnd: (l) => (ended ? l() : void endListeners.push(l)),
        kill: () => killChannel(channel),
      };
    });
  }

  openStreamLocal(path: string): Promise<Duplex> {
    return this.#ssh.forwardOutStreamLocal(path).then((channel) => this.#track(channel));
  }

  openExecStream(command: string): Promise<ExecStream> {
    return this.#channel(command).then((channel) => ({
      stream: this.#track(channel),
      stderr: channel.stderr,
      // A dead connection ends the command for us, with no status.
      ended: Promise.race([
        endOf(channel),
        this.#closed.then(() => ({ code: null, signal: null })),
      ]),
    }));
  }

  /** The channel as a stream that a lost connection fails (kept in #streams until it closes). */
  #track(channel: RawChannel): ChannelStream {
    const stream = new ChannelStream(channel);
    if (this.#ended) stream.destroy(new Error('the SSH connection ended'));
    else {
      this.#streams.add(stream);
      stream.once('close', () => this.#streams.delete(stream));
    }
    return stream;
  }

  /** A session channel running `command`. */
  #channel(command: string): Promise<ClientChannel> {
    const conn = this.#ssh.connection;
    if (!conn) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      conn.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
    });
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

/** Settles when the channel closes, with the exit status or signal the server reported. */
function endOf(channel: ClientChannel): Promise<{ code: number | null; signal: string | null }> {
  let code: number | null = null;
  let signal: string | null = null;
  channel.once('exit', (c: number | null, s?: string) => {
    code = typeof c === 'number' ? c : null;
    signal = s ?? null;
  });
  return new Promise((resolve) => channel.once('close', () => resolve({ code, signal })));
}

/**
 * Kills the remote process (sshd honours "signal" requests since OpenSSH 7.9), then closes the
 * channel: sshd keeps a session, and its MaxSessions slot, until the process is gone. The signal goes
 * only while our side of the channel is open (see exec); after a script's EOF, closing is all there
 * is, and the process ends by itself.
 */
function killChannel(channel: ClientChannel): void {
  channel.signal('KILL');
  channel.close();
}
