import type { Agent } from 'node:http';
import { LabError } from '../common/errors.js';
import type { Duplex } from 'node:stream';
import type { RemoteShell } from '../ssh/host-shell.js';
import type { SshLogger } from '../ssh/logger.js';
import { MAX_API_VERSION, MIN_API_VERSION, pickApiVersion } from './api-version.js';
import type { DockerClient, EngineRoute } from './docker-client.js';
import { dockerError } from './docker-errors.js';
import { EngineClient } from './engine-client.js';
import { DockerNotRunning } from './engine-down.js';
import {
  chooseDialRoute,
  forwardFailure,
  noRouteError,
  readDialFacts,
  type DockerTransport,
} from './engine-route.js';
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
  /** lab_docker_transport (default auto: the socket forward, else dial-stdio). */
  transport?: DockerTransport;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const DEFAULT_MAX_CONNECTIONS = 16;
// Exec output streams hold a connection until their command ends, so they get their own, larger pool:
// fifty pings at once must not make ordinary API calls wait.
const EXEC_MAX_CONNECTIONS = 64;
/**
 * Session channels asked for dial-stdio: with the command pipe's shell and one command session, 8 of
 * sshd's default MaxSessions of 10, as for commands alone. Two carry ordinary calls; the rest carry
 * streams held open until a command ends (exec output, attach, wait).
 */
const DIAL_STDIO_SESSIONS = 6;
const DIAL_STDIO_GENERAL = 2;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

/**
 * A DockerClient for a host's Engine, over the host's one SSH connection, by the way the host allows
 * (engine-route.ts): every HTTP request travels on a direct-streamlocal channel to the Engine's socket,
 * or, where sshd refuses that, on a session channel running `docker system dial-stdio` (never
 * docker-modem's own `protocol: 'ssh'`, which makes a new SSH connection per call). Asks /version first
 * and pins the API version. close() closes the client's channels, not the shell.
 */
export async function connectDocker(
  shell: RemoteShell,
  options: DockerConnectOptions = {},
): Promise<DockerClient> {
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  const transport = options.transport ?? 'auto';
  let refusal: unknown;
  if (transport !== 'dial-stdio') {
    // Opened here rather than by the first request: a refusal is then told apart from an Engine error.
    const first = await shell.openUnixSocket(socketPath).catch((err: unknown) => {
      if (transport === 'forward') throw err;
      refusal = err ?? new Error('refused');
      return undefined;
    });
    if (first) return connectForward(shell, socketPath, first, options);
  }
  return connectDialStdio(shell, socketPath, refusal, options);
}

function connectForward(
  shell: RemoteShell,
  socketPath: string,
  first: Duplex,
  options: DockerConnectOptions,
): Promise<EngineClient> {
  let opened: Duplex | undefined = first;
  const open: StreamOpener = () => {
    const stream = opened;
    opened = undefined;
    return stream ?? new PendingStream(shell.openUnixSocket(socketPath));
  };
  const label = `${shell.host}:${socketPath}`;
  return openEngineClient(
    shell.host,
    new StreamAgent(open, label, { maxSockets: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS }),
    new StreamAgent(open, `${label} (exec)`, { maxSockets: EXEC_MAX_CONNECTIONS }),
    options,
    { via: 'forward', sudo: false },
  );
}

/**
 * The Engine through `docker system dial-stdio` (`docker -H unix://SOCKET`, as docker/cli's ssh
 * connection helper runs it): one process and one session channel per HTTP connection, kept alive and
 * reused. Session channels count against sshd's MaxSessions (10 by default), shared with the shell's
 * commands, so the pools are small and set aside from the shell's own share.
 */
async function connectDialStdio(
  shell: RemoteShell,
  socketPath: string,
  forwardError: unknown,
  options: DockerConnectOptions,
): Promise<EngineClient> {
  const facts = await readDialFacts(shell, socketPath);
  // A dead Engine refuses the forward too (sshd cannot connect to its socket); relaying to it would
  // only fail slower and blame the way in. Said plainly, before any dial-stdio process starts.
  if (facts.engine === 'down') {
    throw new DockerNotRunning(
      shell.host,
      socketPath,
      forwardError ?? new Error(`nothing listens on ${socketPath}`),
    );
  }
  const refusal =
    forwardError === undefined
      ? undefined
      : forwardFailure(forwardError, facts, shell.login, socketPath);
  const chosen = chooseDialRoute(facts, shell.login, socketPath, refusal);
  if ('reasons' in chosen) throw noRouteError(shell.host, chosen.reasons);
  const { route } = chosen;
  const argv = ['docker', '-H', `unix://${socketPath}`, 'system', 'dial-stdio'];
  const open: StreamOpener = () =>
    new PendingStream(shell.openCommandStream(argv, { become: route.sudo }));
  const sessions = Math.max(2, shell.reserveSessions(DIAL_STDIO_SESSIONS));
  const general = Math.min(DIAL_STDIO_GENERAL, sessions - 1);
  const label = `${shell.host}:dial-stdio${route.sudo ? ' (sudo)' : ''}`;
  try {
    return await openEngineClient(
      shell.host,
      new StreamAgent(open, label, { maxSockets: general }),
      new StreamAgent(open, `${label} (exec)`, { maxSockets: sessions - general }),
      options,
      route,
      Math.max(1, Math.floor((sessions - general) / 2)),
    );
  } catch (err) {
    shell.reserveSessions(0);
    throw noRouteError(shell.host, [...(refusal ? [refusal] : []), (err as Error).message], err);
  }
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
    undefined,
  );
}

async function openEngineClient(
  host: string,
  agent: Agent,
  execAgent: Agent,
  options: DockerConnectOptions,
  route: EngineRoute | undefined,
  maxRuns?: number,
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
      // A fact of the host that no retry changes, found before anything is: a refusal (exit 2).
      throw new LabError(
        'prerequisite',
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
      ...(route && { route }),
      ...(maxRuns !== undefined && { maxRuns }),
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
