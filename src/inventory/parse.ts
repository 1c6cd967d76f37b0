import { isIP } from 'node:net';
import { LabError } from '../common/errors.js';
import {
  checkAddress,
  checkGroupName,
  checkHostName,
  checkPath,
  checkUser,
  checkVariableName,
  isAddress,
  parseBoolean,
  parseGroupPriority,
  parsePort,
} from './checks.js';
import type { Inventory, InventoryGroup, InventoryHost } from './model.js';
import { InventoryProblem, show } from './problem.js';
import { expandHostPattern } from './ranges.js';
import { parseVarsValue, splitHostLine, stripTrailingComment, unquoteValue } from './syntax.js';

/**
 * Ansible's INI inventory, read the way lib/ansible/plugins/inventory/ini.py reads it, with the
 * differences docs/inventory.md lists (values stay strings; some of what Ansible merely warns about
 * or silently accepts is an error here).
 *
 * The parser is line-oriented rather than built on `ini.decode`: Ansible's format is not plain INI
 * (a host line is `name k=v k="v w"` split like a shell line, not `key=value`; a section may be
 * reopened; `[a:children]` lists bare names), and every error must name its line, which ini.decode
 * does not track. The `ini` package decodes double-quoted values (see syntax.ts).
 */

/** The variables lab turns into typed settings. With aliases, the last name present wins, as in Ansible's ssh plugin. */
export const CONNECTION_VARIABLES = {
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  privateKeyFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  become: ['ansible_become'],
  knownHostsFile: ['lab_known_hosts'],
} as const;

const CONNECTION_NAMES: ReadonlySet<string> = new Set(Object.values(CONNECTION_VARIABLES).flat());

/** Names that are Ansible's implicit groups, and so cannot be host names. */
const IMPLICIT_GROUPS = ['all', 'ungrouped'];

type SectionKind = 'hosts' | 'vars' | 'children';

interface Located {
  value: string;
  line: number;
}

interface GroupDraft {
  name: string;
  /** Hosts listed under [name], with the line that listed each. */
  hosts: Map<string, number>;
  children: string[];
  parents: string[];
  vars: Map<string, Located>;
  priority: number;
  /** Declared by [name], [name:hosts] or [name:children], or implicit. [name:vars] alone is not enough (as in Ansible). */
  defined: boolean;
  /** The first [name:vars] header, to point at when the group is never defined. */
  varsLine?: number;
  firstLine?: number;
}

interface HostDraft {
  name: string;
  line: number;
  /** Sections the host is listed in, in order ('ungrouped' for lines before any section). */
  groups: string[];
  vars: Map<string, Located>;
}

interface ChildEdge {
  parent: string;
  child: string;
  line: number;
}

interface Section {
  group: string;
  kind: SectionKind;
  /** Lines before the first section header. */
  top: boolean;
}

