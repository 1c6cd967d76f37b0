import { LabError } from '../common/errors.js';
import { checkGroupName, checkHostName, checkVariableName, parseGroupPriority } from './checks.js';
import { checkConnectionValue } from './connection.js';
import type { Located, SourceLocation } from './model.js';

export type { Located } from './model.js';
import { InventoryProblem, show } from './problem.js';
import { valueText, type InventoryValue } from './value.js';

/**
 * The inventory while sources are read into it: Ansible's InventoryData (lib/ansible/inventory/data.py)
 * rules, with every name and connection setting checked where it is written.
 */

export interface GroupData {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Map<string, Located>;
  priority: number;
  location?: SourceLocation;
}

export interface HostData {
  name: string;
  /** Groups the host was added to directly, in order. */
  groups: string[];
  vars: Map<string, Located>;
  location: SourceLocation;
}

/** Names that are Ansible's implicit groups, and so cannot be host names here. */
export const IMPLICIT_GROUPS: readonly string[] = ['all', 'ungrouped'];

/** Runs `fn`, turning an InventoryProblem into an input error at `at`. */
export function problemAt<T>(at: SourceLocation, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof InventoryProblem)) throw err;
    const { file, line } = at;
    throw new LabError('input', err.message, {
      file,
      ...(line === undefined ? {} : { line }),
      ...(err.hint === undefined ? {} : { hint: err.hint }),
    });
  }
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();

  constructor() {
    this.group('all');
    this.group('ungrouped');
    this.linkChild('all', 'ungrouped');
  }

  private group(name: string, at?: SourceLocation): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: [], children: [], parents: [], vars: new Map(), priority: 1 };
      if (at) g.location = at;
      this.groups.set(name, g);
    }
    return g;
  }

  addGroup(name: string, at: SourceLocation): GroupData {
    problemAt(at, () => checkGroupName(name));
    const g = this.group(name, at);
    g.location ??= at;
    return g;
  }

  /** Adds a host (and, with `group`, puts it in that group). A port applies only to a new host, as in Ansible. */
  addHost(name: string, at: SourceLocation, group?: string, port?: number): HostData {
    let host = this.hosts.get(name);
    if (!host) {
      problemAt(at, () => checkHost(name));
      host = { name, groups: [], vars: new Map(), location: at };
      this.hosts.set(name, host);
      if (port !== undefined) host.vars.set('ansible_port', { value: port, at });
    }
    if (group !== undefined) {
      const g = this.groups.get(group) ?? this.group(group, at);
      if (!g.hosts.includes(name)) g.hosts.push(name);
      if (!host.groups.includes(group)) host.groups.push(group);
    }
    return host;
  }

  setGroupVariable(group: string, key: string, value: InventoryValue, at: SourceLocation): void {
    const g = this.groups.get(group) ?? this.group(group, at);
    problemAt(at, () => {
      checkVariableName(key);
      if (key === 'ansible_group_priority') g.priority = parseGroupPriority(valueText(value));
      else checkConnectionValue(key, value);
    });
    if (key !== 'ansible_group_priority') g.vars.set(key, { value, at });
  }

  setHostVariable(host: string, key: string, value: InventoryValue, at: SourceLocation): void {
    const h = this.hosts.get(host);
    if (!h) throw new Error(`setHostVariable: no host ${host}`);
    problemAt(at, () => {
      checkVariableName(key);
      checkConnectionValue(key, value);
    });
    h.vars.set(key, { value, at });
  }

  /** Makes `child` (a group) a child of `parent`; refuses a cycle, naming it. */
  addChild(parent: string, child: string, at: SourceLocation): void {
    const p = this.groups.get(parent);
    if (p?.children.includes(child)) return;
    const where = { file: at.file, ...(at.line === undefined ? {} : { line: at.line }) };
    if (child === 'all' || parent === child) {
      throw new LabError(
        'input',
        child === 'all'
          ? '"all" cannot be a child group: it is the parent of every group'
          : `group ${show(child)} lists itself as a child`,
        {
          ...where,
          hint: 'a group cannot be its own child, and "all" is no one\'s child; remove the line',
        },
      );
    }
    const back = this.pathDown(child, parent);
    if (back) {
      throw new LabError(
        'input',
        `group ${show(child)} under ${show(parent)} makes a cycle of groups: ${[parent, ...back].join(' → ')}`,
        {
          ...where,
          hint: 'a group cannot contain itself, directly or through its children; remove one of these child entries',
        },
      );
    }
    this.linkChild(parent, child);
  }

  private linkChild(parent: string, child: string): void {
    const p = this.group(parent);
    const c = this.group(child);
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  /** Group names from `from` down to `to` through children, or undefined when `to` is not below `from`. */
  private pathDown(from: string, to: string, seen = new Set<string>()): string[] | undefined {
    if (from === to) return [to];
    if (seen.has(from)) return undefined;
    seen.add(from);
    for (const child of this.groups.get(from)?.children ?? []) {
      const rest = this.pathDown(child, to, seen);
      if (rest) return [from, ...rest];
    }
    return undefined;
  }

  /** Every group `name` is in, itself included, through parents. */
  ancestors(name: string, into = new Set<string>()): Set<string> {
    if (into.has(name)) return into;
    into.add(name);
    for (const p of this.groups.get(name)?.parents ?? []) this.ancestors(p, into);
    return into;
  }

  /** Ansible's reconcile_inventory: top-level groups under 'all'; 'ungrouped' holds exactly the hosts in no other group. */
  reconcile(): void {
    for (const g of [...this.groups.values()]) {
      if (g.name !== 'all' && g.parents.length === 0) this.linkChild('all', g.name);
    }
    const ungrouped = this.group('ungrouped');
    for (const host of this.hosts.values()) {
      const member = new Set<string>();
      for (const g of host.groups) this.ancestors(g, member);
      const others = [...member].filter((g) => !IMPLICIT_GROUPS.includes(g));
      if (member.has('ungrouped') && others.length > 0) {
        ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
        host.groups = host.groups.filter((g) => g !== 'ungrouped');
      } else if (others.length === 0 && !member.has('ungrouped')) {
        ungrouped.hosts.push(host.name);
        host.groups.push('ungrouped');
      }
    }
  }

  /** Longest path from 'all' (all 0): Ansible's group depth. */
  depth(name: string, memo = new Map<string, number>()): number {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const parents = this.groups.get(name)?.parents ?? [];
    const d = name === 'all' ? 0 : 1 + Math.max(0, ...parents.map((p) => this.depth(p, memo)));
    memo.set(name, d);
    return d;
  }
}

function checkHost(name: string): void {
  checkHostName(name);
  if (IMPLICIT_GROUPS.includes(name)) {
    throw new InventoryProblem(
      `${show(name)} cannot be a host name: it is the implicit group of that name`,
      'rename the host',
    );
  }
}
