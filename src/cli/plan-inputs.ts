import type { Inventory } from '../inventory/model.js';
import { compilePlan } from '../plan/compile.js';
import type { Plan } from '../plan/model.js';
import type { Scenario } from '../scenario/model.js';
import type { CliVarOptions } from '../scenario/vars.js';
import { loadScenarioFile, resolveScenario } from '../scenario/index.js';
import type { CliContext } from './context.js';
import { loadInventoryArg } from './inventory-arg.js';
import { parseVarFlags } from './options.js';
import { scenarioFile } from './scenario-file.js';

export interface PlanArgs {
  scenario: string;
  inventory: string | readonly string[];
  var?: string[] | undefined;
  scenarios?: string | undefined;
}

export interface PlanInputs {
  inventory: Inventory;
  scenario: Scenario;
  plan: Plan;
}

/** Everything `lab plan` and `lab run` read from disk, parsed and checked before any host is contacted. */
export async function loadPlanInputs(args: PlanArgs, ctx: CliContext): Promise<PlanInputs> {
  const cliVars = parseVarFlags(args.var);
  const inventory = await loadInventoryArg(args.inventory, ctx);
  return planFor(inventory, scenarioFile(args, ctx), cliVars);
}

/** A scenario file checked, resolved against a loaded inventory and --var values, and compiled. */
export async function planFor(
  inventory: Inventory,
  file: string,
  cliVars: Record<string, string>,
  options: CliVarOptions = {},
): Promise<PlanInputs> {
  const doc = await loadScenarioFile(file);
  const scenario = resolveScenario(doc, inventory, cliVars, options);
  return { inventory, scenario, plan: compilePlan(scenario, inventory) };
}
