import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'ls',
    'List the scenarios, one line each',
    (y) =>
      y
        .option('scenarios', {
          type: 'string',
          describe: 'Directory of scenarios (default ./scenarios, else those shipped with lab)',
        })
        .option('json', { type: 'boolean', default: false, describe: 'Print the list as JSON' }),
    async (args) => {
      // Loaded here, not at start-up: every command pays only for what it uses.
      const { listScenarios } = await import('../../scenario/index.js');
      const { scenariosDir } = await import('../scenario-file.js');
      const list = await listScenarios(scenariosDir(args, ctx));
      if (args.json) {
        ctx.stdout.write(
          `${JSON.stringify(
            list.map((s) => ({
              name: s.name,
              file: s.file,
              title: s.title,
              error: s.error?.message,
            })),
            null,
            2,
          )}\n`,
        );
      } else {
        const width = Math.max(0, ...list.map((s) => s.name.length));
        for (const s of list) {
          ctx.stdout.write(
            `${s.name.padEnd(width)}  ${s.error ? `(does not load: ${s.error.message})` : s.title}\n`,
          );
        }
      }
      setExit(list.some((s) => s.error) ? ExitCode.badInput : ExitCode.ok);
    },
  );
}
