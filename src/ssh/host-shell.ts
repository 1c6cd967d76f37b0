import type { Duplex } from 'node:stream';
import type { InteractiveChannel } from './command-pipe.js';

/**
 * A shell on one host, over one kept SSH connection. Our own small interface in front of node-ssh so
 * that nothing above src/ssh sees vendor types, and fakes in unit tests stay trivial.
 */
export interface ExecResult {
  /** null when the command did not exit by itself: timed out, killed by a signal, or cut off. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the call's timeout ended the command. */
  timedOut?: boolean;
  /** The signal that killed the command, if the server said ("KILL", "TERM"). */
  signal?: string;
}

export interface ExecOptions {
  /**
   * Abort the command after this many milliseconds of running (time waiting for a free channel does
   * not count); the result then has exitCode null and timedOut true. Default: the shell's (30 s).
   */
  timeoutMs?: number;
  /** Text written to the command's standard input. */
  stdin?: string;
  /**
   * This command needs root: it runs through `sudo -n` when the inventory enables become for the
   * host (ansible_become) and the SSH user is not root; otherwise as is.
   */
  become?: boolean;
}

export interface HostShell {
  /** The inventory name of the host, for messages. */
  readonly host: string;
  /**
   * Runs `argv` on the host, each word quoted for the remote login shell so that it arrives exactly as
   * given (no globbing, no expansion). The result's exit code is the only measure of success; callers
   * decide what a non-zero code means (see checked.ts for the throwing variant).
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs a script through `sh -s` on the host: one round trip for many small commands. The script is
   * the command's stdin, so options.stdin cannot be given too.
   */
  script(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Opens a stream to a unix socket on the host (OpenSSH direct-streamlocal), e.g. docker.sock. */
  openUnixSocket(path: string): Promise<Duplex>;
  /**
   * Starts `argv` on a channel of its own whose stdin stays open: a process that lives as long as the
   * caller holds it or the connection lasts (a host lock). Optional: a shell without it holds nothing.
   */
  hold?(argv: readonly string[], options?: { become?: boolean }): Promise<InteractiveChannel>;
  /**
   * "connection to server2 (198.18.0.2:22) lost" once the connection ended by itself (keepalives
   * unanswered, reset); undefined while it is open or after we closed it. Optional for fakes.
   */
  lost?(): string | undefined;
  /** Closes the connection; calls made afterwards fail with a LabError. */
  close(): Promise<void>;
}

/** Throws a LabError carrying host, command, exit code and stderr tail unless the command exited 0. */
export type CheckedExec = (argv: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/**
 * What a host's Engine client needs of its SSH connection besides commands: byte streams to the
 * Engine, by whichever way the host allows (see docker/engine-route.ts).
 */
export interface EngineChannels {
  readonly host: string;
  /** The login user, and whether the inventory lets it become root (ansible_become) through sudo. */
  readonly login: { user: string; become: boolean };
  /** Opens a stream to a unix socket on the host (OpenSSH direct-streamlocal), e.g. docker.sock. */
  openUnixSocket(path: string): Promise<Duplex>;
  /**
   * Starts `argv` on a session channel of its own and returns its stdin/stdout as one stream (through
   * `sudo -n` when options.become and the login is not root). A command that fails errors the stream
   * with its exit code and stderr.
   */
  openCommandStream(argv: readonly string[], options?: { become?: boolean }): Promise<Duplex>;
  /**
   * Sets aside up to `count` of the connection's session channels (sshd's MaxSessions) for the
   * caller's streams; commands then run fewer at once. Returns how many were set aside.
   */
  reserveSessions(count: number): number;
}

/** A shell over SSH, with the Engine channels of the same connection. */
export type RemoteShell = HostShell & EngineChannels;
