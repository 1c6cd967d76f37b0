import { readFile } from 'node:fs/promises';
import { NodeSSH, type Config } from 'node-ssh';
import ssh2 from 'ssh2';
import { LabError } from '../common/errors.js';
import type { SshTarget } from './target.js';
import { connectError } from './connect-errors.js';
import type { HostShell } from './host-shell.js';
import { prepareHostKeyPolicy } from './host-key-policy.js';
import { knownHostsName } from './known-hosts.js';
import type { SshLogger } from './logger.js';
import { NodeSshTransport } from './node-ssh-transport.js';
import { SshHostShell } from './ssh-host-shell.js';
import { createSshStats, type SshStats } from './stats.js';

export interface ConnectOptions {
  /** The user's known_hosts (the CLI passes ~/.ssh/known_hosts); an inventory's lab_known_hosts wins. */
  knownHostsFile: string;
  /** Like StrictHostKeyChecking=accept-new: record unknown host keys; a changed key is never accepted. */
  acceptNewHostKeys: boolean;
  /** SSH_AUTH_SOCK, passed in by the CLI edge. */
  agentSocket?: string;
  /** Limit for TCP connect, key exchange and login together. */
  readyTimeoutMs: number;
  /** The login user when the inventory names none (ssh's own default: the local user). */
  defaultUser?: string;
  logger?: SshLogger;
  /** Counters shared by a run's connections; connectionsOpened goes up once per successful login. */
  stats?: SshStats;
  /** One long-lived shell for the host's commands instead of a session each (default: true). */
  pipeline?: boolean;
  /** Session channels open at once per connection (default 8, under sshd's MaxSessions of 10). */
  maxChannels?: number;
  /** Default per-command timeout (default 30 s). */
  commandTimeoutMs?: number;
  /** SSH keepalive interval (default 15 s; 3 unanswered end the connection). 0 disables it. */
  keepaliveIntervalMs?: number;
  /** Monotonic clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Abandons the connection while it is being made (the socket is destroyed, not waited for). */
  signal?: AbortSignal;
  /**
   * Authentication waits for this promise: the TCP connect, key exchange and host key check run at
   * once, but no login is attempted before the caller's input is known to be valid (lab run starts
   * connecting while it checks the scenario). A rejected gate ends the connection unauthenticated.
   */
  authGate?: Promise<unknown>;
  /** Makes the node-ssh client; injected by tests. */
  createClient?: () => NodeSSH;
}

const DEFAULT_MAX_CHANNELS = 8;
const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
const DEFAULT_KEEPALIVE_MS = 15_000;

type AuthMethodName = 'publickey' | 'agent' | 'none';

/**
 * ssh2's auth handler that tries `methods` in turn (ssh2's own order, from "none", when there are
 * none), the first only once `gate` has resolved; a rejected gate tries nothing.
 */
export function gatedAuthHandler(
  methods: readonly AuthMethodName[],
  gate: Promise<unknown>,
): (left: unknown, partial: unknown, next: (method: AuthMethodName | false) => void) => void {
  const list: AuthMethodName[] = methods.length > 0 ? [...methods] : ['none', 'publickey', 'agent'];
  let tried = 0;
  return (_left, _partial, next) => {
    const tryNext = () => next(tried < list.length ? (list[tried++] ?? false) : false);
    if (tried === 0) gate.then(tryNext, () => next(false));
    else tryNext();
  };
}

/**
 * Opens one SSH connection to a host and returns a shell over it. The host key is checked against
 * known_hosts before anything else happens (strictly, unless acceptNewHostKeys); authentication uses
 * the inventory's key file and/or the ssh-agent. Every failure is a LabError naming host and address.
 */
