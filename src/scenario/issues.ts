/**
 * Turns zod issues into messages a person can act on: the YAML path, what was expected (from the
 * schema's descriptions), what was found, and a "did you mean" for typos. zod's own messages
 * ("Invalid input") say too little for a file someone edits by hand.
 */
import { z } from 'zod';
import { formatPath, type YamlPath } from './positions.js';
import { closest, didYouMean, listOrNone } from './suggest.js';

type Issue = z.core.$ZodIssue;

/** zod paths may hold symbols in general; ours are JSON data, so only strings and numbers. */
const asPath = (p: readonly PropertyKey[]): YamlPath => p.filter((s) => typeof s !== 'symbol');

export interface Problem {
  /** Where to point: the node at this path (its key when `at` is 'key'). */
  path: YamlPath;
  at: 'value' | 'key';
  /** Prefixed with the YAML path: `networks[0].driver: expected one of …`. */
  message: string;
  hint?: string;
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  while (cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur;
}

function child(s: z.ZodType, seg: string | number): z.ZodType | undefined {
  const u = unwrap(s);
  if (u instanceof z.ZodObject && typeof seg === 'string')
    return u.shape[seg] as z.ZodType | undefined;
  if (u instanceof z.ZodArray && typeof seg === 'number') return u.element as z.ZodType;
  if (u instanceof z.ZodRecord && typeof seg === 'string') return u.valueType as z.ZodType;
  if (u instanceof z.ZodUnion) {
    for (const option of u.options as z.ZodType[]) {
      const c = child(option, seg);
      if (c) return c;
    }
  }
  return undefined;
}

function schemaAt(root: z.ZodType, path: YamlPath): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const seg of path) s = s && child(s, seg);
  return s && unwrap(s);
}

/** The keys a mapping at this place may have (all branches' keys for a union). */
function allowedKeys(s: z.ZodType | undefined): string[] {
  const u = s && unwrap(s);
  if (u instanceof z.ZodObject) return Object.keys(u.shape);
  if (u instanceof z.ZodUnion) return [...new Set((u.options as z.ZodType[]).flatMap(allowedKeys))];
  return [];
}

export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'nothing (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** What reading the issues of one document needs: the schema, the data, the keys misspelt in it. */
interface Reading {
  schema: z.ZodType;
  data: unknown;
  /** Paths (as JSON) of the keys that unknown keys were likely meant to be. */
  misspelt: Set<string>;
}

export function issuesToProblems(
  issues: readonly Issue[],
  schema: z.ZodType,
  data: unknown,
): Problem[] {
  const r: Reading = { schema, data, misspelt: misspellings(issues, schema) };
  return issues.flatMap((i) => convert(r, i, []));
}

/** What the schema says is expected at `path`, else a word for zod's type name. */
function what(r: Reading, path: YamlPath, fallback: string): string {
  return schemaAt(r.schema, path)?.description ?? TYPE_WORDS[fallback] ?? fallback;
}

function problem(path: YamlPath, text: string, extra: Partial<Problem> = {}): Problem {
  return { path, at: 'value', message: `${formatPath(path)}: ${text}`, ...extra };
}

/**
 * A misspelt required key yields "unknown key nme" and "missing name": report only the first, with
 * its suggestion, since fixing the spelling fixes both. These are the keys meant.
 */
function misspellings(issues: readonly Issue[], schema: z.ZodType): Set<string> {
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const at = asPath(issue.path);
    const keys = allowedKeys(schemaAt(schema, at));
    for (const k of issue.keys) {
      const c = closest(k, keys);
      if (c) misspelt.add(JSON.stringify([...at, c]));
    }
  }
  return misspelt;
}

/** The keys misspelt directly under `path` (what they were meant to be). */
function misspeltUnder(r: Reading, path: YamlPath): string[] {
  return [...r.misspelt].flatMap((key) => {
    const p = JSON.parse(key) as YamlPath;
    const last = p[p.length - 1];
    return p.length === path.length + 1 &&
      typeof last === 'string' &&
      path.every((seg, i) => p[i] === seg)
      ? [last]
      : [];
  });
}

