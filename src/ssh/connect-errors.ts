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
}

/**
 * Turns a failed connection into a LabError naming host and address. The host key outcome wins over
 * ssh2's own message: "Host denied (verification failed)" says nothing a user can act on.
 */
export function connectError(f: ConnectFailure, err: unknown): LabError {
  // Context carries no `file`: describe() would put it before the host, and the message names it.
  const where = `${f.host} (${f.address}:${f.port})`;
  const ctx = { host: f.host, durationMs: f.durationMs };
  const opts = { cause: err };
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
      ctx,
      opts,
    );
  }
  if (err instanceof LabError) return err;

  const e = err as (Error & { level?: string; code?: string }) | undefined;
  const message = e?.message ?? String(err);
  const code = e?.code;
  if (e?.level === 'client-authentication') {
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
  if (e?.level === 'client-timeout' || code === 'ETIMEDOUT') {
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
      ctx,
      opts,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new LabError(
      'host',
      `${where}: host unreachable (${code}); check the address and routing`,
      ctx,
      opts,
    );
  }
  if (e?.level === 'client-dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new LabError(
      'host',
      `${where}: cannot resolve ${f.address} (${code ?? message})`,
      ctx,
      opts,
    );
  }
  if (e?.level === 'agent') {
    return new LabError('host', `${where}: the ssh-agent failed: ${message}`, ctx, opts);
  }
  return new LabError('host', `${where}: SSH connection failed: ${message}`, ctx, opts);
}

/** ED25519, ECDSA, RSA: the names ssh uses in its messages. */
function keyName(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  return keyType || 'unknown-type';
}
