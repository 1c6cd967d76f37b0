import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findScenario } from '../scenario/find.js';
import type { CliContext } from './context.js';

/**
 * Where scenarios are looked up: --scenarios DIR, else ./scenarios when run inside a project, else
 * the scenarios shipped with lab.
 */
export function scenariosDir(args: { scenarios?: string | undefined }, ctx: CliContext): string {
  if (args.scenarios) return path.resolve(ctx.cwd, args.scenarios);
  const local = path.resolve(ctx.cwd, 'scenarios');
  if (existsSync(local)) return local;
  return fileURLToPath(new URL('../../scenarios', import.meta.url));
}

/** The file a scenario argument (a name or a path) stands for; an unknown name is an input error. */
export function scenarioFile(
  args: { scenario: string; scenarios?: string | undefined },
  ctx: CliContext,
): string {
  return findScenario(asTyped(args.scenario, ctx), scenariosDir(args, ctx));
}

/**
 * A scenario path is read from ctx.cwd; kept as typed (messages then say `my.yaml:3:5`) when it
 * means the same file from this process's working directory.
 */
function asTyped(arg: string, ctx: CliContext): string {
  if (!arg.includes('/') && !/\.ya?ml$/.test(arg)) return arg;
  const full = path.resolve(ctx.cwd, arg);
  return path.resolve(arg) === full ? arg : full;
}
