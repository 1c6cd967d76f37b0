import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Inventory } from '../inventory/model.js';
import { loadInventory } from '../inventory/load.js';
import { compilePlan } from '../plan/compile.js';
import type { Plan } from '../plan/model.js';
import type { Scenario } from '../scenario/model.js';
import { findScenario, loadScenarioFile, resolveScenario } from '../scenario/index.js';
import type { CliContext } from './context.js';
import { resolveInventoryPath } from './inventory-arg.js';
import { parseVarFlags } from './options.js';

export interface PlanArgs {
  scenario: string;
  inventory: string;
  var?: string[];
  scenarios?: string;
}

/**
 * Where scenarios are looked up: --scenarios DIR, else ./scenarios when run inside a project, else
 * the scenarios shipped with lab.
 */
export function scenariosDir(args: { scenarios?: string | undefined }, ctx: CliContext): string {
  if (args.scenarios) return path.resolve(ctx.cwd, args.scenarios);
  const local = path.resolve(ctx.cwd, 'scenarios');
  if (existsSync(local)) return local;
  return fileURLToPath(new URL('../../scenarios', import.meta.url));
}

export interface PlanInputs {
  inventory: Inventory;
  scenario: Scenario;
  plan: Plan;
}

/** Everything `lab plan` and `lab run` read from disk, parsed and checked before any host is contacted. */
export async function loadPlanInputs(args: PlanArgs, ctx: CliContext): Promise<PlanInputs> {
  const cliVars = parseVarFlags(args.var);
  const inventory = await loadInventory(resolveInventoryPath(args.inventory, ctx));
  const file = findScenario(args.scenario, scenariosDir(args, ctx));
  const doc = await loadScenarioFile(file);
  const scenario = resolveScenario(doc, inventory, cliVars);
  return { inventory, scenario, plan: compilePlan(scenario, inventory) };
}
