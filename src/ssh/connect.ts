import { access, readFile } from 'node:fs/promises';
import { NodeSSH, type Config } from 'node-ssh';
import ssh2 from 'ssh2';
import { LabError } from '../common/errors.js';
import type { SshEndpoint, SshTarget } from './target.js';
import { connectError } from './connect-errors.js';
import type { RemoteShell } from './host-shell.js';
import { prepareHostKeyPolicy } from './host-key-policy.js';
import { forwardTo, JumpPool, viaError, type JumpLease, type Tunnel } from './jump-pool.js';
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
  /**
   * SSH keepalive interval (default 1 s). 0 disables it. With keepaliveCountMax unanswered in a row
   * the connection ends as lost: by default a host that stops answering is lost within ~5 s.
   */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives that end the connection (default 3). */
  keepaliveCountMax?: number;
  /** Monotonic clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Abandons the connection while it is being made (the socket is destroyed, not waited for). */
  signal?: AbortSignal;
  /** Jump host connections shared by the targets behind them (one per run); default: none shared. */
  jumps?: JumpPool;
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
export const DEFAULT_KEEPALIVE_MS = 1_000;
export const DEFAULT_KEEPALIVE_COUNT = 4;

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
 * the inventory's key file and/or the ssh-agent. A host with jump hosts is reached through a channel
 * the last jump host forwards (ssh -J's way, without an ssh process); jump connections are shared
 * through options.jumps and closed when their last target closes. Every failure is a LabError naming
 * host and address, and the hop that failed.
 */
export async function connectHost(
  target: SshTarget,
  options: ConnectOptions,
): Promise<RemoteShell> {
  const now = options.now ?? (() => performance.now());
  const stats = options.stats ?? createSshStats();
  const user = target.user ?? options.defaultUser;
  const started = now();
  const { ssh, lease } = await connectThroughJumps(target, options);
  stats.connectionsOpened++;
  options.logger?.debug(
    `${target.host}: connected to ${user}@${target.address}:${target.port}${lease ? ` via ${viaLabel(target)}` : ''} in ${Math.round(now() - started)} ms`,
  );
  const maxChannels = options.maxChannels ?? DEFAULT_MAX_CHANNELS;
  return new SshHostShell(new NodeSshTransport(ssh), {
    host: target.host,
    address: `${target.address}:${target.port}`,
    user: user ?? '',
    become: target.become,
    maxChannels,
    defaultTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    stats,
    now,
    pipeline: options.pipeline ?? true,
  });
}

function viaLabel(target: SshTarget): string {
  return (target.jumps ?? []).map((j) => j.host).join(', ');
}

/** The target's connection, made over the last jump host's forwarded channel when it has jumps. */
async function connectThroughJumps(
  target: SshTarget,
  options: ConnectOptions,
): Promise<{ ssh: NodeSSH; lease?: JumpLease }> {
  const jumps = target.jumps ?? [];
  const last = jumps[jumps.length - 1];
  if (!last) return { ssh: await openSsh(target, options) };
  const via = viaLabel(target);
  const pool = options.jumps ?? new JumpPool();
  let lease: JumpLease;
  try {
    lease = await pool.acquire(jumps, (hop, tunnel) => openSsh(hop, options, tunnel));
  } catch (err) {
    throw viaError(`${target.host} via ${via}`, target.host, err);
  }
  try {
    const sock = await forwardTo(lease.ssh, last.host, target.address, target.port).catch(
      (err: unknown) => {
        throw viaError(`${target.host} via ${via}`, target.host, err);
      },
    );
    // Its errors already say "via …".
    const ssh = await openSsh(target, options, { sock, via });
    ssh.connection?.once('close', () => lease.release());
    return { ssh, lease };
  } catch (err) {
    lease.release();
    throw err;
  }
}

/**
 * Opens one SSH connection to an endpoint (a target or a jump host), directly or over `tunnel`:
 * host key checked first, then the key file and/or agent. Failures are LabErrors naming the endpoint.
 */
async function openSsh(
  endpoint: SshEndpoint,
  options: ConnectOptions,
  tunnel?: Tunnel,
): Promise<NodeSSH> {
  const now = options.now ?? (() => performance.now());
  const user = endpoint.user ?? options.defaultUser;
  if (!user) {
    throw new LabError(
      'input',
      `${endpoint.host}: no SSH user: set ansible_user in the inventory`,
      {
        host: endpoint.host,
      },
    );
  }
  const knownHostsFile = endpoint.knownHostsFile ?? options.knownHostsFile;
  const policy = await prepareHostKeyPolicy({
    file: knownHostsFile,
    name: knownHostsName(endpoint.address, endpoint.port),
    acceptNew: options.acceptNewHostKeys || (endpoint.acceptNewHostKeys ?? false),
    host: endpoint.host,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const auth = await authConfig(endpoint, options);
  let verifyError: unknown;
  const config = clientConfig(endpoint, options, { user, policy, auth, tunnel }, (err) => {
    verifyError = err;
  });

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
    if (tunnel) tunnel.sock.destroy();
    if (options.signal?.aborted) {
      throw new LabError(
        'aborted',
        `${endpoint.host}: connection abandoned`,
        { host: endpoint.host },
        { cause: err },
      );
    }
    if (verifyError) throw verifyError;
    throw connectError(
      {
        host: endpoint.host,
        address: endpoint.address,
        port: endpoint.port,
        user,
        knownHostsFile,
        hostKey: policy.outcome,
        authMethods: auth.methods,
        readyTimeoutMs: options.readyTimeoutMs,
        durationMs: Math.round(now() - started),
        ...(tunnel && { via: tunnel.via }),
      },
      err,
    );
  } finally {
    options.signal?.removeEventListener('abort', abandon);
  }
  return ssh;
}

/** What openSsh has settled before it builds the ssh2 config. */
interface ConfigInputs {
  user: string;
  policy: Awaited<ReturnType<typeof prepareHostKeyPolicy>>;
  auth: Awaited<ReturnType<typeof authConfig>>;
  tunnel: Tunnel | undefined;
}

/** The ssh2 config for one endpoint; a failed host key check is handed to `onVerifyError`. */
function clientConfig(
  endpoint: SshEndpoint,
  options: ConnectOptions,
  { user, policy, auth, tunnel }: ConfigInputs,
  onVerifyError: (err: unknown) => void,
): Config {
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

  return {
    ...(tunnel ? { sock: tunnel.sock } : { host: endpoint.address, port: endpoint.port }),
    username: user,
    ...auth.config,
    // Straight to the configured methods: ssh2 would first try "none", one more round trip, and
    // sshd makes a failed attempt last a minimum time.
    ...(authHandler !== undefined && { authHandler }),
    readyTimeout: options.readyTimeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT,
    algorithms: { serverHostKey: policy.algorithms },
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      policy.verify(key).then(verify, (err: unknown) => {
        onVerifyError(err);
        verify(false);
      });
    },
  };
}

/**
 * The key file and/or the agent. A passphrase-protected key file is left to the agent: lab never
 * prompts (it runs unattended) and never handles passphrases.
 */
async function authConfig(
  target: SshEndpoint,
  options: ConnectOptions,
): Promise<{ config: Pick<Config, 'privateKey' | 'agent'>; methods: string[] }> {
  const config: Pick<Config, 'privateKey' | 'agent'> = {};
  const methods: string[] = [];
  const file = target.privateKeyFile ?? (await firstExisting(target.identityFiles ?? []));
  if (file) {
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

/** ssh_config's IdentityFile list: as ssh does, files that do not exist are skipped. */
async function firstExisting(files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  return undefined;
}
