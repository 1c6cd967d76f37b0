import type { Argv } from 'yargs';
import type { CliContext } from '../context.js';
import { inventoryCommand } from './inventory.js';
import { checkInventoryHosts } from '../check-hosts.js';
import { register as registerBox } from './box.js';
import { register as registerCheck } from './check.js';
import { register as registerDown } from './down.js';
import { register as registerLs } from './ls.js';
import { register as registerPlan } from './plan.js';
import { register as registerRun } from './run.js';
import type { RegisterCommand } from './register.js';

const commands: RegisterCommand[] = [
  registerRun,
  registerCheck,
  registerPlan,
  registerDown,
  registerLs,
  inventoryCommand({ checkHosts: checkInventoryHosts }),
  registerBox,
];

export function registerCommands(
  parser: Argv,
  ctx: CliContext,
  setExit: (code: number) => void,
): void {
  for (const register of commands) register(parser, ctx, setExit);
}
