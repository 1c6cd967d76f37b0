import type { Inventory } from '../../src/inventory/model.js';
import { compilePlan } from '../../src/plan/compile.js';
import type { Plan } from '../../src/plan/model.js';
import { parseScenario } from '../../src/scenario/load.js';
import { resolveScenario } from '../../src/scenario/resolve.js';

/** An inventory of server1…serverN at 198.18.0.1…N, root, port 22, as if read from inv.ini. */
export function testInventory(hosts = 1): Inventory {
  return {
    file: 'inv.ini',
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: `server${i + 1}`,
      address: `198.18.0.${i + 1}`,
      port: 22,
      user: 'root',
      become: false,
      groups: ['all'],
      vars: {},
      location: { file: 'inv.ini', line: 1 },
    })),
    groups: {},
  };
}

/** The plan of a scenario's YAML text against an inventory (parse, resolve, compile, as lab plan does). */
export function planOf(yaml: string, inventory: Inventory, file = 't.yaml'): Plan {
  return compilePlan(resolveScenario(parseScenario(yaml, file), inventory, {}), inventory);
}
