import yargs, { type Argv } from 'yargs';
import { isLabError } from '../errors.js';
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
    .usage('$0 <command> [options]\n\nRuns multi-host Docker networking labs over SSH and verifies them.')
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
      ctx.stderr.write(`lab: ${msg}\nRun with --help for usage.\n`);
      setExit(ExitCode.badInput);
    });
  registerCommands(parser, ctx, setExit);
  try {
    await parser.parseAsync();
  } catch (err) {
    if (isLabError(err)) {
      ctx.stderr.write(`lab: ${err.describe()}\n`);
      return err.kind === 'input' || err.kind === 'prerequisite' || err.kind === 'conflict'
        ? ExitCode.badInput
        : err.kind === 'aborted'
          ? ExitCode.interrupted
          : ExitCode.hostError;
    }
    ctx.stderr.write(`lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.hostError;
  }
  return exitCode;
}