export async function connectHost(target: SshTarget, options: ConnectOptions): Promise<HostShell> {
  const now = options.now ?? (() => performance.now());
  const stats = options.stats ?? createSshStats();
  const user = target.user ?? options.defaultUser;
  if (!user) {
    throw new LabError('input', `${target.host}: no SSH user: set ansible_user in the inventory`, {
      host: target.host,
    });
  }
  const knownHostsFile = target.knownHostsFile ?? options.knownHostsFile;
  const policy = await prepareHostKeyPolicy({
    file: knownHostsFile,
    name: knownHostsName(target.address, target.port),
    acceptNew: options.acceptNewHostKeys,
    host: target.host,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const auth = await authConfig(target, options);
  const authHandlers = [
    ...(auth.config.privateKey !== undefined ? (['publickey'] as const) : []),
    ...(auth.config.agent !== undefined ? (['agent'] as const) : []),
  ];

  // ssh2 takes `false` for "no more methods", which its type declarations leave out.
  const authHandler: Config['authHandler'] = options.authGate
    ? (gatedAuthHandler(authHandlers, options.authGate) as unknown as Config['authHandler'])
    : authHandlers.length > 0
      ? authHandlers
      : undefined;

  let verifyError: unknown;
  const config: Config = {
    host: target.address,
    port: target.port,
    username: user,
    ...auth.config,
    // Straight to the configured methods: ssh2 would first try "none", one more round trip, and
    // sshd makes a failed attempt last a minimum time.
    ...(authHandler !== undefined && { authHandler }),
    readyTimeout: options.readyTimeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: 3,
    algorithms: { serverHostKey: policy.algorithms },
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      policy.verify(key).then(verify, (err: unknown) => {
        verifyError = err;
        verify(false);
      });
    },
  };

  const ssh = options.createClient?.() ?? new NodeSSH();
  const started = now();
  // node-ssh's dispose() ends the socket gracefully, which waits for a TCP connect to finish.
  const abandon = () => ssh.connection?.destroy();
  options.signal?.addEventListener('abort', abandon, { once: true });
  try {
    if (options.signal?.aborted) throw new Error('abandoned before it started');
    await ssh.connect(config);
  } catch (err) {
    ssh.dispose();
    if (options.signal?.aborted) {
      throw new LabError(
        'aborted',
        `${target.host}: connection abandoned`,
        { host: target.host },
        { cause: err },
      );
    }
    if (verifyError) throw verifyError;
    throw connectError(
      {
        host: target.host,
        address: target.address,
        port: target.port,
        user,
        knownHostsFile,
        hostKey: policy.outcome,
        authMethods: auth.methods,
        readyTimeoutMs: options.readyTimeoutMs,
        durationMs: Math.round(now() - started),
      },
      err,
    );
  } finally {
    options.signal?.removeEventListener('abort', abandon);
  }
  stats.connectionsOpened++;
  options.logger?.debug(
    `${target.host}: connected to ${user}@${target.address}:${target.port} in ${Math.round(now() - started)} ms`,
  );
  const maxChannels = options.maxChannels ?? DEFAULT_MAX_CHANNELS;
  return new SshHostShell(new NodeSshTransport(ssh), {
    host: target.host,
    user,
    become: target.become,
    maxChannels,
    defaultTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    stats,
    now,
    pipeline: options.pipeline ?? true,
  });
}

/**
 * The key file and/or the agent. A passphrase-protected key file is left to the agent: lab never
 * prompts (it runs unattended) and never handles passphrases.
 */
async function authConfig(
  target: SshTarget,
  options: ConnectOptions,
): Promise<{ config: Pick<Config, 'privateKey' | 'agent'>; methods: string[] }> {
  const config: Pick<Config, 'privateKey' | 'agent'> = {};
  const methods: string[] = [];
  if (target.privateKeyFile) {
    const file = target.privateKeyFile;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new LabError(
        'input',
        `${target.host}: cannot read the private key ${file} (ansible_ssh_private_key_file): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { host: target.host },
        { cause: err },
      );
    }
    const parsed = ssh2.utils.parseKey(text);
    if (parsed instanceof Error) {
      const encrypted = /passphrase|encrypted/i.test(parsed.message);
      if (!encrypted) {
        throw new LabError(
          'input',
          `${target.host}: ${file} is not a private key ssh2 can read: ${parsed.message}`,
          { host: target.host },
        );
      }
      if (!options.agentSocket) {
        throw new LabError(
          'input',
          `${target.host}: the private key ${file} is protected by a passphrase and no ssh-agent is available`,
          {
            host: target.host,
            hint: `load it into an agent (ssh-add ${file}) and make sure SSH_AUTH_SOCK is set`,
          },
        );
      }
      options.logger?.debug(
        `${target.host}: ${file} is passphrase-protected; relying on the ssh-agent`,
      );
    } else {
      config.privateKey = text;
      methods.push(`key ${file}`);
    }
  }
  if (options.agentSocket) {
    config.agent = options.agentSocket;
    methods.push('ssh-agent');
  }
  return { config, methods };
}
