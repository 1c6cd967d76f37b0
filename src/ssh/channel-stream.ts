import { Duplex } from 'node:stream';

/** What ChannelStream needs of an ssh2 channel (a Duplex whose destroy() only asks the server). */
export interface RawChannel extends Duplex {
  close(): void;
}

/**
 * An SSH channel as a Node stream that can be failed. ssh2's channels are made with emitClose off,
 * and their destroy() only sends CLOSE and waits for the server's: on a connection that died, no
 * answer ever comes, so neither 'close' nor 'error' is emitted. Node's HTTP client waits for its
 * socket's 'close' before it fails a request (even an aborted one), and its agent keeps a kept-alive
 * socket until it closes, so one such channel made Engine calls hang past their own timeouts.
 * destroy(err) here ends this stream at once, with err, whatever the server does; the channel is
 * asked to close as well. The channel's own end and close end this stream.
 */
export class ChannelStream extends Duplex {
  readonly #channel: RawChannel;

  constructor(channel: RawChannel) {
    super({ allowHalfOpen: true });
    this.#channel = channel;
    channel.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('error', (err: Error) => this.destroy(err));
    channel.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    this.#channel.resume();
  }

  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    this.#channel.write(chunk, encoding, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.#channel.end(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    try {
      // EOF and CLOSE to the server when it is still there; nothing to wait for when it is not.
      this.#channel.end();
      this.#channel.close();
    } catch {
      // The connection is gone: there is nobody to tell.
    }
    callback(err);
  }
}