/** Parses an Ansible INI inventory. Pure; `file` is only used in messages and locations. */
export function parseInventory(text: string, file: string): Inventory {
  const fail = (line: number, message: string, hint?: string): never => {
    throw new LabError('input', message, { file, line, ...(hint === undefined ? {} : { hint }) });
  };

  const groups = new Map<string, GroupDraft>();
  const hosts = new Map<string, HostDraft>();
  const edges: ChildEdge[] = [];
  const groupDraft = (name: string): GroupDraft => {
    let g = groups.get(name);
    if (!g) {
      g = {
        name,
        hosts: new Map(),
        children: [],
        parents: [],
        vars: new Map(),
        priority: 1,
        defined: false,
      };
      groups.set(name, g);
    }
    return g;
  };
  for (const name of IMPLICIT_GROUPS) groupDraft(name).defined = true;

  let section: Section = { group: 'ungrouped', kind: 'hosts', top: true };

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    try {
      if (line.startsWith('[')) {
        const header = parseSectionHeader(line);
        const g = groupDraft(header.group);
        g.firstLine ??= lineNo;
        if (header.kind === 'vars') g.varsLine ??= lineNo;
        else g.defined = true;
        section = { ...header, top: false };
      } else if (section.kind === 'hosts') {
        readHostLine(line, lineNo, section);
      } else if (section.kind === 'vars') {
        readVarsLine(line, lineNo, groupDraft(section.group));
      } else {
        readChildLine(line, lineNo, section.group);
      }
    } catch (err) {
      if (err instanceof InventoryProblem) fail(lineNo, err.message, err.hint);
      throw err;
    }
  }

  function readHostLine(line: string, lineNo: number, at: Section): void {
    if (line === '---' || /^(?:all|hosts|children|vars):$/.test(line)) {
      throw new InventoryProblem(
        `${show(line)} is not a host line; this looks like a YAML inventory`,
        "lab reads Ansible's INI inventory format: [group] sections and `name key=value` host lines (docs/inventory.md)",
      );
    }
    const [pattern = '', ...assignments] = splitHostLine(line);
    if (pattern.includes('=')) {
      throw new InventoryProblem(
        `${show(pattern)} sets a variable, but a host line starts with a host name`,
        at.top
          ? 'write `server1 ansible_user=root` for one host, or put variables for every host under [all:vars]'
          : `write \`server1 ansible_user=root\` for one host, or put variables for the whole group under [${at.group}:vars]`,
      );
    }
    const { hostPattern, port } = splitPort(pattern);
    const names = expandHostPattern(hostPattern);
    for (const name of names) {
      checkHostName(name);
      if (IMPLICIT_GROUPS.includes(name)) {
        throw new InventoryProblem(
          `${show(name)} cannot be a host name: it is the implicit group of that name`,
          'rename the host',
        );
      }
    }
    const vars: [string, string][] = port === undefined ? [] : [['ansible_port', port]];
    for (const word of assignments) {
      const eq = word.indexOf('=');
      if (eq === -1) {
        throw new InventoryProblem(
          `expected key=value after the host name, got ${show(word)}`,
          'write host variables as key=value without blanks around "="; quote a value with blanks: motd="hello world"',
        );
      }
      const key = word.slice(0, eq);
      checkVariableName(key);
      const value = unquoteValue(word.slice(eq + 1));
      checkVariable(key, value);
      vars.push([key, value]);
    }
    const group = groupDraft(at.group);
    for (const name of names) {
      const previous = group.hosts.get(name);
      if (previous !== undefined) {
        const where =
          at.group === 'ungrouped' ? 'among the ungrouped hosts' : `in group ${show(at.group)}`;
        fail(
          lineNo,
          `host ${show(name)} is listed twice ${where} (first on line ${previous})`,
          'list a host once per group and put all its variables on that one line',
        );
      }
      group.hosts.set(name, lineNo);
      let host = hosts.get(name);
      if (!host) {
        host = { name, line: lineNo, groups: [], vars: new Map() };
        hosts.set(name, host);
      }
      if (!host.groups.includes(at.group)) host.groups.push(at.group);
      for (const [key, value] of vars) host.vars.set(key, { value, line: lineNo });
    }
  }

  function readVarsLine(line: string, lineNo: number, group: GroupDraft): void {
    const eq = line.indexOf('=');
    if (eq === -1) {
      throw new InventoryProblem(
        `expected key=value in [${group.name}:vars], got ${show(stripTrailingComment(line))}`,
        'a :vars section holds one key=value per line',
      );
    }
    const key = line.slice(0, eq).trim();
    checkVariableName(key);
    const value = parseVarsValue(line.slice(eq + 1));
    if (key === 'ansible_group_priority') {
      // As in Ansible, the priority is a property of the group, not one of its variables.
      group.priority = parseGroupPriority(value);
      return;
    }
    checkVariable(key, value);
    group.vars.set(key, { value, line: lineNo });
  }

  function readChildLine(line: string, lineNo: number, parent: string): void {
    const name = stripTrailingComment(line);
    if (name.includes('=')) {
      throw new InventoryProblem(
        `${show(name)} is a variable, but [${parent}:children] lists group names`,
        `put variables for the group under [${parent}:vars]`,
      );
    }
    if (/\s/.test(name)) {
      throw new InventoryProblem(
        `${show(name)} is not a group name`,
        `[${parent}:children] lists one group name per line`,
      );
    }
    checkGroupName(name);
    if (name === 'all') {
      throw new InventoryProblem(
        '"all" cannot be a child group: it is the parent of every group',
        'remove the line',
      );
    }
    edges.push({ parent, child: name, line: lineNo });
  }

  // Groups referred to but never declared: Ansible fails on these too, after reading the whole file
  // (a group may be named as a child, or get :vars, before its own section). The earliest is reported.
  const undeclared: { line: number; message: string; hint: string }[] = [];
  for (const edge of edges) {
    if (groups.get(edge.child)?.defined) continue;
    undeclared.push({
      line: edge.line,
      message: `[${edge.parent}:children] names group ${show(edge.child)}, which is never defined`,
      hint: hosts.has(edge.child)
        ? `${edge.child} is a host: list it under [${edge.parent}], not [${edge.parent}:children]`
        : `define it with a [${edge.child}] section (it may be empty), or remove the line`,
    });
  }
  for (const g of groups.values()) {
    if (g.defined || g.varsLine === undefined) continue;
    undeclared.push({
      line: g.varsLine,
      message: `[${g.name}:vars] sets variables for group ${show(g.name)}, which is never defined`,
      hint: `define it with a [${g.name}] or [${g.name}:children] section, or fix the name (groups: ${[
        ...groups.values(),
      ]
        .filter((d) => d.defined)
        .map((d) => d.name)
        .join(', ')})`,
    });
  }
  const first = undeclared.sort((a, b) => a.line - b.line)[0];
  if (first) fail(first.line, first.message, first.hint);

  // Link children in file order; the edge that closes a cycle is the one reported.
  for (const edge of edges) {
    const parent = groupDraft(edge.parent);
    const child = groupDraft(edge.child);
    if (edge.parent === edge.child) {
      fail(
        edge.line,
        `group ${show(edge.parent)} lists itself in [${edge.parent}:children]`,
        'a group cannot be its own child; remove the line',
      );
    }
    if (parent.children.includes(edge.child)) continue;
    const back = pathBetween(edge.child, edge.parent, groups);
    if (back) {
      fail(
        edge.line,
        `[${edge.parent}:children] makes a cycle of groups: ${[edge.parent, ...back].join(' → ')}`,
        'a group cannot contain itself, directly or through its children; remove one of these :children lines',
      );
    }
    parent.children.push(edge.child);
    child.parents.push(edge.parent);
  }

  // 'all' is the parent of every group that has no other (Ansible's reconcile_inventory).
  const all = groupDraft('all');
  for (const g of groups.values()) {
    if (g.name === 'all' || g.parents.some((p) => p !== 'all')) continue;
    if (!g.parents.includes('all')) g.parents.push('all');
    if (!all.children.includes(g.name)) all.children.push(g.name);
  }

  const depths = new Map<string, number>([['all', 0]]);
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const parents = groups.get(name)?.parents ?? [];
    const depth = 1 + Math.max(0, ...parents.map(depthOf));
    depths.set(name, depth);
    return depth;
  };
  const byPrecedence = (a: string, b: string): number => {
    const ga = groupDraft(a);
    const gb = groupDraft(b);
    return depthOf(a) - depthOf(b) || ga.priority - gb.priority || (a < b ? -1 : a > b ? 1 : 0);
  };
  const ancestorsOf = (name: string, into: Set<string>): Set<string> => {
    if (into.has(name)) return into;
    into.add(name);
    for (const p of groups.get(name)?.parents ?? []) ancestorsOf(p, into);
    return into;
  };

  const ungroupedHosts: string[] = [];
  const resultHosts: InventoryHost[] = [];
  for (const draft of hosts.values()) {
    // As in Ansible, a host is in 'ungrouped' only when it is in no group but 'all'.
    let direct = draft.groups.filter((g) => !IMPLICIT_GROUPS.includes(g));
    if (direct.length === 0) {
      direct = ['ungrouped'];
      ungroupedHosts.push(draft.name);
    }
    const member = new Set<string>(['all']);
    for (const g of direct) ancestorsOf(g, member);
    const hostGroups = [...member].sort(byPrecedence);

    const merged = new Map<string, Located>();
    for (const g of hostGroups)
      for (const [key, value] of groupDraft(g).vars) merged.set(key, value);
    for (const [key, value] of draft.vars) merged.set(key, value);
    resultHosts.push(buildHost(draft, hostGroups, merged));
  }

  function buildHost(
    draft: HostDraft,
    hostGroups: string[],
    merged: Map<string, Located>,
  ): InventoryHost {
    const pick = (names: readonly string[]): string | undefined => {
      let found: string | undefined;
      for (const name of names) found = merged.get(name)?.value ?? found;
      return found;
    };
    const address = pick(CONNECTION_VARIABLES.address);
    if (address === undefined && !isAddress(draft.name)) {
      fail(
        draft.line,
        `host name ${show(draft.name)} is not an address ssh can connect to, and no ansible_host is set for it`,
        `set the address on the host line: ${draft.name} ansible_host=172.25.83.1`,
      );
    }
    const port = pick(CONNECTION_VARIABLES.port);
    const become = pick(CONNECTION_VARIABLES.become);
    const user = pick(CONNECTION_VARIABLES.user);
    const privateKeyFile = pick(CONNECTION_VARIABLES.privateKeyFile);
    const knownHostsFile = pick(CONNECTION_VARIABLES.knownHostsFile);
    return {
      name: draft.name,
      address: address ?? draft.name,
      // Values were checked where they were written; parsing again cannot fail.
      port: port === undefined ? 22 : parsePort(port, 'ansible_port'),
      ...(user === undefined ? {} : { user }),
      ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
      become: become === undefined ? false : parseBoolean(become, 'ansible_become'),
      ...(knownHostsFile === undefined ? {} : { knownHostsFile }),
      groups: hostGroups,
      vars: record(
        [...merged].filter(([key]) => !CONNECTION_NAMES.has(key)).map(([key, v]) => [key, v.value]),
      ),
      location: { file, line: draft.line },
      hostVars: record([...draft.vars].map(([key, v]) => [key, v.value])),
    };
  }

  const resultGroups: Record<string, InventoryGroup> = Object.create(null) as Record<
    string,
    InventoryGroup
  >;
  for (const g of groups.values()) {
    resultGroups[g.name] = {
      name: g.name,
      hosts: g.name === 'ungrouped' ? ungroupedHosts : [...g.hosts.keys()],
      children: g.children,
      vars: record([...g.vars].map(([key, v]) => [key, v.value])),
      varLines: record([...g.vars].map(([key, v]) => [key, v.line])),
      ...(g.firstLine === undefined ? {} : { location: { file, line: g.firstLine } }),
      depth: depthOf(g.name),
      priority: g.priority,
    };
  }

  return { file, hosts: resultHosts, groups: resultGroups };
}

