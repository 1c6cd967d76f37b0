import { LabError, tail, type ErrorKind } from '../../common/errors.js';
import { quoteCommand } from '../../ssh/quote.js';

/** What a finished command gave back. Success is `exitCode === 0`, nothing else. */
export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  /** Written to the command's standard input, which is then closed. */
  input?: string | Buffer;
  /** Kill the command after this long; the result then has exitCode null. */
  timeoutMs?: number;
  /** Extra environment variables on top of the runner's own environment. */
  env?: Record<string, string>;
  /** Called with output as it arrives (it is captured all the same). */
  echo?: (text: string) => void;
}

export interface DaemonOptions {
  /** stdout and stderr of the daemon are appended here. */
  logFile: string;
}

/**
 * The only door to child processes for src/box, so that the logic around it (what to run, in which
 * order, what a failure means) can be unit-tested with a fake.
 */
export interface Runner {
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a long-lived process that outlives us (own session, stdio to a log) and returns its pid. */
  spawnDaemon(argv: readonly string[], options: DaemonOptions): Promise<number>;
}

/** Runs a command and throws a LabError with command, exit code and stderr tail unless it exited 0. */
export async function runChecked(
  runner: Runner,
  argv: readonly string[],
  what: string,
  options?: RunOptions & { host?: string; kind?: ErrorKind },
): Promise<RunResult> {
  const result = await runner.run(argv, options);
  if (result.exitCode !== 0) {
    throw new LabError(options?.kind ?? 'remote', `${what} failed`, {
      ...(options?.host ? { host: options.host } : {}),
      command: quoteCommand(argv),
      exitCode: result.exitCode,
      stderrTail: tail(result.stderr || result.stdout),
      durationMs: result.durationMs,
    });
  }
  return result;
}
