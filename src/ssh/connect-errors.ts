import { LabError } from '../common/errors.js';
import type { HostKeyOutcome } from './host-key-policy.js';
import { knownHostsName } from './known-hosts.js';

/** What connectHost knew when the connection failed: enough to explain it and say what to do. */
export interface ConnectFailure {
  host: string;
  address: string;
  port: number;
  user: string;
  knownHostsFile: string;
  hostKey: HostKeyOutcome | undefined;
  /** The authentication methods offered, in words ("key /path/id_ed25519", "ssh-agent"). */
  authMethods: string[];
  readyTimeoutMs: number;
  durationMs: number;
  /** The jump hosts it was reached through, if any ("server1"). */
  via?: string;
}

/**
 * Turns a failed connection into a LabError naming host and address. The host key outcome wins over
 * ssh2's own message: "Host denied (verification failed)" says nothing a user can act on.
 */
export function connectError(f: ConnectFailure, err: unknown): LabError {
  // Context carries no `file`: describe() would put it before the host, and the message names it.
  const w: ErrorWords = {
    where: `${f.host} (${f.address}:${f.port})${f.via ? ` via ${f.via}` : ''}`,
    ctx: { host: f.host, durationMs: f.durationMs },
    opts: { cause: err },
  };
  const keyError = hostKeyError(f, w);
  if (keyError) return keyError;
  if (err instanceof LabError) return err;
  return transportError(f, err, w);
}

/** What every connection error shares: where it happened, its context and its cause. */
interface ErrorWords {
  where: string;
  ctx: { host: string; durationMs: number };
  opts: { cause: unknown };
}

/** The host key outcome's own error, if the key was the problem. */
function hostKeyError(f: ConnectFailure, { where, ctx, opts }: ErrorWords): LabError | undefined {
  const k = f.hostKey;
  const kh = f.knownHostsFile;
  if (k?.status === 'unknown') {
    return new LabError(
      'host',
      `${where}: host key not in ${kh}; add it with \`ssh-keyscan -p ${f.port} ${f.address} >> ${kh}\` after checking its fingerprint (${keyName(k.keyType)} ${k.fingerprint}), or pass --accept-new-host-keys`,
      ctx,
      opts,
    );
  }
  if (k?.status === 'mismatch') {
    const lines = k.recorded.map((r) => `${kh}:${r.line} (${keyName(r.keyType)})`).join(', ');
    return new LabError(
      'host',
      `${where}: HOST KEY CHANGED, refusing to connect. The host presented ${keyName(k.keyType)} key ${k.fingerprint}, but ${lines} records a different key. Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled`,
      {
        ...ctx,
        hint: `if the new key is expected, remove the old one with \`ssh-keygen -R '${knownHostsName(f.address, f.port)}' -f ${kh}\` and connect again`,
      },
      opts,
    );
  }
  if (k?.status === 'revoked') {
    return new LabError(
      'host',
      `${where}: the host presented a REVOKED key (${keyName(k.keyType)} ${k.fingerprint}, marked @revoked in ${kh}:${k.line}); refusing to connect`,
      {
        ...ctx,
        hint: 'a revoked key must not be trusted again: ask whoever runs the host for its new key',
      },
      opts,
    );
  }
  return undefined;
}

/** An error from ssh2 or the socket, explained by its level or code. */
function transportError(f: ConnectFailure, err: unknown, w: ErrorWords): LabError {
  const { where, ctx, opts } = w;
  const e = err as (Error & { level?: string; code?: string }) | undefined;
  const message = e?.message ?? String(err);
  const code = e?.code;
  const early = authOrSocketError(f, e?.level, code, w);
  if (early) return early;
  if (e?.level === 'client-dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new LabError(
      'host',
      `${where}: cannot resolve ${f.address} (${code ?? message})`,
      {
        ...ctx,
        hint: `check the spelling of ansible_host (or the host name) for ${f.host}, or give its IP address`,
      },
      opts,
    );
  }
  if (e?.level === 'agent') {
    return new LabError(
      'host',
      `${where}: the ssh-agent failed: ${message}`,
      { ...ctx, hint: 'check that SSH_AUTH_SOCK points at a running agent (ssh-add -l)' },
      opts,
    );
  }
  if (/before handshake/i.test(message) || code === 'ECONNRESET') {
    return new LabError(
      'host',
      `${where}: the host accepted the connection but closed it before the SSH handshake (${message})`,
      {
        ...ctx,
        hint: `is it sshd that listens on port ${f.port}? sshd also drops connections when it is overloaded (MaxStartups) or refused by its access rules (AllowUsers, TCP wrappers, fail2ban): see the host's sshd log`,
      },
      opts,
    );
  }
  return new LabError(
    'host',
    `${where}: SSH connection failed: ${message}`,
    {
      ...ctx,
      hint: `try \`ssh -v -p ${f.port} ${f.user}@${f.address}\` from this machine to see where it stops`,
    },
    opts,
  );
}

/** Authentication failed, or the socket never reached sshd (timeout, refused, unreachable). */
function authOrSocketError(
  f: ConnectFailure,
  level: string | undefined,
  code: string | undefined,
  { where, ctx, opts }: ErrorWords,
): LabError | undefined {
  if (level === 'client-authentication') {
    const tried = f.authMethods.length > 0 ? f.authMethods.join(', ') : 'no key and no agent';
    return new LabError(
      'host',
      `${where}: authentication failed for user ${f.user} (tried: ${tried})`,
      {
        ...ctx,
        hint: 'check ansible_user and ansible_ssh_private_key_file, or load the key into ssh-agent (ssh-add) and make sure SSH_AUTH_SOCK is set',
      },
      opts,
    );
  }
  if (level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new LabError(
      'host',
      `${where}: no SSH connection within ${f.readyTimeoutMs} ms (timed out)`,
      {
        ...ctx,
        hint: 'is the host up and the address right? Is a firewall dropping port ' + f.port + '?',
      },
      opts,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new LabError(
      'host',
      `${where}: connection refused; is sshd running and listening on port ${f.port}?`,
      {
        ...ctx,
        hint: `start sshd on the host, or set ansible_port if it listens elsewhere (\`ssh -p ${f.port} ${f.user}@${f.address}\` shows the same)`,
      },
      opts,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new LabError(
      'host',
      `${where}: host unreachable (${code}); check the address and routing`,
      {
        ...ctx,
        hint: `check ansible_host for ${f.host}, and that this machine has a route to ${f.address}`,
      },
      opts,
    );
  }
  return undefined;
}

/** ED25519, ECDSA, RSA: the names ssh uses in its messages. */
function keyName(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  return keyType || 'unknown-type';
}