/** `[group]`, `[group:hosts]`, `[group:vars]`, `[group:children]`, with an optional `# comment` after. */
function parseSectionHeader(line: string): { group: string; kind: SectionKind } {
  const shape = 'a section header is [group], [group:vars] or [group:children]';
  const close = line.indexOf(']');
  if (close === -1)
    throw new InventoryProblem(`section header ${show(line)} has no closing "]"`, shape);
  const inner = line.slice(1, close);
  const rest = line.slice(close + 1).trim();
  if (isIP(inner) === 6) {
    throw new InventoryProblem(
      `${show(line)} is neither a section header nor a host line`,
      'an IPv6 address cannot be a host name here; name the host and set ansible_host: web1 ansible_host=fe80::1',
    );
  }
  if (rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) {
    throw new InventoryProblem(
      `unexpected text ${show(rest)} after section header [${inner}]`,
      shape,
    );
  }
  if (inner.trim() === '') throw new InventoryProblem('empty section header "[]"', shape);
  if (/\s/.test(inner)) {
    throw new InventoryProblem(
      `section header [${inner}] contains a blank`,
      `${shape}; group names have no blanks: [web_servers]`,
    );
  }
  const colon = inner.indexOf(':');
  const group = colon === -1 ? inner : inner.slice(0, colon);
  const kind = colon === -1 ? 'hosts' : inner.slice(colon + 1);
  if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
    throw new InventoryProblem(`section [${inner}] has an unknown type ${show(kind)}`, shape);
  }
  if (group === '')
    throw new InventoryProblem(`section header [${inner}] has no group name`, shape);
  checkGroupName(group);
  return { group, kind };
}

