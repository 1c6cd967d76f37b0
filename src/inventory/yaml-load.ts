import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import { LabError } from '../common/errors.js';
import type { InventoryValue } from './value.js';

/**
 * YAML files (inventories, group_vars, host_vars) read as Ansible's loader (PyYAML, YAML 1.1) reads
 * them: `yes`/`on` are true, `0755` is octal, `1e3` is text (a float needs a dot), `<<` merges. Bad
 * input is an error with file and line, never a crash: aliases that expand to more than
 * MAX_YAML_VALUES values (an "alias bomb"), and nesting deeper than MAX_YAML_DEPTH.
 */
export const MAX_YAML_VALUES = 100_000;
export const MAX_YAML_DEPTH = 200;

/** A value with where it was written; mappings keep their entries (with each key's line) in order. */
export interface YamlValue {
  value: InventoryValue;
  line: number;
  /** Set for mappings: key (as JSON would write it) to entry. */
  entries?: Map<string, { keyLine: number; key: InventoryValue; node: YamlValue }>;
  /** True for a scalar that is a string. */
  isString?: boolean;
}

interface Walk {
  doc: Document;
  lines: LineCounter;
  file: string;
  count: number;
  /** The line of the alias being expanded (the outermost), to blame when the expansion is too big. */
  aliasLine?: number | undefined;
}

export function loadYaml(text: string, file: string): YamlValue | undefined {
  checkFlowDepth(text, file);
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'failsafe',
    version: '1.1',
    uniqueKeys: false,
    lineCounter: lines,
  });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    throw new LabError('input', `not valid YAML: ${error.message.split('\n')[0] ?? ''}`, {
      file,
      ...(line ? { line } : {}),
    });
  }
  if (doc.contents === null) return undefined;
  return convert(doc.contents, { doc, lines, file, count: 0 }, 0);
}

function lineOf(node: Node, walk: Walk): number {
  return walk.lines.linePos(node.range?.[0] ?? 0).line;
}

function fail(walk: Walk, line: number, message: string, hint: string): never {
  throw new LabError('input', message, { file: walk.file, line, hint });
}

function convert(node: Node, walk: Walk, depth: number): YamlValue {
  walk.count += 1;
  const line = lineOf(node, walk);
  if (walk.count > MAX_YAML_VALUES) {
    fail(
      walk,
      walk.aliasLine ?? line,
      `the YAML holds more than ${MAX_YAML_VALUES} values once its aliases are expanded`,
      'a file that repeats aliases of aliases (an "alias bomb") is refused; write the values out',
    );
  }
  if (depth > MAX_YAML_DEPTH) {
    fail(
      walk,
      line,
      `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep`,
      'flatten the structure',
    );
  }
  if (isAlias(node)) {
    const target = node.resolve(walk.doc);
    if (!target)
      fail(
        walk,
        line,
        `alias *${node.source} refers to no anchor`,
        `define &${node.source} before using it`,
      );
    const outer = walk.aliasLine;
    walk.aliasLine ??= line;
    const value = convert(target as Node, walk, depth + 1);
    walk.aliasLine = outer;
    return { ...value, line };
  }
  if (isScalar(node)) return scalar(node, line);
  if (isSeq(node)) {
    const items = node.items.map((item) =>
      item === null ? { value: null, line } : convert(item as Node, walk, depth + 1),
    );
    return { value: items.map((i) => i.value), line };
  }
  if (isMap(node)) return mapping(node, walk, depth, line);
  return { value: null, line };
}

function mapping(
  node: Node & { items: { key: unknown; value: unknown }[] },
  walk: Walk,
  depth: number,
  line: number,
): YamlValue {
  const entries: Entries = new Map();
  const merged: Entries = new Map();
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = keyNode ? convert(keyNode, walk, depth + 1) : { value: null, line };
    const value = pair.value
      ? convert(pair.value as Node, walk, depth + 1)
      : { value: null, line: key.line };
    if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
      mergeInto(merged, value, walk);
      continue;
    }
    const text = keyText(key.value);
    entries.set(text, { keyLine: key.line, key: key.value, node: value });
  }
  // Merged entries come first and never replace the mapping's own (PyYAML's flatten_mapping).
  const all = new Map([...merged].filter(([k]) => !entries.has(k)));
  for (const [k, v] of entries) all.set(k, v);
  const obj = Object.create(null) as Record<string, InventoryValue>;
  for (const [k, v] of all) obj[k] = v.node.value;
  return { value: obj, line, entries: all };
}

type Entries = Map<string, { keyLine: number; key: InventoryValue; node: YamlValue }>;

/** `<<: *a` or `<<: [*a, *b]`: entries not already merged (earlier sources win). */
function mergeInto(merged: Entries, value: YamlValue, walk: Walk): void {
  const hint = 'write <<: *anchor, or <<: [*a, *b]';
  if (value.entries) {
    for (const [k, v] of value.entries) if (!merged.has(k)) merged.set(k, v);
    return;
  }
  if (!Array.isArray(value.value))
    fail(walk, value.line, 'a merge key (<<) takes a mapping or a list of mappings', hint);
  for (const item of value.value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      fail(walk, value.line, 'a merge key (<<) takes a mapping or a list of mappings', hint);
    }
    for (const [k, v] of Object.entries(item)) {
      if (!merged.has(k))
        merged.set(k, { keyLine: value.line, key: k, node: { value: v, line: value.line } });
    }
  }
}

/** A mapping key as Python's json module writes it. */
export function keyText(key: InventoryValue): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'object') return JSON.stringify(key);
  return String(key);
}

const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const STR_TAG = 'tag:yaml.org,2002:str';

/** PyYAML's implicit resolvers for a plain scalar (YAML 1.1); quoted scalars are strings. */
function scalar(
  node: Node & { value: unknown; type?: string; tag?: string },
  line: number,
): YamlValue {
  const text = node.value === null || node.value === undefined ? '' : String(node.value);
  if (
    node.type !== 'PLAIN' ||
    node.tag === STR_TAG ||
    (node.tag !== undefined && node.tag.startsWith('!'))
  ) {
    return { value: text, line, isString: true };
  }
  if (BOOL_TRUE.test(text)) return { value: true, line };
  if (BOOL_FALSE.test(text)) return { value: false, line };
  if (FLOAT.test(text)) return { value: sexagesimal(text, parseFloat), line };
  if (INT.test(text)) return { value: yamlInt(text), line };
  if (NULL.test(text)) return { value: null, line };
  return { value: text, line, isString: true };
}

function yamlInt(raw: string): number {
  const text = raw.replaceAll('_', '');
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '');
  if (digits === '0') return 0;
  if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
  if (digits.startsWith('0')) return sign * parseInt(digits, 8);
  return sexagesimal(text, (t) => parseInt(t, 10));
}

function sexagesimal(raw: string, parse: (text: string) => number): number {
  const text = raw.replaceAll('_', '');
  if (!text.includes(':')) return parse(text);
  const sign = text.startsWith('-') ? -1 : 1;
  let value = 0;
  for (const part of text.replace(/^[-+]/, '').split(':')) value = value * 60 + parse(part);
  return sign * value;
}

/** Refuses absurd flow nesting (`[[[[…`) before the YAML parser spends seconds on it. */
function checkFlowDepth(text: string, file: string): void {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) line += 1;
    else if (c === 91 || c === 123) depth += 1;
    else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    if (depth > MAX_YAML_DEPTH * 5) {
      throw new LabError('input', `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep`, {
        file,
        line,
        hint: 'flatten the structure',
      });
    }
  }
}