function convert(r: Reading, issue: Issue, base: YamlPath): Problem[] {
  const path = [...base, ...asPath(issue.path)];
  const value = valueAt(r.data, path);
  switch (issue.code) {
    case 'custom':
      // "give exactly one of reach or not_reach" when not-reach is misspelt: the spelling says it.
      if (misspeltUnder(r, path).some((k) => issue.message.includes(k))) return [];
      return [problem(path, issue.message, { at: issue.params?.at === 'key' ? 'key' : 'value' })];
    case 'invalid_type':
      return typeProblems(r, issue.expected, path, value);
    case 'invalid_value': {
      if (value === undefined && r.misspelt.has(JSON.stringify(path))) return [];
      const options = issue.values.map(String);
      const typo = typeof value === 'string' ? didYouMean(value, options) : '';
      const text = `expected one of ${options.join(', ')}, got ${describeValue(value)}${typo}`;
      return [problem(path, text)];
    }
    case 'unrecognized_keys': {
      const keys = allowedKeys(schemaAt(r.schema, path));
      return issue.keys.map((k) =>
        problem([...path, k], `unknown key "${k}"${didYouMean(k, keys)}`, {
          at: 'key',
          hint: `allowed here: ${listOrNone(keys)}`,
        }),
      );
    }
    case 'too_small':
    case 'too_big':
      return [problem(path, sizeText(r, issue, path, value))];
    case 'invalid_union':
      return unionProblems(r, issue, path, value);
    default:
      return [problem(path, issue.message)];
  }
}

/** A missing key (said of its mapping) or a value of the wrong type. */
function typeProblems(r: Reading, expected: string, path: YamlPath, value: unknown): Problem[] {
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  if (value === undefined && typeof key === 'string' && isMapping(valueAt(r.data, parent))) {
    if (r.misspelt.has(JSON.stringify(path))) return [];
    return [problem(parent, `missing "${key}" (${what(r, path, expected)})`)];
  }
  const quote =
    expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
      ? { hint: `quote it to make it a string: "${String(value)}"` }
      : {};
  return [problem(path, `expected ${what(r, path, expected)}, got ${describeValue(value)}`, quote)];
}

function sizeText(
  r: Reading,
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  path: YamlPath,
  value: unknown,
): string {
  if (issue.origin === 'array') {
    const n = Array.isArray(value) ? value.length : 0;
    const bound =
      issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
    return `expected ${bound} item(s), got ${n}`;
  }
  return `expected ${what(r, path, 'number')}, got ${describeValue(value)}`;
}

// zod reports every branch's failure; pick the branch whose shape the value has (a string, or a
// mapping with that branch's keys) and report its precise problem, else say what shapes are allowed.
function unionProblems(
  r: Reading,
  issue: z.core.$ZodIssueInvalidUnion,
  path: YamlPath,
  value: unknown,
): Problem[] {
  const wrongShape = (i: Issue) =>
    (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys')) ||
    (i.path.length === 1 &&
      i.code === 'invalid_type' &&
      valueAt(value, asPath(i.path)) === undefined);
  const fitting = issue.errors.filter((branch) => !branch.some(wrongShape));
  if (fitting[0]) return fitting[0].flatMap((i) => convert(r, i, path));
  const s = schemaAt(r.schema, path);
  if (isMapping(value)) {
    const keys = allowedKeys(s);
    const unknown = Object.keys(value).find((k) => !keys.includes(k));
    if (unknown !== undefined) {
      return [
        problem([...path, unknown], `unknown key "${unknown}"${didYouMean(unknown, keys)}`, {
          at: 'key',
          hint: `expected ${s?.description ?? 'one of the allowed shapes'}`,
        }),
      ];
    }
  }
  return [
    problem(path, `expected ${s?.description ?? 'another shape'}, got ${describeValue(value)}`),
  ];
}
