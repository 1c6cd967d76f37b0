import { LabError, tail } from '../common/errors.js';
import type { CheckedExec, ExecOptions, ExecResult, HostShell } from './host-shell.js';
import { quoteCommand } from './quote.js';

/** A HostShell's commands, throwing unless they exit 0. */
export interface CheckedShell {
  exec: CheckedExec;
  script(script: string, options?: ExecOptions): Promise<ExecResult>;
}

/**
 * Wraps a shell so that every command must exit 0; any other outcome (a non-zero code, a timeout, a
 * signal) throws a LabError('remote') with host, command, exit code, stderr tail and duration.
 * Success is the exit code alone: plenty of tools write warnings to stderr and succeed.
 */
export function checked(shell: HostShell): CheckedShell {
  return {
    exec: async (argv, options) =>
      requireSuccess(shell.host, quoteCommand(argv), await shell.exec(argv, options)),
    script: async (script, options) =>
      requireSuccess(shell.host, describeScript(script), await shell.script(script, options)),
  };
}

/** One checked command: `await runChecked(shell, ['ip', 'link', 'set', 'eth0', 'up'])`. */
export function runChecked(
  shell: HostShell,
  argv: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  return checked(shell).exec(argv, options);
}

/**
 * Returns the result if the command exited 0, else throws the LabError that explains it. `message`,
 * when given, says what was being done ("could not list network interfaces on server1"); without it
 * the message names the command and how it ended.
 */
export function requireSuccess(
  host: string,
  command: string,
  result: ExecResult,
  message?: string,
): ExecResult {
  if (result.exitCode === 0) return result;
  const how = result.timedOut
    ? `timed out after ${result.durationMs} ms`
    : result.exitCode === null
      ? result.signal
        ? `was killed by signal ${result.signal}`
        : 'ended without an exit code (connection cut?)'
      : `failed with exit code ${result.exitCode}`;
  // Some tools report errors on stdout; show that when stderr has nothing.
  const output = result.stderr.trim() !== '' ? result.stderr : result.stdout;
  throw new LabError('remote', message ?? `${host}: \`${oneLine(command)}\` ${how}`, {
    host,
    command,
    exitCode: result.exitCode,
    stderrTail: tail(output),
    durationMs: result.durationMs,
  });
}

/** A script as a command for messages: its lines joined, long ones cut. */
function describeScript(script: string): string {
  const lines = script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const shown = lines.length > 6 ? [...lines.slice(0, 5), `… (${lines.length} lines)`] : lines;
  return `sh -s <<< ${shown.join('; ')}`;
}

function oneLine(command: string): string {
  return command.length > 120 ? `${command.slice(0, 117)}...` : command;
}
