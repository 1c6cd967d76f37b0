import type { Agent } from 'node:http';
import { LabError } from '../common/errors.js';
import type { HostShell } from '../ssh/host-shell.js';
import type { SshLogger } from '../ssh/logger.js';
import { MAX_API_VERSION, MIN_API_VERSION, pickApiVersion } from './api-version.js';
import type { DockerClient } from './docker-client.js';
import { dockerError } from './docker-errors.js';
import { EngineClient } from './engine-client.js';
import { engineProfile } from './engines/index.js';
import { detectEngineKind } from './engines/engine-profile.js';
import type { WireVersion } from './mapping.js';
import { engineModem, type EngineModem } from './modem.js';
import { PendingStream } from './pending-stream.js';
import { StreamAgent, unixSocketAgent, type StreamOpener } from './stream-agent.js';

export interface DockerConnectOptions {
  /** The Engine's socket on the host (default /var/run/docker.sock). */
  socketPath?: string;
  /**
   * Kept-alive API connections (SSH channels) at once (default 16). direct-streamlocal channels are
   * not sessions, so sshd's MaxSessions does not bound them; this keeps bursts polite all the same.
   */
  maxConnections?: number;
  /** Per API call (default 60 s: creating a container can unpack an image). */
  requestTimeoutMs?: number;
  /** Default for exec() (default 30 s). */
  execTimeoutMs?: number;
  /** Newest API version to speak (default MAX_API_VERSION). */
  maxApiVersion?: string;
  now?: () => number;
  logger?: SshLogger;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const DEFAULT_MAX_CONNECTIONS = 16;
// Exec output streams hold a connection until their command ends, so they get their own, larger pool:
// fifty pings at once must not make ordinary API calls wait.
const EXEC_MAX_CONNECTIONS = 64;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

/**
 * A DockerClient for a host's Engine, over the host's one SSH connection: every HTTP request travels
 * on a direct-streamlocal channel to the Engine's socket (never docker-modem's own `protocol: 'ssh'`,
 * which makes a new SSH connection per call). Asks /version first and pins the API version.
 * close() closes the client's channels, not the shell.
 */
export async function connectDocker(
  shell: HostShell,
  options: DockerConnectOptions = {},
): Promise<DockerClient> {
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  const open: StreamOpener = () => new PendingStream(shell.openUnixSocket(socketPath));
  const label = `${shell.host}:${socketPath}`;
  return openEngineClient(
    shell.host,
    new StreamAgent(open, label, { maxSockets: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS }),
    new StreamAgent(open, `${label} (exec)`, { maxSockets: EXEC_MAX_CONNECTIONS }),
    options,
  );
}

/**
 * The same client over a local unix socket, no SSH: the box talks to its hosts' Engines with it, the
 * benchmark measures its floor with it, and tests run it against a fake Engine.
 */
export async function createLocalDockerClient(
  socketPath: string,
  host: string,
  options: DockerConnectOptions = {},
): Promise<EngineClient> {
  return openEngineClient(
    host,
    unixSocketAgent(socketPath, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS),
    unixSocketAgent(socketPath, EXEC_MAX_CONNECTIONS),
    options,
  );
}

async function openEngineClient(
  host: string,
  agent: Agent,
  execAgent: Agent,
  options: DockerConnectOptions,
): Promise<EngineClient> {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  try {
    const unversionedModem = engineModem(agent);
    const server = await getVersion(unversionedModem, host, requestTimeoutMs);
    const engine = engineProfile(detectEngineKind(server));
    const apiVersion = pickApiVersion(
      { apiVersion: server.ApiVersion ?? '', minApiVersion: server.MinAPIVersion },
      options.maxApiVersion ?? MAX_API_VERSION,
    );
    if (!apiVersion) {
      throw new LabError(
        'host',
        `${host}: the ${engine.product} Engine ${server.Version ?? '?'} speaks API ${server.ApiVersion ?? '?'}; lab needs ${MIN_API_VERSION} or newer (Docker 1.13)`,
        { host, command: 'GET /version' },
      );
    }
    options.logger?.debug(
      `${host}: ${engine.product} Engine ${server.Version ?? '?'}, API ${server.ApiVersion ?? '?'}; speaking ${apiVersion}`,
    );
    return new EngineClient({
      host,
      modem: engineModem(agent, apiVersion),
      execModem: engineModem(execAgent, apiVersion),
      apiVersion,
      unversionedModem,
      engine,
      agents: [agent, execAgent],
      requestTimeoutMs,
      execTimeoutMs: options.execTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      now: options.now ?? (() => performance.now()),
    });
  } catch (err) {
    agent.destroy();
    execAgent.destroy();
    throw err;
  }
}

/** /version without a version prefix: every engine answers it, whatever APIs it speaks. */
function getVersion(modem: EngineModem, host: string, timeoutMs: number): Promise<WireVersion> {
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: '/version',
        method: 'GET',
        statusCodes: { 200: true },
        abortSignal: AbortSignal.timeout(timeoutMs),
      },
      (err, data) =>
        err
          ? reject(dockerError(host, 'GET /version', err, timeoutMs))
          : resolve(data as WireVersion),
    );
  });
}
