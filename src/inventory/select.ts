import { LabError } from '../common/errors.js';
import type { Inventory } from './model.js';

/** How many names an error lists before it says "and N more". */
const LIST_LIMIT = 20;

/**
 * Resolves selectors (host names, group names, `all`) to inventory host names: every host named, and
 * every host in a named group or in one of its child groups, without repeats, in inventory order.
 * No selectors select no hosts. An unknown selector is an input error that lists what is known.
 * A name that is both a host and a group selects both, as in Ansible.
 */
export function selectHosts(inventory: Inventory, selectors: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const selector of selectors) {
    const name = selector.trim();
    let matched = false;
    if (name === 'all' || Object.hasOwn(inventory.groups, name)) {
      for (const host of inventory.hosts) {
        if (name === 'all' || host.groups.includes(name)) wanted.add(host.name);
      }
      matched = true;
    }
    if (inventory.hosts.some((h) => h.name === name)) {
      wanted.add(name);
      matched = true;
    }
    if (!matched) {
      throw new LabError(
        'input',
        `${JSON.stringify(selector)} is neither a host nor a group in ${inventory.file}`,
        {
          hint: `hosts: ${listNames(inventory.hosts.map((h) => h.name))}; groups: ${listNames(Object.keys(inventory.groups))}`,
        },
      );
    }
  }
  return inventory.hosts.filter((h) => wanted.has(h.name)).map((h) => h.name);
}

function listNames(names: string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown} and ${names.length - LIST_LIMIT} more` : shown;
}
