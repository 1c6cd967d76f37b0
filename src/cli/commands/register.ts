import type { Argv } from 'yargs';
import type { CliContext } from '../context.js';

/**
 * Each command lives in its own file and exports `register(parser, ctx, setExit)`, which adds a yargs
 * command whose handler calls `setExit(code)` with the command's exit code.
 */
export type RegisterCommand = (
  parser: Argv,
  ctx: CliContext,
  setExit: (code: number) => void,
) => void;
