import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Generated inventories for the differential test: a seeded mix of INI and YAML sources, ranges,
 * children, group priorities, hosts listed twice, every kind of value, and group_vars/host_vars as
 * files (NAME, NAME.yml, NAME.yaml, NAME.json) and as directories. Each case is a directory; its
 * `.args` file lists the -i sources (hidden, so Ansible and lab both skip it in a directory source).
 */
export function generateCorpus(root: string, count: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `gen-${seed}-${i}`;
    writeCase(path.join(root, name), new Gen(rand));
    names.push(name);
  }
  return names;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Host-line values: split like a shell line first, so a value with blanks is quoted. */
const INI_VALUES = [
  '22',
  '"22"',
  "'x y'",
  'True',
  'yes',
  '[1,2]',
  '"[1, 2]"',
  '"{\'a\': 1}"',
  'hello',
  '1.5',
  '0x10',
  '-3',
  'None',
  `"'quoted'"`,
  '01',
  '1_000',
  '"a b"',
  "b'ytes'",
  '(1,2)',
  "u'x'",
  '3e2',
  '""',
  '0o17',
  'a#b',
];
const INI_VARS_ONLY = [
  '[1, 2]',
  "{'a': 1}",
  "'x' 'y'",
  'hello world # not a comment',
  '8080 # a comment',
  '"a # b"',
  'a=b',
  '  spaced  ',
];
const YAML_VALUES = [
  '22',
  '"22"',
  'yes',
  'on',
  'no',
  '0755',
  '1:20',
  '1.5',
  '1e3',
  'null',
  '~',
  '[1, 2]',
  '{a: 1}',
  'text',
  "'x y'",
  'True',
  '0x1F',
  '-7',
  '1_000',
  '2024-01-02',
  '""',
  '.5',
  '+12',
];
const KEYS = ['v0', 'v1', 'v2', 'v3', 'http_port', 'ansible_user', 'ansible_port'];
/** Connection settings get values lab accepts: lab checks them where they are written (docs/inventory.md). */
const CONNECTION: Record<string, { ini: string[]; yaml: string[]; json: unknown[] }> = {
  ansible_user: {
    ini: ['deploy', 'root', '"admin"'],
    yaml: ['deploy', "'root'"],
    json: ['deploy', 'root'],
  },
  ansible_port: { ini: ['2200', '"2222"', '22'], yaml: ['2200', '"2222"'], json: [2200, '2222'] },
};

class Gen {
  constructor(private readonly rand: () => number) {}
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
}

interface Model {
  groups: string[];
  children: [string, string][];
  hostLines: { group: string; pattern: string; vars: [string, string][] }[];
  groupVars: { group: string; key: string; value: string }[];
}

function model(g: Gen): Model {
  const groups = ['g0', 'g1', 'g2', 'g3', 'g4'].slice(0, 1 + g.int(5));
  const children: [string, string][] = [];
  for (let i = 0; i < groups.length; i += 1)
    for (let j = i + 1; j < groups.length; j += 1)
      if (g.chance(0.3)) children.push([groups[i] ?? '', groups[j] ?? '']);
  const patterns = [
    'h0',
    'h1',
    'h2',
    'h3',
    'web[1:3]',
    'db-[a:c]',
    'n[01:03]',
    'h1:2222',
    'node[0:6:3]',
  ];
  const hostLines: Model['hostLines'] = [];
  for (let i = 0, n = 1 + g.int(7); i < n; i += 1) {
    const vars: [string, string][] = [];
    for (let k = 0, m = g.int(3); k < m; k += 1) vars.push([g.pick(KEYS), '']);
    hostLines.push({
      group: g.chance(0.15) ? 'ungrouped' : g.pick(groups),
      pattern: g.pick(patterns),
      vars,
    });
  }
  const groupVars: Model['groupVars'] = [];
  for (let i = 0, n = g.int(5); i < n; i += 1) {
    const group = g.chance(0.25) ? 'all' : g.pick(groups);
    groupVars.push({
      group,
      key: g.chance(0.1) ? 'ansible_group_priority' : g.pick(KEYS),
      value: '',
    });
  }
  return { groups, children, hostLines, groupVars };
}

function writeCase(dir: string, g: Gen): void {
  mkdirSync(dir, { recursive: true });
  const m = model(g);
  const args: string[] = [];
  const twoSources = g.chance(0.2);
  const sources = twoSources ? ['a', 'b'] : ['.'];
  for (const [i, sub] of sources.entries()) {
    const base = path.join(dir, sub);
    mkdirSync(base, { recursive: true });
    const part = twoSources ? split(m, i) : m;
    const yaml = g.chance(0.4);
    const file = yaml
      ? g.pick(['hosts.yml', 'hosts.yaml', 'inv.json'])
      : g.pick(['hosts', 'inv.ini', 'hosts.cfg']);
    writeFileSync(
      path.join(base, file),
      yaml ? yamlInventory(part, g, file.endsWith('.json')) : iniInventory(part, g),
    );
    args.push(
      g.chance(0.3) && !file.endsWith('.ini') && !file.endsWith('.cfg')
        ? sub
        : path.join(sub, file),
    );
    writeVarsFiles(base, m, g);
  }
  writeFileSync(path.join(dir, '.args'), `${args.join('\n')}\n`);
}

