import os from 'node:os';
import path from 'node:path';
import type { SshTarget } from '../ssh/target.js';
import type { Connector } from '../host/session.js';
import { connectHost } from '../ssh/connect.js';
import { createSshStats, type SshStats } from '../ssh/stats.js';
import type { CliContext } from './context.js';

export interface ConnectorArgs {
  knownHosts?: string | undefined;
  acceptNewHostKeys: boolean;
  timeoutMs: number;
  /** No login before this resolves (see ConnectOptions.authGate): the input is checked first. */
  authGate?: Promise<unknown>;
}

/**
 * Builds the Connector the executor uses, from flags and the environment read here, at the edge:
 * HOME (default known_hosts), SSH_AUTH_SOCK (agent) and USER (default login, as ssh does).
 */
export function makeConnector(
  args: ConnectorArgs,
  ctx: CliContext,
): { connect: Connector; stats: SshStats; knownHostsFile: string } {
  const stats = createSshStats();
  const home = ctx.env['HOME'] ?? os.homedir();
  const knownHostsFile = args.knownHosts
    ? path.resolve(ctx.cwd, args.knownHosts)
    : path.join(home, '.ssh', 'known_hosts');
  const agentSocket = ctx.env['SSH_AUTH_SOCK'];
  const defaultUser = ctx.env['USER'] ?? ctx.env['LOGNAME'];
  const connect: Connector = async (target: SshTarget, signal?: AbortSignal) => {
    // dockerode loads while the SSH handshake is under way.
    const dockerModule = import('../docker/connect-docker.js');
    dockerModule.catch(() => {});
    const shell = await connectHost(target, {
      knownHostsFile,
      acceptNewHostKeys: args.acceptNewHostKeys,
      readyTimeoutMs: Math.min(args.timeoutMs, 20_000),
      commandTimeoutMs: args.timeoutMs,
      stats,
      ...(signal !== undefined && { signal }),
      ...(args.authGate !== undefined && { authGate: args.authGate }),
      ...(agentSocket !== undefined && { agentSocket }),
      ...(defaultUser !== undefined && { defaultUser }),
    });
    try {
      const { connectDocker } = await dockerModule;
      const docker = await connectDocker(shell, { requestTimeoutMs: args.timeoutMs * 2 });
      return { host: target.host, shell, docker };
    } catch (err) {
      await shell.close();
      throw err;
    }
  };
  return { connect, stats, knownHostsFile };
}
