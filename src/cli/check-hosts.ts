import os from 'node:os';
import path from 'node:path';
import type { Inventory } from '../inventory/model.js';
import { ExitCode, type CliContext } from './context.js';

/** `lab inventory --check`: wires the host check to real SSH and Docker, with settings read here. */
export async function checkInventoryHosts(
  inventory: Inventory,
  ctx: CliContext,
  options: { json: boolean; sshConfig?: string | undefined },
): Promise<number> {
  const [
    { connectHost },
    { JumpPool },
    { connectDocker },
    { resolveRoutes },
    { checkHosts, hostCheckOk, renderHostChecks },
  ] = await Promise.all([
    import('../ssh/connect.js'),
    import('../ssh/jump-pool.js'),
    import('../docker/connect-docker.js'),
    import('./ssh-routes.js'),
    import('../run/host-check.js'),
  ]);
  const home = ctx.env['HOME'] ?? os.homedir();
  const agentSocket = ctx.env['SSH_AUTH_SOCK'];
  const defaultUser = ctx.env['USER'] ?? ctx.env['LOGNAME'];
  const routes = await resolveRoutes(inventory, { sshConfig: options.sshConfig }, ctx);
  const jumps = new JumpPool();
  const results = await checkHosts(
    [...routes.values()],
    {
      openShell: (target) =>
        connectHost(target, {
          knownHostsFile: path.join(home, '.ssh', 'known_hosts'),
          acceptNewHostKeys: false,
          readyTimeoutMs: 10_000,
          jumps,
          ...(agentSocket !== undefined && { agentSocket }),
          ...(defaultUser !== undefined && { defaultUser }),
        }),
      openDocker: (shell, target) =>
        connectDocker(shell, {
          requestTimeoutMs: 10_000,
          ...(target.dockerTransport !== undefined && { transport: target.dockerTransport }),
          ...(target.dockerSocket !== undefined && { socketPath: target.dockerSocket }),
        }),
    },
    32,
  );
  ctx.stdout.write(
    options.json ? `${JSON.stringify(results, null, 2)}\n` : renderHostChecks(results),
  );
  return results.every(hostCheckOk) ? ExitCode.ok : ExitCode.hostError;
}
