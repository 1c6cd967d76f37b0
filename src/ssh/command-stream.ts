import { Duplex } from 'node:stream';
import { LabError, tail } from '../common/errors.js';
import type { ExecStream } from './transport.js';

/** Enough of a relay's stderr to say why it ended. */
const MAX_STDERR = 4 * 1024;

/**
 * A remote command's stdin and stdout as one byte stream (a relay such as `docker system
 * dial-stdio`). The stream's end waits for the command's exit status: a relay that fails (sudo wants a
 * password, no docker CLI, permission denied on the socket) errors the stream with a LabError carrying
 * its exit code and stderr instead of ending it quietly, so the HTTP request on it fails saying why.
 */
export class CommandStream extends Duplex {
  readonly #exec: ExecStream;
  readonly #host: string;
  readonly #command: string;
  #stderr = '';

  constructor(exec: ExecStream, host: string, command: string) {
    super({ allowHalfOpen: true });
    this.#exec = exec;
    this.#host = host;
    this.#command = command;
    const { stream, stderr, ended } = exec;
    stream.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) stream.pause();
    });
    stream.on('error', (err: Error) => this.destroy(err));
    stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    });
    void ended.then(({ code, signal }) => {
      if (this.destroyed) return;
      if (code !== null && code !== 0) this.destroy(this.#failure(code));
      else if (signal !== null && this.#stderr.trim() !== '')
        this.destroy(this.#failure(null, signal));
      else {
        this.push(null);
        this.destroy();
      }
    });
  }

  /** What the command printed on stderr so far (the last few KB). */
  get stderrText(): string {
    return this.#stderr;
  }

  #failure(code: number | null, signal?: string): LabError {
    const how = code !== null ? `exit code ${code}` : `signal ${signal ?? '?'}`;
    const said = tail(this.#stderr).trim().split('\n').pop() ?? '';
    return new LabError(
      'host',
      `${this.#host}: \`${this.#command}\` ended (${how})${said ? `: ${said}` : ''}`,
      {
        host: this.#host,
        command: this.#command,
        ...(code !== null && { exitCode: code }),
        stderrTail: tail(this.#stderr),
      },
    );
  }

  override _read(): void {
    this.#exec.stream.resume();
  }

  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    this.#exec.stream.write(chunk, encoding, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.#exec.stream.end(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.#exec.stream.destroy();
    callback(err);
  }
}
