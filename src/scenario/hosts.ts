/**
 * Host and group names → inventory host names, for scenarios: the inventory's own selection (groups
 * with their child groups, as Ansible does), with the scenario's words for a selector that names
 * nothing — a "did you mean", and the hosts and groups there are.
 */
import type { Inventory } from '../inventory/model.js';
import { selectHosts as selectInInventory } from '../inventory/select.js';
import { didYouMean, listOrNone } from './suggest.js';

export type SelectResult = { hosts: string[] } | { error: string; hint: string };

function groupNames(inventory: Inventory): Set<string> {
  const names = new Set(Object.keys(inventory.groups));
  for (const h of inventory.hosts) for (const g of h.groups) names.add(g);
  return names;
}

/** The hosts one selector names, in inventory order, or why it names none. */
export function selectHosts(inventory: Inventory, selector: string): SelectResult {
  const groups = groupNames(inventory);
  if (isInventoryHost(inventory, selector) || groups.has(selector)) {
    const hosts = selectInInventory(inventory, [selector]);
    if (hosts.length > 0) return { hosts };
    return { error: `group "${selector}" has no hosts`, hint: `in ${inventory.file}` };
  }
  const hostNames = inventory.hosts.map((h) => h.name);
  return {
    error: `"${selector}" is neither a host nor a group of the inventory${didYouMean(selector, [...hostNames, ...groups])}`,
    hint: `hosts in ${inventory.file}: ${listOrNone(hostNames)}; groups: ${listOrNone([...groups].sort())}`,
  };
}

export function isInventoryHost(inventory: Inventory, name: string): boolean {
  return inventory.hosts.some((h) => h.name === name);
}

/** Names in inventory order (selectors may list them in any order). */
export function inInventoryOrder(inventory: Inventory, names: Iterable<string>): string[] {
  const wanted = new Set(names);
  return inventory.hosts.map((h) => h.name).filter((n) => wanted.has(n));
}
