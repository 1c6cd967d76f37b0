/** The inventory module: Ansible INI inventories, parsed into typed hosts and groups. */
export type { Inventory, InventoryGroup, InventoryHost, SourceLocation } from './model.js';
export { CONNECTION_VARIABLES, parseInventory } from './parse.js';
export { loadInventory } from './load.js';
export { selectHosts } from './select.js';
export { renderInventoryJson, renderInventoryText } from './render.js';
