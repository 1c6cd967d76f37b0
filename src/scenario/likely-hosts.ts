/**
 * The hosts a scenario file will most likely need, read cheaply, before the file is checked: only
 * its YAML and its top-level `hosts:` against the inventory. `lab run` uses this to start the SSH
 * handshakes while the schema and the planner load and run; the plan still decides which hosts are
 * worked on, so a wrong guess costs a connection, never a wrong run.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Inventory } from '../inventory/model.js';
import { inInventoryOrder, selectHosts } from './hosts.js';

/** Host names in inventory order; none when the file does not say plainly (the plan will). */
export async function likelyHosts(file: string, inventory: Inventory): Promise<string[]> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const field = (doc as Record<string, unknown>)['hosts'];
  // No `hosts:` means every host of the inventory, as when the scenario is resolved.
  if (field === undefined) return inventory.hosts.map((h) => h.name);
  const selectors = typeof field === 'string' ? [field] : field;
  if (!Array.isArray(selectors)) return [];
  const chosen = new Set<string>();
  for (const selector of selectors) {
    // A variable (${…}) is resolved only with the scenario's vars: leave it to the plan.
    if (typeof selector !== 'string' || selector.includes('${')) return [];
    const r = selectHosts(inventory, selector);
    if ('error' in r) return [];
    for (const h of r.hosts) chosen.add(h);
  }
  return inInventoryOrder(inventory, chosen);
}
