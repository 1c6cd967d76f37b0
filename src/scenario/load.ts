/**
 * Reading a scenario file: YAML syntax, then the schema in 'template' mode. Nothing here needs an
 * inventory, so `lab ls` and editors' checks can load every file on their own.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { LabError } from '../common/errors.js';
import { errorAt, type ScenarioDocument } from './document.js';
import { issuesToProblems } from './issues.js';
import { makeLocator } from './positions.js';
import { scenarioSchema } from './schema.js';

const templateSchema = scenarioSchema('template');

/** Parse and schema-check scenario text; `file` is used in messages only. */
export function parseScenario(text: string, file: string): ScenarioDocument {
  const lines = new LineCounter();
  // uniqueKeys (the default) makes a repeated key an error instead of last-one-wins.
  const yaml = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const syntax = yaml.errors[0];
  if (syntax) {
    // prettyErrors appends " at line L, column C:" and a code excerpt; the context carries those.
    const message = (syntax.message.split('\n')[0] ?? syntax.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    const start = syntax.linePos?.[0];
    // `{ ip: ${x} }` is the classic trap: inside [ ] or { } YAML reads the { of ${ as a mapping.
    const lineText = start ? (text.split('\n')[start.line - 1] ?? '') : '';
    const quoteHint = lineText.includes('${')
      ? { hint: "inside [ ] or { }, quote a value that uses a variable: ip: '${vm4_ip}'" }
      : {};
    throw new LabError('input', `YAML syntax: ${message}`, {
      file,
      ...(start ? { line: start.line, column: start.col } : {}),
      ...quoteHint,
    });
  }
  const locator = makeLocator(yaml, text, lines);
  const data: unknown = yaml.toJS({ maxAliasCount: 100 });
  const parsed = templateSchema.safeParse(data);
  if (parsed.success) {
    const { hosts } = parsed.data;
    const doc = {
      file,
      source: parsed.data,
      hosts: hosts === undefined ? ['all'] : [hosts].flat(),
      locator,
    };
    checkNameMatchesFile(doc);
    return doc;
  }

  // Report the problem that comes first in the file: that is where a person starts reading.
  const doc = { file, source: {} as ScenarioDocument['source'], hosts: [], locator };
  const problems = issuesToProblems(parsed.error.issues, templateSchema, data)
    .map((p) => ({ p, pos: locator.locate(p.path, p.at) }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
  const first = problems[0]?.p;
  if (!first)
    throw new LabError('input', 'the scenario does not match the expected shape', { file });
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s) after it)` : '';
  throw errorAt(doc, first.path, `${first.message}${more}`, {
    at: first.at,
    ...(first.hint ? { hint: first.hint } : {}),
  });
}

/**
 * `lab run NAME` finds NAME.yaml, what it creates is labelled with the `name:` inside, and `lab down
 * NAME` looks for those labels: the two must be the same word or `down` would miss what `run` made.
 */
function checkNameMatchesFile(doc: ScenarioDocument): void {
  const ext = extname(doc.file);
  if (ext !== '.yaml' && ext !== '.yml') return;
  const expected = basename(doc.file, ext);
  if (doc.source.name === expected) return;
  throw errorAt(
    doc,
    ['name'],
    `name: "${doc.source.name}" differs from the file name "${expected}"`,
    {
      hint: `write name: ${expected}, or rename the file to ${doc.source.name}${ext}; lab finds scenarios by file name and labels what it creates with name`,
    },
  );
}

/** Read, parse and schema-check a scenario file. Errors are LabErrors with file:line:column. */
export async function loadScenarioFile(path: string): Promise<ScenarioDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new LabError('input', `cannot read scenario: ${why}`, { file: path }, { cause: err });
  }
  return parseScenario(text, path);
}
