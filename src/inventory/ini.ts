import { isIP } from 'node:net';
import { LabError } from '../common/errors.js';
import { checkGroupName } from './checks.js';
import { collectProblems } from '../common/problems.js';
import { problemAt, type InventoryData } from './data.js';
import { expandHostKey } from './host-pattern.js';
import { pyStrip, splitLines } from './lines.js';
import type { SourceLocation } from './model.js';
import { InventoryProblem, show } from './problem.js';
import { evalPythonLiteral } from './python-literal.js';
import { splitHostLine, stripTrailingComment } from './syntax.js';
import type { InventoryValue } from './value.js';

/**
 * Ansible's INI inventory, read as lib/ansible/plugins/inventory/ini.py reads it: `[group]`,
 * `[group:vars]`, `[group:children]` sections; host lines split like a shell line; every value run
 * through Python's literal_eval (so `port=22` is a number and `"22"` on a `:vars` line a string);
 * groups named as children before their own section resolved when it comes.
 */
type Kind = 'hosts' | 'vars' | 'children';

interface Pending {
  line: number;
  kind: 'vars' | 'children';
  parents: string[];
}

interface IniState {
  data: InventoryData;
  file: string;
  group: string;
  kind: Kind;
  pending: Map<string, Pending>;
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const CHILD = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function readIni(data: InventoryData, text: string, file: string): void {
  const state: IniState = { data, file, group: 'ungrouped', kind: 'hosts', pending: new Map() };
  // Every line is read, so that an inventory with several mistakes shows them all in one round.
  collectProblems(splitLines(text).entries(), ([index, raw]) => {
    const line = pyStrip(raw);
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const at = { file, line: index + 1 };
    problemAt(at, () => readLine(state, line, at));
  });
  reportPending(state);
}

function readLine(state: IniState, line: string, at: SourceLocation): void {
  const section = SECTION.exec(line);
  if (section) {
    enterSection(state, section[1] ?? '', section[2] ?? 'hosts', at);
  } else if (line.startsWith('[')) {
    throw badSection(line);
  } else if (state.kind === 'hosts') {
    readHostLine(state, line, at);
  } else if (state.kind === 'vars') {
    readVarsLine(state, line, at);
  } else {
    readChildLine(state, line, at);
  }
}

function enterSection(state: IniState, group: string, kind: string, at: SourceLocation): void {
  if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
    throw new InventoryProblem(
      `section [${group}:${kind}] has an unknown type ${show(kind)}`,
      'a section header is [group], [group:vars] or [group:children]',
    );
  }
  checkGroupName(group);
  const { data, pending } = state;
  if (!data.groups.has(group)) {
    if (kind === 'vars' && !pending.has(group))
      pending.set(group, { line: at.line ?? 0, kind, parents: [] });
  }
  data.addGroup(group, at);
  const waiting = pending.get(group);
  if (waiting && kind !== 'vars') {
    if (waiting.kind === 'children') addPendingChildren(state, group);
    else pending.delete(group);
  }
  state.group = group;
  state.kind = kind;
}

/** A group named in [x:children] before its own section: linked to its parents once it is defined. */
function addPendingChildren(state: IniState, group: string): void {
  const waiting = state.pending.get(group);
  if (!waiting) return;
  for (const parent of waiting.parents) {
    state.data.addChild(parent, group, { file: state.file, line: waiting.line });
    if (state.pending.get(parent)?.kind === 'children') addPendingChildren(state, parent);
  }
  state.pending.delete(group);
}

function readHostLine(state: IniState, line: string, at: SourceLocation): void {
  if (/^(?:all|hosts|children|vars):(?:\s|$)/.test(line)) {
    throw new InventoryProblem(
      `${show(line)} is not a host line; this looks like a YAML inventory`,
      'name a YAML inventory NAME.yml (or .yaml): lab, like Ansible, reads other files as INI',
    );
  }
  const [pattern = '', ...assignments] = splitHostLine(line);
  if (pattern.includes('=')) {
    throw new InventoryProblem(
      `${show(pattern)} sets a variable, but a host line starts with a host name`,
      state.group === 'ungrouped'
        ? 'write `server1 ansible_user=root` for one host, or put variables for every host under [all:vars]'
        : `write \`server1 ansible_user=root\` for one host, or put variables for the whole group under [${state.group}:vars]`,
    );
  }
  const { names, port } = expandHostKey(pattern);
  const vars: [string, InventoryValue][] = assignments.map((word) => {
    const eq = word.indexOf('=');
    if (eq === -1) {
      throw new InventoryProblem(
        `expected key=value after the host name, got ${show(word)}`,
        'write host variables as key=value without blanks around "="; quote a value with blanks: motd="hello world"',
      );
    }
    return [word.slice(0, eq), iniValue(word.slice(eq + 1))];
  });
  for (const name of names) {
    state.data.addHost(name, at, state.group, port);
    for (const [key, value] of vars) state.data.setHostVariable(name, key, value, at);
  }
}

