import yargs, { type Argv } from 'yargs';
import { errorText, isLabError } from '../common/errors.js';
import { ExitCode, type CliContext } from './context.js';
import { registerCommands } from './commands/index.js';

/**
 * The CLI entry: parses argv with yargs, runs one command, and returns its exit code. Errors that are
 * LabErrors are printed with their context; anything else is a bug and printed with its stack.
 */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const parser: Argv = yargs(argv)
    .scriptName('lab')
    .usage(
      '$0 <command> [options]\n\nRuns multi-host Docker networking labs over SSH and verifies them.',
    )
    .strict()
    .exitProcess(false)
    .demandCommand(1, 'Name a command; `lab --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, ctx.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      // Throw rather than return: after a fail callback that returns, yargs still runs the command
      // handler (yargs#943), so `lab run --typo` would run.
      throw new UsageError(msg);
    });
  registerCommands(parser, { ...ctx, argv }, setExit);
  try {
    // With a parse callback yargs hands --help and --version text back instead of printing it to
    // the process's stdout, so it goes to ctx.stdout like everything else.
    await parser.parseAsync(argv, {}, (_err, _args, output) => {
      if (output) ctx.stdout.write(`${output}\n`);
    });
  } catch (err) {
    return reportError(err, ctx, wantsJson(argv));
  }
  return exitCode;
}

/**
 * A failed command: its message on stderr, and with --json also one JSON document on stdout, so a
 * tool reading stdout always gets exactly one document, whatever happened (docs/exit-codes.md).
 */
function reportError(err: unknown, ctx: CliContext, json: boolean): number {
  let code: number;
  let body: object;
  if (err instanceof UsageError) {
    ctx.stderr.write(`lab: ${err.message}\nRun with --help for usage.\n`);
    code = ExitCode.badInput;
    body = { kind: 'usage', message: err.message, hint: 'run with --help for usage' };
  } else if (isLabError(err)) {
    ctx.stderr.write(`lab: ${err.describe()}\n`);
    code =
      err.kind === 'input' || err.kind === 'prerequisite' || err.kind === 'conflict'
        ? ExitCode.badInput
        : err.kind === 'aborted'
          ? ExitCode.interrupted
          : ExitCode.hostError;
    body = err.toJSON();
  } else {
    ctx.stderr.write(
      `lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    code = ExitCode.hostError;
    body = {
      kind: 'internal',
      message: errorText(err),
      hint: 'this is a bug in lab: please report it with the command and what lab printed on stderr',
    };
  }
  if (json)
    ctx.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: body }, null, 2)}\n`);
  return code;
}

/** Whether the command line asks for --json (read from argv: when parsing failed there are no args). */
export function wantsJson(argv: readonly string[]): boolean {
  let json = false;
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg === '--json' || arg === '--json=true') json = true;
    else if (arg === '--no-json' || arg === '--json=false') json = false;
  }
  return json;
}

/** A command line yargs rejected (unknown flag, missing argument): reported as usage, exit 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}
