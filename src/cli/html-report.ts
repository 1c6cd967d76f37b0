/**
 * `--html FILE` and `lab report`: one of lab's JSON report documents, as produced for --json, drawn
 * as a self-contained HTML file. Both ways go through the document, so they draw the same picture.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { errorText, LabError } from '../common/errors.js';
import { reportOf } from '../picture/from-documents.js';
import { renderHtml } from '../picture/html.js';
import { identifyReport } from '../picture/report-documents.js';

const EXPECTED =
  'the JSON document of `lab run --json`, `lab run --all --json` or `lab check connectivity --json`';

/** Writes the HTML picture of a report document; `from` names where the document came from. */
export async function writeHtmlReport(
  document: unknown,
  file: string,
  from: string,
  now: () => Date = () => new Date(),
): Promise<void> {
  await writeFile(file, await htmlReport(document, from, now));
}

/** The HTML picture of a report document, as text; a document that is not lab's is refused. */
export async function htmlReport(
  document: unknown,
  from: string,
  now: () => Date = () => new Date(),
): Promise<string> {
  const found = identifyReport(document);
  if (found.kind === 'unknown') {
    throw new LabError('input', `not one of lab's reports: ${found.problems.join('; ')}`, {
      file: from,
      hint: `expected ${EXPECTED}`,
    });
  }
  return renderHtml(reportOf(found), now().toISOString());
}

/** A saved report document, parsed; a file that is not JSON is refused with its name. */
export async function readReportFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new LabError('input', `cannot read it: ${err.code ?? err.message}`, { file });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new LabError(
      'input',
      `not JSON (${errorText(err)})`,
      { file, hint: `expected ${EXPECTED}` },
      { cause: err },
    );
  }
}
