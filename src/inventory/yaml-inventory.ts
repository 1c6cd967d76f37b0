import { collectProblems } from '../common/problems.js';
import { problemAt, type InventoryData } from './data.js';
import { expandHostKey } from './host-pattern.js';
import type { SourceLocation } from './model.js';
import { InventoryProblem, show } from './problem.js';
import { loadYaml, type YamlValue } from './yaml-load.js';

/**
 * Ansible's YAML inventory (lib/ansible/plugins/inventory/yaml.py): top-level keys are groups; a group
 * has `hosts`, `children` (groups, recursively) and `vars`, each a mapping (a plain string is one
 * entry). Keys Ansible skips with a warning (unknown keys, non-mapping values) are skipped here too.
 */
export function readYamlInventory(data: InventoryData, text: string, file: string): void {
  const doc = loadYaml(text, file);
  problemAt({ file, line: doc?.line ?? 1 }, () => {
    if (doc === undefined || doc.value === null)
      throw new InventoryProblem(
        'the YAML inventory is empty',
        'list groups at the top: all: { hosts: { server1: {} } }',
      );
    if (!doc.entries) {
      throw new InventoryProblem(
        'a YAML inventory is a mapping of group names',
        'start with `all:`, then `hosts:`, `children:` or `vars:`',
      );
    }
    if (doc.entries.has('plugin')) {
      throw new InventoryProblem(
        'this is an inventory plugin configuration (it has `plugin:`), which lab does not run',
        'export it once: ansible-inventory -i FILE --list -y > hosts.yml',
      );
    }
  });
  // Every group, host and variable is read, so that several mistakes are all shown in one round.
  collectProblems(doc?.entries ?? [], ([name, entry]) =>
    readGroup(data, file, name, entry.key, entry.node, entry.keyLine),
  );
}

function readGroup(
  data: InventoryData,
  file: string,
  name: string,
  key: unknown,
  node: YamlValue,
  keyLine: number,
): string | undefined {
  const at = { file, line: keyLine };
  if (node.value !== null && !node.entries) return undefined; // Ansible: "not a valid group definition", skipped
  problemAt(at, () => {
    if (typeof key !== 'string')
      throw new InventoryProblem(`group name ${show(name)} is not a string`, 'quote it');
  });
  data.addGroup(name, at);
  collectProblems(node.entries ?? [], ([section, entry]) => {
    const body = sectionBody(entry.node, section, name, { file, line: entry.keyLine });
    if (body === undefined) return;
    if (section === 'vars') {
      collectProblems(body, ([k, v]) =>
        data.setGroupVariable(name, k, v.node.value, { file, line: v.keyLine }),
      );
    } else if (section === 'children') {
      collectProblems(body, ([child, v]) => {
        const added = readGroup(data, file, child, v.key, v.node, v.keyLine);
        if (added !== undefined) data.addChild(name, added, { file, line: v.keyLine });
      });
    } else if (section === 'hosts') {
      collectProblems(body, ([pattern, v]) =>
        readHost(data, name, pattern, v.key, v.node, { file, line: v.keyLine }),
      );
    }
  });
  return name;
}

type Body = NonNullable<YamlValue['entries']>;

/** A section's entries; a string is one entry; a list is an error (as in Ansible); others are skipped. */
function sectionBody(
  node: YamlValue,
  section: string,
  group: string,
  at: SourceLocation,
): Body | undefined {
  const known = section === 'vars' || section === 'children' || section === 'hosts';
  if (known && typeof node.value === 'string') {
    return new Map([
      [node.value, { keyLine: node.line, key: node.value, node: { value: null, line: node.line } }],
    ]);
  }
  if (known && node.value !== null && !node.entries) {
    problemAt(at, () => {
      throw new InventoryProblem(
        `"${section}" of group ${show(group)} must be a mapping`,
        `write ${section}: followed by indented name: entries`,
      );
    });
  }
  return known ? node.entries : undefined;
}

function readHost(
  data: InventoryData,
  group: string,
  pattern: string,
  key: unknown,
  node: YamlValue,
  at: SourceLocation,
): void {
  const { names, port } = problemAt(at, () => {
    if (typeof key !== 'string')
      throw new InventoryProblem(`host ${show(pattern)} must be a string`, 'quote it');
    if (node.value !== null && !node.entries) {
      throw new InventoryProblem(
        `the variables of host ${show(pattern)} must be a mapping`,
        `write ${pattern}: { ansible_host: 198.18.0.1 }`,
      );
    }
    return expandHostKey(pattern);
  });
  for (const name of names) {
    data.addHost(name, at, group, port);
    for (const [k, v] of node.entries ?? [])
      data.setHostVariable(name, k, v.node.value, { file: at.file, line: v.keyLine });
  }
}
