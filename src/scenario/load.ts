/**
 * Reading a scenario file: YAML syntax, then the schema in 'template' mode. Nothing here needs an
 * inventory, so `lab ls` and editors' checks can load every file on their own.
 *
 * Hostile input is bad input, never an internal error: files over MAX_SCENARIO_BYTES are refused
 * before they are read, aliases that expand too far and nesting deeper than MAX_DEPTH are refused
 * with the line they start on (see docs/reliability.md).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  LineCounter,
  isAlias,
  isCollection,
  isPair,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import { errorText, LabError } from '../common/errors.js';
import { errorAt, type ScenarioDocument } from './document.js';
import { issuesToProblems } from './issues.js';
import { makeLocator, type Locator } from './positions.js';
import { ScenarioProblems, locateProblems } from './problems.js';
import { scenarioSchema } from './schema.js';

const templateSchema = scenarioSchema('template');

/** A scenario is a page or two of YAML; anything near this size is a mistake or an attack. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
/** How deep mappings and lists may nest; the deepest shipped scenario uses 5. */
export const MAX_DEPTH = 64;
/** How many nodes one alias may expand to (yaml's maxAliasCount). */
export const MAX_ALIAS_COUNT = 100;

const sizeError = (file: string, bytes: number, what = 'scenario file') =>
  new LabError(
    'input',
    `the ${what} is ${bytes} bytes; lab reads ${what}s of at most ${MAX_SCENARIO_BYTES} bytes (1 MiB)`,
    { file, hint: 'a scenario is a few kilobytes of YAML: is this the right file?' },
  );

/** YAML text read as plain data, with the locator that maps a data path back to a line. */
export interface YamlData {
  data: unknown;
  locator: Locator;
}

/**
 * YAML text → plain data, refusing what no honest file holds (over MAX_SCENARIO_BYTES, aliases that
 * expand too far, nesting past MAX_DEPTH) and syntax errors, each with file:line. `what` names the
 * kind of file in messages ("scenario file", "policy file").
 */
export function readYamlData(text: string, file: string, what = 'scenario file'): YamlData {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCENARIO_BYTES) throw sizeError(file, bytes, what);
  const lines = new LineCounter();
  // uniqueKeys (the default) makes a repeated key an error instead of last-one-wins; logLevel keeps
  // the yaml package's own warnings off lab's stderr (the schema reports what matters).
  const yaml = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'error',
  });
  const syntax = yaml.errors[0];
  if (syntax) throw syntaxError(syntax, text, file);
  checkDepth(yaml, lines, file);
  return { locator: makeLocator(yaml, text, lines), data: toData(yaml, lines, file) };
}

/** Every problem zod found in `data`, placed at its line and sorted (all at once, not the first). */
export function schemaProblems(
  issues: Parameters<typeof issuesToProblems>[0],
  schema: Parameters<typeof issuesToProblems>[1],
  read: YamlData,
  file: string,
  what = 'scenario',
): ScenarioProblems | LabError {
  const problems = locateProblems(issuesToProblems(issues, schema, read.data), file, read.locator);
  if (problems.length === 0)
    return new LabError('input', `the ${what} does not match the expected shape`, { file });
  return new ScenarioProblems(problems);
}

/** Parse and schema-check scenario text; `file` is used in messages only. */
export function parseScenario(text: string, file: string): ScenarioDocument {
  const read = readYamlData(text, file);
  const { locator, data } = read;
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
  // Every problem, sorted by position: a person fixes them top to bottom in one go.
  throw schemaProblems(parsed.error.issues, templateSchema, read, file);
}

function syntaxError(
  syntax: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] | undefined },
  text: string,
  file: string,
): LabError {
  // prettyErrors appends " at line L, column C:" and a code excerpt; the context carries those.
  const message = (syntax.message.split('\n')[0] ?? syntax.message).replace(
    / at line \d+, column \d+:?$/,
    '',
  );
  const start = syntax.linePos?.[0];
  const where = start ? { line: start.line, column: start.col } : {};
  // The yaml parser recurses per nesting level; running out of stack means the nesting is absurd.
  if (/Maximum call stack size exceeded/.test(message)) {
    return new LabError('input', `the YAML nests too deeply (more than ${MAX_DEPTH} levels)`, {
      file,
      ...where,
      hint: 'a scenario nests a few levels: mappings of lists of mappings',
    });
  }
  // `{ ip: ${x} }` is the classic trap: inside [ ] or { } YAML reads the { of ${ as a mapping.
  const lineText = start ? (text.split('\n')[start.line - 1] ?? '') : '';
  const quoteHint = lineText.includes('${')
    ? { hint: "inside [ ] or { }, quote a value that uses a variable: ip: '${vm4_ip}'" }
    : {};
  return new LabError('input', `YAML syntax: ${message}`, { file, ...where, ...quoteHint });
}

/** Refuses nesting deeper than MAX_DEPTH before anything recursive (toJS, the schema) walks it. */
function checkDepth(yaml: Document, lines: LineCounter, file: string): void {
  const stack: { node: unknown; depth: number }[] = [{ node: yaml.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isCollection(node)) continue;
    if (depth >= MAX_DEPTH) {
      const { line, col } = lines.linePos(node.range?.[0] ?? 0);
      throw new LabError('input', `the YAML nests more than ${MAX_DEPTH} levels deep`, {
        file,
        line,
        column: col,
        hint: 'a scenario nests a few levels: mappings of lists of mappings',
      });
    }
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
}

/** The document as plain data; an alias that expands too far is bad input at the first alias. */
function toData(yaml: Document, lines: LineCounter, file: string): unknown {
  try {
    return yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const alias = firstAlias(yaml);
    const { line, col } = lines.linePos(alias?.range?.[0] ?? 0);
    const excessive = err instanceof ReferenceError && /alias/i.test(err.message);
    throw new LabError(
      'input',
      excessive
        ? `the YAML aliases (*name) expand to too much data (more than ${MAX_ALIAS_COUNT} nodes per alias)`
        : `the YAML cannot be read as data: ${errorText(err)}`,
      {
        file,
        ...(alias ? { line, column: col } : {}),
        hint: 'write the values out instead of nesting aliases of aliases',
      },
      { cause: err },
    );
  }
}

function firstAlias(yaml: Document): Node | undefined {
  const stack: unknown[] = [yaml.contents];
  let first: Node | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (!first || (node.range?.[0] ?? 0) < (first.range?.[0] ?? 0)) first = node;
    } else if (isPair(node)) stack.push(node.key, node.value);
    else if (isCollection(node)) stack.push(...(node.items as unknown[]));
  }
  return first;
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
  return parseScenario(await readScenarioText(path), path);
}

/**
 * The file's text; a file over MAX_SCENARIO_BYTES (or not a file: a FIFO would block) is refused
 * unread. `what` names the kind of file in messages ("scenario", "policy").
 */
export async function readScenarioText(path: string, what = 'scenario'): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      const why = info.isDirectory() ? 'is a directory' : 'is not a regular file';
      throw new LabError('input', `cannot read ${what}: ${why}`, { file: path });
    }
    if (info.size > MAX_SCENARIO_BYTES) throw sizeError(path, info.size, `${what} file`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof LabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : (err as Error).message;
    throw new LabError('input', `cannot read ${what}: ${why}`, { file: path }, { cause: err });
  }
}
