import type { CliContext } from './context.js';

/**
 * Whether terminal output gets colour: only on a terminal, and never when NO_COLOR is set to
 * anything non-empty (no-color.org) or TERM is "dumb". Read here, at the edge; reports get a flag.
 */
export function useColour(ctx: CliContext): boolean {
  if (ctx.env['NO_COLOR']) return false;
  if (ctx.env['TERM'] === 'dumb') return false;
  return ctx.stdout.isTTY === true;
}
