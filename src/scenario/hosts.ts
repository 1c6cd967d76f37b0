/**
 * Host and group names → inventory host names. A stand-in until src/inventory's selectHosts exists:
 * private to this module, and shaped so the swap is one function.
 */
import type { Inventory } from '../inventory/model.js';
import { didYouMean, listOrNone } from './suggest.js';

export type SelectResult = { hosts: string[] } | { error: string; hint: string };

function groupNames(inventory: Inventory): Set<string> {
  const names = new Set(Object.keys(inventory.groups));
  for (const h of inventory.hosts) for (const g of h.groups) names.add(g);
  return names;
}

/** The hosts one selector names, in inventory order, or why it names none. */
export function selectHosts(inventory: Inventory, selector: string): SelectResult {
  if (inventory.hosts.some((h) => h.name === selector)) return { hosts: [selector] };
  const groups = groupNames(inventory);
  if (groups.has(selector)) {
    const hosts = inventory.hosts.filter((h) => h.groups.includes(selector)).map((h) => h.name);
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
