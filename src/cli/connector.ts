import os from 'node:os';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import type { SshTarget } from '../ssh/target.js';
import type { Connector } from '../host/session.js';
import { connectHost } from '../ssh/connect.js';
import {
  DockerNotRunning,
  engineIsDown,
  isDockerNotRunning,
  unavailableDocker,
} from '../docker/engine-down.js';
import { JumpPool } from '../ssh/jump-pool.js';
import { createSshStats, type SshStats } from '../ssh/stats.js';
import type { CliContext } from './context.js';
import { resolveRoutes, type RouteFlags } from './ssh-routes.js';
import { parsePositiveInt, parseSeconds } from './options.js';

export interface ConnectorArgs extends RouteFlags {
  /** Whose hosts: routes (ssh_config, jump hosts) are resolved for all of them before any connects. */
  inventory: Inventory;
  acceptNewHostKeys: boolean;
  timeoutMs: number;
  /** From --keepalive-interval and --keepalive-count (keepaliveOf); ssh's defaults when left out. */
  keepalive?: Keepalive | undefined;
  /** No login before this resolves (see ConnectOptions.authGate): the input is checked first. */
  authGate?: Promise<unknown>;
}

export interface Keepalive {
  intervalMs: number;
  countMax: number;
}

/** --keepalive-interval SECONDS and --keepalive-count N, checked. */
export function keepaliveOf(flags: {
  keepaliveInterval?: unknown;
  keepaliveCount?: unknown;
}): Keepalive | undefined {
  if (flags.keepaliveInterval === undefined && flags.keepaliveCount === undefined) return undefined;
  return {
    intervalMs: parseSeconds('keepalive-interval', flags.keepaliveInterval ?? 1),
    countMax: parsePositiveInt('keepalive-count', flags.keepaliveCount ?? 4, 100),
  };
}

/**
 * Builds the Connector the executor uses, from flags and the environment read here, at the edge:
 * HOME (default known_hosts, ~/.ssh/config), SSH_AUTH_SOCK (agent) and USER (default login, as ssh
 * does). Every host's route is resolved first, so a bad one is refused before any host is contacted.
 */
export async function makeConnector(
  args: ConnectorArgs,
  ctx: CliContext,
): Promise<{ connect: Connector; stats: SshStats; knownHostsFile: string }> {
  const routes = await resolveRoutes(args.inventory, args, ctx);
  const jumps = new JumpPool();
  const stats = createSshStats();
  const home = ctx.env['HOME'] ?? os.homedir();
  const knownHostsFile = args.knownHosts
    ? path.resolve(ctx.cwd, args.knownHosts)
    : path.join(home, '.ssh', 'known_hosts');
  const agentSocket = ctx.env['SSH_AUTH_SOCK'];
  const defaultUser = ctx.env['USER'] ?? ctx.env['LOGNAME'];
  const connect: Connector = async (target: SshTarget, signal?: AbortSignal) => {
    // The Docker client (docker-modem) loads while the SSH handshake is under way.
    const dockerModule = import('../docker/connect-docker.js');
    dockerModule.catch(() => {});
    const route = routes.get(target.host);
    const shell = await connectHost(route ? { ...route, become: target.become } : target, {
      jumps,
      knownHostsFile,
      acceptNewHostKeys: args.acceptNewHostKeys,
      readyTimeoutMs: Math.min(args.timeoutMs, 20_000),
      commandTimeoutMs: args.timeoutMs,
      stats,
      ...(args.keepalive && {
        keepaliveIntervalMs: args.keepalive.intervalMs,
        keepaliveCountMax: args.keepalive.countMax,
      }),
      ...(signal !== undefined && { signal }),
      ...(args.authGate !== undefined && { authGate: args.authGate }),
      ...(agentSocket !== undefined && { agentSocket }),
      ...(defaultUser !== undefined && { defaultUser }),
    });
    let socket = '/var/run/docker.sock';
    try {
      const { connectDocker, DEFAULT_DOCKER_SOCKET } = await dockerModule;
      socket = target.dockerSocket ?? DEFAULT_DOCKER_SOCKET;
      const docker = await connectDocker(shell, {
        requestTimeoutMs: args.timeoutMs * 2,
        socketPath: socket,
        ...(target.dockerTransport !== undefined && { transport: target.dockerTransport }),
      });
      const dockerDown = async (cause: unknown) =>
        (await engineIsDown(shell, socket))
          ? new DockerNotRunning(target.host, socket, cause)
          : undefined;
      return { host: target.host, shell, docker, dockerDown };
    } catch (err) {
      // The connection lost while Docker was being reached: the session stays, so that the host is
      // named as lost (lostHosts) with every cell and step it takes part in, as a later loss is.
      const lost = shell.lost?.();
      if (lost) {
        const error = new LabError('host', lost, { host: target.host }, { cause: err });
        return { host: target.host, shell, docker: unavailableDocker(error) };
      }
      // A dead engine is said plainly, and the session stays: `lab down` restores NICs without it.
      // connectDocker judges it itself when the forward is refused; otherwise it is asked here.
      if (isDockerNotRunning(err) || (await engineIsDown(shell, socket))) {
        const error = isDockerNotRunning(err)
          ? err
          : new DockerNotRunning(target.host, socket, err);
        return { host: target.host, shell, docker: unavailableDocker(error) };
      }
      await shell.close();
      throw err;
    }
  };
  return { connect, stats, knownHostsFile };
}