/**
 * Splits `name:port` as Ansible's parse_address does for host lines (`web1:2222`, `web[1:3]:2222`):
 * a single colon outside brackets, followed by digits. Several colons (an IPv6 address) are left in
 * the name, which the name check then rejects with a hint.
 */
function splitPort(pattern: string): { hostPattern: string; port?: string } {
  let depth = 0;
  const colons: number[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
    else if (c === ':' && depth === 0) colons.push(i);
  }
  const at = colons[0];
  if (colons.length !== 1 || at === undefined) return { hostPattern: pattern };
  const port = pattern.slice(at + 1);
  if (port === '') {
    throw new InventoryProblem(
      `host ${show(pattern)} ends in ":"`,
      'give the port after the colon (web1:2222), or drop the colon',
    );
  }
  parsePort(port, `the port in ${show(pattern)}`);
  return { hostPattern: pattern.slice(0, at), port };
}

/** Checks a variable lab gives meaning to, where it is written, so the error points at that line. */
function checkVariable(name: string, value: string): void {
  if (CONNECTION_NAMES.has(name) && value.includes('{{')) {
    throw new InventoryProblem(
      `${name} is a Jinja template (${show(value)}), which lab does not evaluate`,
      'write the value itself',
    );
  }
  switch (name) {
    case 'ansible_host':
    case 'ansible_ssh_host':
      checkAddress(value, name);
      break;
    case 'ansible_port':
    case 'ansible_ssh_port':
      parsePort(value, name);
      break;
    case 'ansible_user':
    case 'ansible_ssh_user':
      checkUser(value, name);
      break;
    case 'ansible_private_key_file':
    case 'ansible_ssh_private_key_file':
      checkPath(value, name, '~/.ssh/id_ed25519');
      break;
    case 'lab_known_hosts':
      checkPath(value, name, '~/.ssh/known_hosts');
      break;
    case 'ansible_become':
      parseBoolean(value, name);
      break;
  }
}

/** Group names from `from` down to `to` through :children, or undefined when `to` is not below `from`. */
function pathBetween(
  from: string,
  to: string,
  groups: Map<string, GroupDraft>,
  seen = new Set<string>(),
): string[] | undefined {
  if (from === to) return [to];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const child of groups.get(from)?.children ?? []) {
    const rest = pathBetween(child, to, groups, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

/** A plain record without a prototype, so that a variable named `constructor` or `__proto__` is just a variable. */
function record<T>(entries: [string, T][]): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}
