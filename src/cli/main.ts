import yargs, { type Argv } from 'yargs';
import { isLabError } from '../common/errors.js';
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
  registerCommands(parser, ctx, setExit);
  try {
    // With a parse callback yargs hands --help and --version text back instead of printing it to
    // the process's stdout, so it goes to ctx.stdout like everything else.
    await parser.parseAsync(argv, {}, (_err, _args, output) => {
      if (output) ctx.stdout.write(`${output}\n`);
    });
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr.write(`lab: ${err.message}\nRun with --help for usage.\n`);
      return ExitCode.badInput;
    }
    if (isLabError(err)) {
      ctx.stderr.write(`lab: ${err.describe()}\n`);
      return err.kind === 'input' || err.kind === 'prerequisite' || err.kind === 'conflict'
        ? ExitCode.badInput
        : err.kind === 'aborted'
          ? ExitCode.interrupted
          : ExitCode.hostError;
    }
    ctx.stderr.write(
      `lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return ExitCode.hostError;
  }
  return exitCode;
}

/** A command line yargs rejected (unknown flag, missing argument): reported as usage, exit 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}