function split(m: Model, half: number): Model {
  return {
    ...m,
    hostLines: m.hostLines.filter((_, i) => i % 2 === half),
    groupVars: m.groupVars.filter((_, i) => i % 2 === half),
  };
}

function iniInventory(m: Model, g: Gen): string {
  const out: string[] = [];
  if (g.chance(0.3)) out.push('# generated', '; also a comment');
  const sections = new Map<string, string[]>();
  const add = (header: string, line: string): void => {
    sections.set(header, [...(sections.get(header) ?? []), line]);
  };
  for (const group of m.groups) sections.set(`[${group}]`, []);
  for (const h of m.hostLines) {
    const vars = h.vars.map(([k]) => `${k}=${g.pick(CONNECTION[k]?.ini ?? INI_VALUES)}`).join(' ');
    const line = `${h.pattern}${vars ? ` ${vars}` : ''}${g.chance(0.1) ? ' # trailing' : ''}`;
    if (h.group === 'ungrouped') out.push(line);
    else add(`[${h.group}]`, line);
  }
  for (const [parent, child] of m.children) add(`[${parent}:children]`, child);
  for (const v of m.groupVars) {
    const value =
      v.key === 'ansible_group_priority'
        ? String(1 + g.int(5))
        : g.pick(CONNECTION[v.key]?.ini ?? [...INI_VALUES, ...INI_VARS_ONLY]);
    add(`[${v.group}:vars]`, `${v.key}${g.chance(0.3) ? ' = ' : '='}${value}`);
  }
  const headers = [...sections.keys()];
  if (g.chance(0.5)) headers.reverse();
  for (const header of headers) out.push('', header, ...(sections.get(header) ?? []));
  return `${out.join('\n')}\n`;
}

function yamlInventory(m: Model, g: Gen, json: boolean): string {
  const doc: Record<
    string,
    {
      hosts?: Record<string, unknown>;
      children?: Record<string, unknown>;
      vars?: Record<string, unknown>;
    }
  > = {};
  const group = (name: string) => (doc[name] ??= {});
  for (const name of m.groups) group(name);
  for (const h of m.hostLines) {
    const gr = group(h.group === 'ungrouped' ? 'all' : h.group);
    const vars = Object.fromEntries(h.vars.map(([k]) => [k, yamlValue(g, k, json)]));
    (gr.hosts ??= {})[h.pattern] = h.vars.length === 0 && g.chance(0.5) ? null : vars;
  }
  for (const [parent, child] of m.children) (group(parent).children ??= {})[child] = null;
  for (const v of m.groupVars)
    (group(v.group).vars ??= {})[v.key] =
      v.key === 'ansible_group_priority' ? 1 + g.int(5) : yamlValue(g, v.key, json);
  if (json) return `${JSON.stringify(doc, null, 1)}\n`;
  return `${yamlText(doc, 0)}\n`;
}

/** A raw YAML scalar (kept as text so the YAML writer below emits it unquoted), or a JSON value. */
function yamlValue(g: Gen, key: string, json: boolean): unknown {
  const connection = CONNECTION[key];
  if (connection) return json ? g.pick(connection.json) : { raw: g.pick(connection.yaml) };
  if (json) return g.pick([22, '22', true, null, [1, 2], { a: 1 }, 'text', 1.5]);
  return { raw: g.pick(YAML_VALUES) };
}

function yamlText(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (typeof value === 'object' && 'raw' in (value as object))
    return String((value as { raw: string }).raw);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return entries
    .map(([k, v]) => {
      const inner = yamlText(v, indent + 2);
      const nested = v !== null && typeof v === 'object' && !('raw' in v);
      return nested && inner !== '{}'
        ? `\n${pad}${k}:\n${' '.repeat(indent + 2)}${inner.trimStart()}`
        : `\n${pad}${k}: ${inner}`;
    })
    .join('')
    .replace(/^\n/, '');
}

function writeVarsFiles(base: string, m: Model, g: Gen): void {
  const hostNames = ['h0', 'h1', 'web2', 'db-b', 'n01'];
  const targets: ['group_vars' | 'host_vars', string][] = [
    ...['all', ...m.groups].map((n) => ['group_vars', n] as ['group_vars', string]),
    ...hostNames.map((n) => ['host_vars', n] as ['host_vars', string]),
  ];
  for (const [sub, name] of targets) {
    if (!g.chance(0.2)) continue;
    const dir = path.join(base, sub);
    mkdirSync(dir, { recursive: true });
    const body = (): string =>
      [g.pick(KEYS), g.pick(KEYS)]
        .map((k) => `${k}: ${g.pick(CONNECTION[k]?.yaml ?? YAML_VALUES)}\n`)
        .join('');
    const shape = g.int(5);
    if (shape === 4) {
      mkdirSync(path.join(dir, name, 'sub'), { recursive: true });
      writeFileSync(path.join(dir, name, '10.yml'), body());
      writeFileSync(path.join(dir, name, 'sub', 'more'), body());
      if (g.chance(0.5)) writeFileSync(path.join(dir, name, 'skip.txt'), 'v0: skipped\n');
    } else {
      writeFileSync(
        path.join(dir, `${name}${['', '.yml', '.yaml', '.json'][shape]}`),
        shape === 3 ? JSON.stringify({ v1: g.pick([1, 'x', true, null]) }) : body(),
      );
      if (g.chance(0.2)) writeFileSync(path.join(dir, `${name}.yaml`), 'v2: shadowed\n');
    }
  }
}
