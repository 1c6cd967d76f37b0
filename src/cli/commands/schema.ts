import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'schema <format>',
    'Print the JSON Schema of a file format, for editors (the same as schema/scenario.schema.json)',
    (y) =>
      y
        .positional('format', { choices: ['scenario'] as const, demandOption: true })
        .example('$0 schema scenario > scenario.schema.json', 'for an editor'),
    async () => {
      const { scenarioJsonSchema } = await import('../../scenario/json-schema.js');
      ctx.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      setExit(ExitCode.ok);
    },
  );
}
