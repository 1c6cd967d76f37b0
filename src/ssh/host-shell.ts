import type { Duplex } from 'node:stream';

/**
 * A shell on one host, over one kept SSH connection. Our own small interface in front of node-ssh so
 * that nothing above src/ssh sees vendor types, and fakes in unit tests stay trivial.
 */
export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ExecOptions {
  /** Abort the command after this many milliseconds (the result then has exitCode null). */
  timeoutMs?: number;
  /** Text written to the command's standard input. */
  stdin?: string;
  /** Run through `sudo -n` when the inventory asks for become and we are not root. */
  become?: boolean;
}

export interface HostShell {
  /** The inventory name of the host, for messages. */
  readonly host: string;
  /**
   * Runs `argv` without a shell where possible (each word quoted for the remote shell). The result's
   * exit code is the only measure of success; callers decide what a non-zero code means.
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs a script through `sh -s` on the host: one round trip for many small commands. */
  script(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Opens a stream to a unix socket on the host (OpenSSH direct-streamlocal), e.g. docker.sock. */
  openUnixSocket(path: string): Promise<Duplex>;
  close(): Promise<void>;
}

/** Throws a LabError carrying host, command, exit code and stderr tail unless the command exited 0. */
export type CheckedExec = (argv: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
