import type { Duplex } from 'node:stream';
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
