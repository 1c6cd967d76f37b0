import { collectProblems } from '../common/problems.js';
import { connectionSettings } from './connection.js';
import { problemAt, type InventoryData, type Located } from './data.js';
import type { Inventory, InventoryGroup, InventoryHost, SourceLocation } from './model.js';
import { record, type InventoryValue } from './value.js';
import type { VarsFiles } from './vars-files.js';

/**
 * The inventory's final shape: each host's variables merged in Ansible's order (VariableManager
 * with the default VARIABLE_PRECEDENCE), later winning:
 *   1. the `all` group's own variables;  2. the host's other groups' own variables, sorted by
 *   (depth, ansible_group_priority, name);  3. group_vars/all, source by source, then the playbook
 *   directory's;  4. group_vars/GROUP for those groups, the same way;  5. the host's own variables;
 *   6. host_vars/HOST, source by source, then the playbook directory's.
 */
export interface ResolveOptions {
  file: string;
  sources: string[];
  /** The directories whose group_vars/ and host_vars/ apply: each source's own, or its file's directory. */
  basedirs: string[];
  /**
   * Ansible's playbook directory (`ansible` and `ansible-inventory` use the working directory when
   * there is no playbook): its group_vars/ and host_vars/ apply after the sources' at each level,
   * even when it is one of the basedirs (Ansible then reads those files twice).
   */
  playbookDir?: string | undefined;
  varsFiles: VarsFiles;
  /** For `~` in key and known_hosts paths. */
  home: string | undefined;
}

export function resolveInventory(data: InventoryData, options: ResolveOptions): Inventory {
  const depths = new Map<string, number>();
  const sortGroups = (names: Iterable<string>): string[] =>
    [...names].sort((a, b) => {
      const ga = data.groups.get(a);
      const gb = data.groups.get(b);
      return (
        data.depth(a, depths) - data.depth(b, depths) ||
        (ga?.priority ?? 1) - (gb?.priority ?? 1) ||
        (a < b ? -1 : a > b ? 1 : 0)
      );
    });
  const hosts: InventoryHost[] = [];
  // Every host's settings are checked, so that several wrong hosts are all named in one round.
  collectProblems(data.hosts.values(), (host) => {
    const member = new Set<string>(['all']);
    for (const g of host.groups) data.ancestors(g, member);
    const groups = sortGroups(member);
    hosts.push(buildHost(data, host.name, groups, options));
  });
  const groups = record<InventoryGroup>();
  for (const g of data.groups.values()) {
    const vars = new Map(g.vars);
    for (const dir of varsDirs(options))
      for (const [k, v] of options.varsFiles.get(dir, 'group_vars', g.name)) vars.set(k, v);
    groups[g.name] = {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children],
      ...values(vars),
      ...(g.location ? { location: g.location } : {}),
      depth: data.depth(g.name, depths),
      priority: g.priority,
    };
  }
  return { file: options.file, sources: options.sources, hosts, groups };
}

function buildHost(
  data: InventoryData,
  name: string,
  groups: string[],
  options: ResolveOptions,
): InventoryHost {
  const host = data.hosts.get(name);
  if (!host) throw new Error(`buildHost: no host ${name}`);
  const { varsFiles } = options;
  const dirs = varsDirs(options);
  const others = groups.filter((g) => g !== 'all');
  const layers: Map<string, Located>[] = [
    data.groups.get('all')?.vars ?? new Map(),
    ...others.map((g) => data.groups.get(g)?.vars ?? new Map<string, Located>()),
    ...dirs.map((dir) => varsFiles.get(dir, 'group_vars', 'all')),
    ...dirs.flatMap((dir) => others.map((g) => varsFiles.get(dir, 'group_vars', g))),
  ];
  const own = new Map(host.vars);
  for (const dir of dirs) for (const [k, v] of varsFiles.get(dir, 'host_vars', name)) own.set(k, v);
  const merged = new Map<string, Located>();
  for (const layer of [...layers, own]) for (const [k, v] of layer) merged.set(k, v);
  const settings = problemAt(host.location, () => connectionSettings(name, merged, options.home));
  const all = values(merged);
  return {
    name,
    ...settings,
    groups,
    vars: all.vars,
    varSources: all.varSources,
    location: host.location,
    hostVars: values(own).vars,
  };
}

/** The directories whose group_vars/ and host_vars/ apply, in order: the sources', then the playbook's. */
function varsDirs(options: ResolveOptions): string[] {
  return options.playbookDir === undefined
    ? options.basedirs
    : [...options.basedirs, options.playbookDir];
}

function values(vars: Map<string, Located>): {
  vars: Record<string, InventoryValue>;
  varSources: Record<string, SourceLocation>;
} {
  return {
    vars: record([...vars].map(([k, v]) => [k, v.value])),
    varSources: record([...vars].map(([k, v]) => [k, v.at])),
  };
}
