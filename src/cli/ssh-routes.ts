import os from 'node:os';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import type { Inventory, InventoryHost } from '../inventory/model.js';
import { valueText } from '../inventory/value.js';
import type { SshTarget } from '../ssh/target.js';
import { resolveRoute, type RouteRequest } from '../ssh/config/route.js';
import type { SshArgsSource } from '../ssh/config/ssh-args.js';
import { emptySshConfig, type SshConfig } from '../ssh/config/ssh-config.js';
import { readSshConfigFile, realConfigFiles } from '../ssh/config/include.js';
import type { CliContext } from './context.js';

/** The inventory variables whose ssh options lab reads, in the order Ansible puts them on ssh's line. */
const SSH_ARGS_VARIABLES = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'] as const;

export interface RouteFlags {
  /** --ssh-config FILE, or `none`; default ~/.ssh/config when it exists. */
  sshConfig?: string | undefined;
  /** --known-hosts FILE. */
  knownHosts?: string | undefined;
}

/**
 * Every inventory host's route (ssh_config applied, jump hosts resolved), read here at the CLI edge
 * before any host is contacted: a ProxyCommand or a bad ProxyJump is an input error up front.
 */
export async function resolveRoutes(
  inventory: Inventory,
  flags: RouteFlags,
  ctx: CliContext,
): Promise<Map<string, SshTarget>> {
  const home = ctx.env['HOME'] ?? os.homedir();
  const config = await readSshConfig(flags.sshConfig, home, ctx);
  const requests = new Map(inventory.hosts.map((h) => [h.name, routeRequest(h)]));
  const context = {
    config,
    homeDir: home,
    localUser: ctx.env['USER'] ?? ctx.env['LOGNAME'] ?? '',
    ...(flags.knownHosts && { knownHostsFile: path.resolve(ctx.cwd, flags.knownHosts) }),
    inventoryHost: (name: string) => requests.get(name),
  };
  const transports = new Map(inventory.hosts.map((h) => [h.name, h.dockerTransport]));
  return new Map(
    [...requests].map(([name, request]) => {
      // Not ssh's business, but the host's: the way to its Engine rides along with its route.
      const transport = transports.get(name);
      const target = resolveRoute(request, context);
      return [name, transport === undefined ? target : { ...target, dockerTransport: transport }];
    }),
  );
}

async function readSshConfig(
  flag: string | undefined,
  home: string,
  ctx: CliContext,
): Promise<SshConfig> {
  if (flag === 'none') return emptySshConfig();
  const file = flag ? path.resolve(ctx.cwd, flag) : path.join(home, '.ssh', 'config');
  const files = realConfigFiles(home);
  try {
    if (!flag && (await files.read(file)) === undefined) return emptySshConfig(file);
    return await readSshConfigFile(file, flag ?? '~/.ssh/config', files);
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError(
      'input',
      `cannot read the ssh_config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { hint: '--ssh-config FILE names another one; --ssh-config none reads none' },
      { cause: err },
    );
  }
}

/**
 * What the inventory sets for a host's connection. The model fills in defaults (port 22); whether
 * ansible_port was written, on the host's line or in one of its groups, decides whether ssh_config's
 * Port may apply, as when Ansible leaves -o Port off ssh's command line.
 */
export function routeRequest(host: InventoryHost): RouteRequest {
  const portVars = ['ansible_port', 'ansible_ssh_port'];
  // host.vars holds every variable set anywhere for the host (groups, group_vars, host_vars).
  const portSet = portVars.some((v) => Object.hasOwn(host.vars, v));
  const args: SshArgsSource[] = SSH_ARGS_VARIABLES.flatMap((variable) => {
    const value = host.vars[variable];
    return value === undefined ? [] : [{ host: host.name, variable, value: valueText(value) }];
  });
  return {
    host: host.name,
    address: host.address,
    ...(portSet && { port: host.port }),
    ...(host.user !== undefined && { user: host.user }),
    ...(host.privateKeyFile !== undefined && { privateKeyFile: host.privateKeyFile }),
    ...(host.knownHostsFile !== undefined && { knownHostsFile: host.knownHostsFile }),
    become: host.become,
    ...(host.dockerSocket !== undefined && { dockerSocket: host.dockerSocket }),
    args,
  };
}