function readVarsLine(state: IniState, line: string, at: SourceLocation): void {
  const eq = line.indexOf('=');
  if (eq === -1) {
    throw new InventoryProblem(
      `expected key=value in [${state.group}:vars], got ${show(stripTrailingComment(line))}`,
      'a :vars section holds one key=value per line',
    );
  }
  const key = pyStrip(line.slice(0, eq));
  state.data.setGroupVariable(state.group, key, iniValue(pyStrip(line.slice(eq + 1))), at);
}

function readChildLine(state: IniState, line: string, at: SourceLocation): void {
  const m = line.includes('=') ? null : CHILD.exec(line);
  if (!m) {
    throw new InventoryProblem(
      line.includes('=')
        ? `${show(stripTrailingComment(line))} is a variable, but [${state.group}:children] lists group names`
        : `${show(stripTrailingComment(line))} is not a group name`,
      line.includes('=')
        ? `put variables for the group under [${state.group}:vars]`
        : `[${state.group}:children] lists one group name per line`,
    );
  }
  const child = m[1] ?? '';
  checkGroupName(child);
  if (state.data.groups.has(child)) {
    state.data.addChild(state.group, child, at);
    return;
  }
  const waiting = state.pending.get(child);
  if (waiting) waiting.parents.push(state.group);
  else state.pending.set(child, { line: at.line ?? 0, kind: 'children', parents: [state.group] });
}

/** Groups referred to but never defined: Ansible fails on these after reading the whole file. */
function reportPending(state: IniState): void {
  for (const [name, decl] of state.pending) {
    const parent = decl.parents[decl.parents.length - 1] ?? '';
    const message =
      decl.kind === 'vars'
        ? `[${name}:vars] sets variables for group ${show(name)}, which is never defined`
        : `[${parent}:children] names group ${show(name)}, which is never defined`;
    const hint =
      decl.kind === 'vars'
        ? `define it with a [${name}] or [${name}:children] section, or fix the name (groups: ${[...state.data.groups.keys()].filter((g) => !state.pending.has(g)).join(', ')})`
        : state.data.hosts.has(name)
          ? `${name} is a host: list it under [${parent}], not [${parent}:children]`
          : `define it with a [${name}] section (it may be empty), or remove the line`;
    throw new LabError('input', message, { file: state.file, line: decl.line, hint });
  }
}

/** Ansible's _parse_value: a Python literal becomes its value, anything else stays text. */
function iniValue(text: string): InventoryValue {
  const value = evalPythonLiteral(text);
  return value === undefined ? text : value;
}

function badSection(line: string): InventoryProblem {
  const shape = 'a section header is [group], [group:vars] or [group:children]';
  const close = line.indexOf(']');
  const inner = line.slice(1, close);
  if (isIP(inner) === 6) {
    return new InventoryProblem(
      `${show(line)} is neither a section header nor a host line`,
      'an IPv6 address cannot be a host name here; name the host and set ansible_host: web1 ansible_host=fe80::1',
    );
  }
  if (close === -1)
    return new InventoryProblem(`section header ${show(line)} has no closing "]"`, shape);
  if (inner.trim() === '') return new InventoryProblem('empty section header "[]"', shape);
  if (/\s/.test(inner)) {
    return new InventoryProblem(
      `section header [${inner}] contains a blank`,
      `${shape}; group names have no blanks: [web_servers]`,
    );
  }
  const rest = line.slice(close + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) {
    return new InventoryProblem(
      `unexpected text ${show(rest)} after section header [${inner}]`,
      `${shape}, optionally followed by # comment`,
    );
  }
  return new InventoryProblem(`${show(line)} is not a valid section header`, shape);
}
