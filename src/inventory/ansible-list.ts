import type { Inventory } from './model.js';
import { record, type InventoryValue } from './value.js';

/**
 * The inventory in the shape `ansible-inventory --list` prints (lib/ansible/cli/inventory.py
 * json_inventory): groups reachable from `all` with their direct hosts and children (empty lists and
 * groups left out, `all` without hosts), and `_meta.hostvars` for hosts that have variables. This is
 * what the differential test compares with Ansible's own output.
 */
export interface AnsibleList {
  [group: string]:
    | { hosts?: string[]; children?: string[] }
    | { hostvars: Record<string, Record<string, InventoryValue>> };
}

export function toAnsibleList(inventory: Inventory): AnsibleList {
  const out = record<{ hosts?: string[]; children?: string[] }>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const group = inventory.groups[name];
    if (!group) return;
    const entry: { hosts?: string[]; children?: string[] } = {};
    if (name !== 'all' && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    if (entry.hosts || entry.children) out[name] = entry;
    for (const child of group.children) {
      if (seen.has(child)) continue;
      visit(child);
      seen.add(child);
    }
  };
  visit('all');
  const hostvars = record<Record<string, InventoryValue>>();
  for (const host of inventory.hosts)
    if (Object.keys(host.vars).length > 0) hostvars[host.name] = host.vars;
  return { ...out, _meta: { hostvars } };
}
