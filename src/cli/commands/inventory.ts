import type { Argv } from 'yargs';
import type { Inventory } from '../../inventory/model.js';
import { renderInventoryJson, renderInventoryText } from '../../inventory/render.js';
import { ExitCode, type CliContext } from '../context.js';
import {
  loadInventoryArg,
  resolveBoxInventory,
  type BoxInventoryResolver,
} from '../inventory-arg.js';
import { withInventoryOption } from '../shared-options.js';
import type { RegisterCommand } from './register.js';

export interface InventoryCommandOptions {
  /** Where `-i box` points; the default looks in the box's state directory. */
  resolveBox?: BoxInventoryResolver;
  /**
   * The seam for `lab inventory --check`: connect to every host over SSH and report which answer,
   * returning the exit code. The SSH layer provides it; until it is passed in, `--check` is not offered.
   */
  checkHosts?: (
    inventory: Inventory,
    ctx: CliContext,
    options: { json: boolean },
  ) => Promise<number>;
}

/** `lab inventory -i FILE [--json]`: what lab reads from an inventory, without contacting any host. */
export function inventoryCommand(options: InventoryCommandOptions = {}): RegisterCommand {
  const { resolveBox = resolveBoxInventory, checkHosts } = options;
  return (parser: Argv, ctx: CliContext, setExit: (code: number) => void) => {
    parser.command(
      'inventory',
      'Show the hosts, groups and variables lab reads from an inventory',
      (y) => {
        const withFlags = withInventoryOption(y)
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'Print the parsed inventory as JSON',
          })
          .example(
            '$0 inventory -i inventory/seed.ini',
            'the seed’s two hosts and its scenario variables',
          )
          .example('$0 inventory -i box --json', 'the local box’s inventory, for tools');
        return checkHosts
          ? withFlags.option('check', {
              type: 'boolean',
              default: false,
              describe: 'Also connect to every host over SSH and report which answer',
            })
          : withFlags;
      },
      async (args) => {
        const inventory = await loadInventoryArg(args.inventory, ctx, resolveBox);
        if (checkHosts && args['check'] === true) {
          setExit(await checkHosts(inventory, ctx, { json: args.json }));
          return;
        }
        ctx.stdout.write(
          args.json ? renderInventoryJson(inventory) : renderInventoryText(inventory),
        );
        setExit(ExitCode.ok);
      },
    );
  };
}

export const register: RegisterCommand = inventoryCommand();
