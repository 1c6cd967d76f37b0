import type { Duplex, Readable } from 'node:stream';
import type { InteractiveChannel } from './command-pipe.js';

/**
 * The few things a HostShell needs from one open SSH connection. node-ssh-transport.ts implements it
 * over node-ssh; unit tests implement it with a fake, so the shell's limiter, timeouts and sudo logic
 * are tested without a server.
 */
export interface SshTransport {
  /** Runs one command on a new session channel; resolves when the channel closes. */
  exec(command: string, io: CommandIo): Promise<{ code: number | null; signal: string | null }>;
  /** Starts a command on a new session channel whose stdin stays open (a CommandPipe's shell). */
  openInteractive(command: string): Promise<InteractiveChannel>;
  /** Opens a direct-streamlocal@openssh.com channel to a unix socket on the host. */
  openStreamLocal(path: string): Promise<Duplex>;
  /**
   * Starts a command on a new session channel and hands over its stdin and stdout as one byte stream
   * (`docker system dial-stdio`): the stream, its stderr, and how the command ended.
   */
  openExecStream(command: string): Promise<ExecStream>;
  /** Called once when the connection ends, with the error that ended it, if any. */
  onClose(listener: (err?: Error) => void): void;
  close(): Promise<void>;
}

export interface CommandIo {
  stdin?: string;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** Receives a handle that ends the command early (used on timeout). */
  onStarted(abort: () => void): void;
}

/** A command whose stdin and stdout are a byte stream to whatever it relays to. */
export interface ExecStream {
  /** Writes go to the command's stdin; its stdout is what this stream reads. destroy() closes the channel. */
  stream: Duplex;
  stderr: Readable;
  /** Settles when the channel closes, with the exit status or signal the server sent, if any. */
  ended: Promise<{ code: number | null; signal: string | null }>;
}
