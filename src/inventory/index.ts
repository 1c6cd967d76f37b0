/** The inventory module: Ansible inventories (INI, YAML, directories, group_vars/host_vars) read as Ansible reads them. */
export type {
  Inventory,
  InventoryGroup,
  InventoryHost,
  InventoryValue,
  SourceLocation,
} from './model.js';
export { CONNECTION_VARIABLES } from './connection.js';
export { loadInventory, parseInventory } from './load.js';
export { selectHosts } from './select.js';
export { renderInventoryJson, renderInventoryText } from './render.js';
export { toAnsibleList } from './ansible-list.js';
export { valueText } from './value.js';
