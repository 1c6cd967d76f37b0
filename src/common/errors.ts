/**
 * Every error lab raises on purpose is a LabError: it says what went wrong in words a user can act on,
 * and carries the context (host, command, file, line…) that a report or `--json` needs. The original
 * error, when there is one, rides along as `cause`.
 */
export type ErrorKind =
  /** The user's input (inventory, scenario, flags) is wrong; nothing was changed anywhere. */
  | 'input'
  /** A host could not be reached or refused us (SSH, host key, Docker API). */
  | 'host'
  /** A remote command or API call ran and failed. */
  | 'remote'
  /** Something exists on a host that lab did not make and will not touch. */
  | 'conflict'
  /** The run was interrupted (Ctrl-C) or timed out. */
  | 'aborted'
  /** The local machine lacks something (box prerequisites, not root). */
  | 'prerequisite';

export interface ErrorContext {
  host?: string;
  command?: string;
  exitCode?: number | null;
  stderrTail?: string;
  durationMs?: number;
  file?: string;
  line?: number;
  column?: number;
  /** What would have been right, in words ("a port between 1 and 65535"). */
  hint?: string;
}

export class LabError extends Error {
  override readonly name = 'LabError';
  readonly kind: ErrorKind;
  readonly context: ErrorContext;

  constructor(
    kind: ErrorKind,
    message: string,
    context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.kind = kind;
    this.context = context;
  }

  /** For --json reports: the message and its context (an Error's message is not enumerable). */
  toJSON(): { kind: ErrorKind; message: string } & ErrorContext {
    return { kind: this.kind, message: this.message, ...this.context };
  }

  /** One line per fact, for the terminal. */
  describe(): string {
    const c = this.context;
    const where = c.file
      ? `${c.file}${c.line ? `:${c.line}${c.column ? `:${c.column}` : ''}` : ''}: `
      : '';
    const lines = [`${where}${this.message}`];
    if (c.host) lines.push(`  host: ${c.host}`);
    if (c.command) lines.push(`  command: ${c.command}`);
    if (c.exitCode !== undefined)
      lines.push(`  exit code: ${c.exitCode ?? 'none (killed or timed out)'}`);
    if (c.durationMs !== undefined) lines.push(`  after: ${c.durationMs} ms`);
    if (c.stderrTail)
      lines.push(`  stderr: ${c.stderrTail.trimEnd().split('\n').join('\n          ')}`);
    if (c.hint) lines.push(`  hint: ${c.hint}`);
    return lines.join('\n');
  }
}

/** The message of anything thrown: an Error's message, anything else as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isLabError(e: unknown): e is LabError {
  return e instanceof LabError;
}

/** Any failure on a host as a LabError: a LabError as it is, anything else wrapped, as its cause. */
export function asLabError(err: unknown, host: string): LabError {
  if (isLabError(err)) return err;
  return new LabError('host', errorText(err), { host }, { cause: err });
}

/** The last few lines of a command's stderr, enough to explain a failure without flooding a report. */
export function tail(text: string, lines = 5): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}
