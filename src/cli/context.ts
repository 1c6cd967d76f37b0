import type { Writable } from 'node:stream';

/**
 * Everything the outside world gives the CLI, captured once at the edge (bin/lab.js) and passed down.
 * Nothing below src/cli reads process.env or writes to process.stdout directly.
 */
export interface CliContext {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The command line as typed, after `lab` (set by main): a host lock names its holder by it. */
  argv?: readonly string[];
  /** Aborted on the first Ctrl-C: running steps finish, no new ones start. */
  signal?: AbortSignal;
}

/** Exit codes, documented in docs/exit-codes.md. */
export const ExitCode = {
  ok: 0,
  /** An expectation did not hold. */
  expectationFailed: 1,
  /** Bad input: inventory, scenario, flags. Nothing was changed. */
  badInput: 2,
  /** A host or probe error: unreachable host, remote failure. */
  hostError: 3,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A command's handler returns the process exit code instead of calling process.exit. */
export type CommandResult = Promise<number>;
