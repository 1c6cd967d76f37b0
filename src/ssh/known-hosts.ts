import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OpenSSH known_hosts: parsing and checking a presented host key, as sshd(8) "SSH_KNOWN_HOSTS FILE
 * FORMAT" describes it. Pure functions over text and buffers; reading and appending the file is
 * host-key-policy.ts's job.
 *
 * Written here rather than taken from npm: the packages that parse known_hosts (known-hosts,
 * known_hosts…) are single-release, unmaintained, and skip hashed names, `[host]:port` or markers;
 * sshpk parses keys but not this file. The format is small and stable, and this is security code we
 * want to read in full.
 */

export interface KnownHostEntry {
  /** 1-based line number in the file, for "offending key in FILE:LINE". */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  hosts: HostField;
  /** As written in the file: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa… */
  keyType: string;
  /** The decoded public key blob: what the SSH server presents during key exchange. */
  key: Buffer;
}

export type HostField =
  /** Comma-separated patterns: `server1`, `198.18.0.1`, `[198.18.0.1]:2222`, `*.lab`, `!bad.lab`. */
  | { kind: 'patterns'; patterns: string[] }
  /** `|1|salt|hash`: HMAC-SHA1 of the name, keyed with the salt (HashKnownHosts yes). */
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  /** A different key is recorded for this name: possibly a man-in-the-middle, or a reinstalled host. */
  | { status: 'mismatch'; recorded: KnownHostEntry[] }
  /** This very key is marked @revoked for this name. */
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'unknown' };

/** The name a host is recorded under: `addr` on port 22, `[addr]:port` otherwise (as ssh writes it). */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Parses a known_hosts file. Lines that are blank, comments or malformed are skipped, as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const entry = parseLine((lines[i] ?? '').trim(), i + 1);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(text: string, line: number): KnownHostEntry | undefined {
  if (text === '' || text.startsWith('#')) return undefined;
  const fields = text.split(/\s+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift();
    if (m === '@revoked') marker = 'revoked';
    else if (m === '@cert-authority') marker = 'cert-authority';
    else return undefined;
  }
  const [hostText, keyType, keyBase64] = fields;
  if (!hostText || !keyType || !keyBase64) return undefined;
  const hosts = parseHostField(hostText);
  if (!hosts) return undefined;
  const key = Buffer.from(keyBase64, 'base64');
  // A blob names its own type; one that disagrees with the type field (or an SSH-1 "bits e n" line)
  // is corrupt, and a corrupt line must never be what lets a key through.
  if (key.length === 0 || blobKeyType(key) !== keyType) return undefined;
  return { line, ...(marker ? { marker } : {}), hosts, keyType, key };
}

function parseHostField(text: string): HostField | undefined {
  if (text.startsWith('|')) {
    const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(text);
    if (!m?.[1] || !m[2]) return undefined;
    const salt = Buffer.from(m[1], 'base64');
    const hash = Buffer.from(m[2], 'base64');
    // SHA-1 sized both: OpenSSH writes 20-byte salts and 20-byte HMACs.
    if (salt.length !== 20 || hash.length !== 20) return undefined;
    return { kind: 'hashed', salt, hash };
  }
  const patterns = text.split(',').filter((p) => p !== '');
  return patterns.length > 0 ? { kind: 'patterns', patterns } : undefined;
}

/** Whether a known_hosts host field covers `name` (already in `[addr]:port` form where needed). */
export function hostFieldMatches(hosts: HostField, name: string): boolean {
  if (hosts.kind === 'hashed') {
    const mac = createHmac('sha1', hosts.salt).update(name).digest();
    return timingSafeEqual(mac, hosts.hash);
  }
  // ssh's match_hostname: any positive pattern must match and no negated one may.
  const lower = name.toLowerCase();
  let positive = false;
  for (const p of hosts.patterns) {
    const negated = p.startsWith('!');
    if (globMatch(negated ? p.slice(1) : p, lower)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

/** ssh's glob: `*` any run, `?` one character; names compare case-insensitively. */
function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${re}$`, 's').test(name);
}

/**
 * Checks a presented key for a name, as ssh's check_host_key does: a revoked key loses, an exact
 * recorded key wins, anything else recorded for the name is a mismatch, nothing recorded is unknown.
 * @cert-authority lines are ignored (lab does not do host certificates; ssh2 cannot negotiate them).
 *
 * Stricter than ssh on one point, on purpose: a key of a type not recorded while another type is
 * counts as a mismatch, not as new. That cannot misfire on an honest host, because the connection asks
 * for the recorded types first (see preferredHostKeyAlgorithms); it only happens when the recorded
 * key is gone, which is exactly the case to stop on.
 */
export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  name: string,
  key: Buffer,
): HostKeyVerdict {
  const forName = entries.filter(
    (e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, name),
  );
  const revoked = forName.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forName.filter((e) => e.marker === undefined);
  const match = plain.find((e) => e.key.equals(key));
  if (match) return { status: 'match', entry: match };
  if (plain.length > 0) return { status: 'mismatch', recorded: plain };
  return { status: 'unknown' };
}

/** The key types recorded (not revoked) for a name, in file order, without repeats. */
export function recordedKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries
    .filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name))
    .map((e) => e.keyType);
  return [...new Set(types)];
}

// The host key algorithms lab offers, best first (ssh2's defaults; ssh-dss is left out, as OpenSSH
// has done since 7.0).
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;
export type HostKeyAlgorithm = (typeof HOST_KEY_ALGORITHMS)[number];

/**
 * The host key algorithms to offer, with those whose key is already recorded for the host first, as
 * ssh does (order_hostkeyalgs): a server with several host keys then presents the one we can check.
 */
export function preferredHostKeyAlgorithms(recordedTypes: readonly string[]): HostKeyAlgorithm[] {
  const algorithmsOf = (type: string): HostKeyAlgorithm[] =>
    type === 'ssh-rsa'
      ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
      : HOST_KEY_ALGORITHMS.filter((a) => a === type);
  const first = recordedTypes.flatMap(algorithmsOf);
  return [...new Set([...first, ...HOST_KEY_ALGORITHMS])];
}

/** The key type a public key blob names in its first field ("ssh-ed25519"), or '' if unreadable. */
export function blobKeyType(key: Buffer): string {
  if (key.length < 4) return '';
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || key.length < 4 + len) return '';
  return key.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:…` as `ssh-keygen -l` and ssh's warnings print it. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The line ssh appends for a newly accepted key (unhashed, no comment). */
export function formatKnownHostsLine(name: string, key: Buffer): string {
  return `${name} ${blobKeyType(key)} ${key.toString('base64')}`;
}
