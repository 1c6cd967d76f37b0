import { Duplex } from 'node:stream';

/**
 * A Duplex available at once for a stream that is still being opened (an SSH channel takes a round
 * trip). Node's http.Agent counts a connection towards maxSockets only once createConnection has
 * handed it over: with an asynchronous hand-over, a burst of a hundred requests would open a hundred
 * channels in the same tick. Handing this over synchronously lets the agent queue the burst on a few
 * kept-alive channels. Writes made before the stream opens wait; a failure to open destroys this
 * stream with the opener's error (a LabError saying why).
 */
export class PendingStream extends Duplex {
  #inner: Duplex | undefined;
  #queued: { chunk: Buffer; encoding: BufferEncoding; callback: (err?: Error | null) => void }[] =
    [];
  #finalCallback: ((err?: Error | null) => void) | undefined;
  #innerClosed = false;

  constructor(opening: Promise<Duplex>) {
    super({ allowHalfOpen: true });
    opening.then(
      (inner) => this.#attach(inner),
      (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  }

  #attach(inner: Duplex): void {
    if (this.destroyed) {
      // Given up on before it came (a request dropped as the connection closed): whatever error
      // it carries (the shell fails a stream opened on a closed connection) is nobody's to hear,
      // and an 'error' with no listener would end the process.
      inner.on('error', () => {});
      inner.destroy();
      return;
    }
    this.#inner = inner;
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err: Error) => this.destroy(err));
    inner.on('close', () => {
      this.#innerClosed = true;
      if (!this.destroyed) this.destroy();
    });
    for (const w of this.#queued.splice(0)) inner.write(w.chunk, w.encoding, w.callback);
    if (this.#finalCallback) {
      const cb = this.#finalCallback;
      this.#finalCallback = undefined;
      inner.end(cb);
    }
  }

  override _read(): void {
    this.#inner?.resume();
  }

  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    if (this.#inner) this.#inner.write(chunk, encoding, callback);
    else this.#queued.push({ chunk, encoding, callback });
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.#inner) this.#inner.end(callback);
    else this.#finalCallback = callback;
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.#innerClosed) this.#inner?.destroy();
    callback(err);
  }
}
