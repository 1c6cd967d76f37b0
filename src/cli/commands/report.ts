import type { Argv } from 'yargs';
import { ExitCode, type CliContext } from '../context.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'report <file>',
    'Draw a saved JSON report (lab run --json, lab run --all --json, lab check connectivity --json) as a self-contained HTML page',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'The JSON report' })
        .option('html', {
          type: 'string',
          demandOption: 'Name the page to write: --html report.html',
          describe: 'Write the HTML page here',
        })
        .example('$0 report run.json --html run.html', 'the picture of a saved `lab run --json`'),
    async (args) => {
      const [path, { checkReportPath }, { readReportFile, writeHtmlReport }] = await Promise.all([
        import('node:path'),
        import('../report-file.js'),
        import('../html-report.js'),
      ]);
      const out = await checkReportPath('html', args.html, ctx.cwd);
      const file = path.resolve(ctx.cwd, args.file);
      await writeHtmlReport(await readReportFile(file), out, args.file);
      ctx.stdout.write(`report: ${args.html}\n`);
      setExit(ExitCode.ok);
    },
  );
}
