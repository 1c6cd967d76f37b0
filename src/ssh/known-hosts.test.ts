import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  blobKeyType,
  fingerprintSha256,
  formatKnownHostsLine,
  hostFieldMatches,
  knownHostsName,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  recordedKeyTypes,
  verifyHostKey,
} from './known-hosts.js';

// Real keys and a real hashed line, made with ssh-keygen / `ssh-keyscan -H -p 22022 127.0.0.1`.
const KEY_A_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAICckrHec3p2CeRYc0yG74iaLCs2hwmKxXFcdcVHdukvn';
const KEY_A_FINGERPRINT = 'SHA256:OsxjGV6Oc9vQRltTGqribOCxsDA2QZDjiy9PRwNGX6M';
const KEY_B_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIIpYoLLuHeLFVwdrl45J+9ZHlWITo765+SVYPk+alkVp';
const HASHED_A_127_22022 = `|1|NX6g1yft6ac8Fjh0IfU8Q54hJNI=|5CRqch4daSh0gJYawBZ0+cef7ZY= ssh-ed25519 ${KEY_A_B64}`;
const keyA = Buffer.from(KEY_A_B64, 'base64');
const keyB = Buffer.from(KEY_B_B64, 'base64');

/** A blob with a type field and junk after it: enough for type and equality checks. */
function fakeBlob(type: string, seed: string): Buffer {
  const t = Buffer.from(type, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(seed)]);
}
const rsaKey = fakeBlob('ssh-rsa', 'rsa-key-1');

function hashedName(name: string, salt = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${mac.toString('base64')}`;
}

describe('knownHostsName', () => {
  it('uses the bare address on port 22 and [address]:port otherwise', () => {
    expect(knownHostsName('198.18.0.1', 22)).toBe('198.18.0.1');
    expect(knownHostsName('198.18.0.1', 2222)).toBe('[198.18.0.1]:2222');
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, [host]:port, hashed and marked lines and skips the rest', () => {
    const text = [
      '# a comment',
      '',
      '   ',
      `server1,198.18.0.1 ssh-ed25519 ${KEY_A_B64} root@server1`,
      `[198.18.0.2]:2222 ssh-ed25519 ${KEY_B_B64}`,
      HASHED_A_127_22022,
      `@revoked * ssh-ed25519 ${KEY_B_B64}`,
      `@cert-authority *.lab ssh-ed25519 ${KEY_A_B64}`,
      `@bogus server1 ssh-ed25519 ${KEY_A_B64}`,
      'server9 ssh-ed25519',
      `server9 ssh-rsa ${KEY_A_B64}`,
      'server9 1024 35 1234567',
      '|1|short|x ssh-ed25519 ' + KEY_A_B64,
      `windows\tssh-ed25519\t${KEY_B_B64}\r`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 14]);
    expect(entries[0]).toMatchObject({
      hosts: { kind: 'patterns', patterns: ['server1', '198.18.0.1'] },
      keyType: 'ssh-ed25519',
    });
    expect(entries[0]?.key.equals(keyA)).toBe(true);
    expect(entries[2]?.hosts.kind).toBe('hashed');
    expect(entries[3]?.marker).toBe('revoked');
    expect(entries[4]?.marker).toBe('cert-authority');
    expect(entries[5]?.key.equals(keyB)).toBe(true);
  });
});

describe('hostFieldMatches', () => {
  const patterns = (p: string) => ({ kind: 'patterns' as const, patterns: p.split(',') });

  it('matches plain names case-insensitively', () => {
    expect(hostFieldMatches(patterns('Server1,198.18.0.1'), 'server1')).toBe(true);
    expect(hostFieldMatches(patterns('server1'), 'server10')).toBe(false);
  });

  it('keeps ports apart: a bare name is port 22 only', () => {
    expect(hostFieldMatches(patterns('198.18.0.1'), '[198.18.0.1]:2222')).toBe(false);
    expect(hostFieldMatches(patterns('[198.18.0.1]:2222'), '[198.18.0.1]:2222')).toBe(true);
    expect(hostFieldMatches(patterns('[198.18.0.1]:2222'), '198.18.0.1')).toBe(false);
  });

  it('supports * and ? wildcards and ! negation', () => {
    expect(hostFieldMatches(patterns('198.18.0.*'), '198.18.0.42')).toBe(true);
    expect(hostFieldMatches(patterns('198.18.0.?'), '198.18.0.42')).toBe(false);
    expect(hostFieldMatches(patterns('*.lab,!bad.lab'), 'good.lab')).toBe(true);
    expect(hostFieldMatches(patterns('*.lab,!bad.lab'), 'bad.lab')).toBe(false);
    expect(hostFieldMatches(patterns('!bad.lab'), 'other')).toBe(false);
    // Regex metacharacters in a pattern are literal.
    expect(hostFieldMatches(patterns('198.18.0.1'), '198x18x0x1')).toBe(false);
  });

  it('matches hashed names with HMAC-SHA1 of the name as ssh writes it', () => {
    const [entry] = parseKnownHosts(HASHED_A_127_22022);
    expect(entry).toBeDefined();
    expect(hostFieldMatches(entry!.hosts, '[127.0.0.1]:22022')).toBe(true);
    expect(hostFieldMatches(entry!.hosts, '127.0.0.1')).toBe(false);
    const [own] = parseKnownHosts(`${hashedName('198.18.0.1')} ssh-ed25519 ${KEY_A_B64}`);
    expect(hostFieldMatches(own!.hosts, '198.18.0.1')).toBe(true);
    expect(hostFieldMatches(own!.hosts, '198.18.0.2')).toBe(false);
  });
});

describe('verifyHostKey', () => {
  it('says match for the recorded key, under a plain or a hashed name', () => {
    const plain = parseKnownHosts(`198.18.0.1 ssh-ed25519 ${KEY_A_B64}`);
    expect(verifyHostKey(plain, '198.18.0.1', keyA).status).toBe('match');
    const hashed = parseKnownHosts(HASHED_A_127_22022);
    expect(verifyHostKey(hashed, '[127.0.0.1]:22022', keyA).status).toBe('match');
  });

  it('says mismatch when another key is recorded for the name, with the offending lines', () => {
    const entries = parseKnownHosts(`# x\n198.18.0.1 ssh-ed25519 ${KEY_B_B64}`);
    const v = verifyHostKey(entries, '198.18.0.1', keyA);
    expect(v.status).toBe('mismatch');
    expect(v.status === 'mismatch' && v.recorded.map((e) => e.line)).toEqual([2]);
    const hashed = parseKnownHosts(`${hashedName('[198.18.0.1]:2222')} ssh-ed25519 ${KEY_B_B64}`);
    expect(verifyHostKey(hashed, '[198.18.0.1]:2222', keyA).status).toBe('mismatch');
  });

  it('treats a key of an unrecorded type as a mismatch when another type is recorded', () => {
    const entries = parseKnownHosts(`198.18.0.1 ssh-rsa ${rsaKey.toString('base64')}`);
    expect(verifyHostKey(entries, '198.18.0.1', keyA).status).toBe('mismatch');
  });

  it('says unknown when nothing is recorded for the name (other ports do not count)', () => {
    const entries = parseKnownHosts(
      `198.18.0.1 ssh-ed25519 ${KEY_B_B64}\n[198.18.0.2]:2222 ssh-ed25519 ${KEY_B_B64}`,
    );
    expect(verifyHostKey(entries, '198.18.0.2', keyA).status).toBe('unknown');
    expect(verifyHostKey(entries, '[198.18.0.1]:2222', keyA).status).toBe('unknown');
    expect(verifyHostKey([], '198.18.0.1', keyA).status).toBe('unknown');
  });

  it('honours @revoked over a matching line and ignores @cert-authority', () => {
    const entries = parseKnownHosts(
      `198.18.0.1 ssh-ed25519 ${KEY_A_B64}\n@revoked * ssh-ed25519 ${KEY_A_B64}`,
    );
    const v = verifyHostKey(entries, '198.18.0.1', keyA);
    expect(v.status).toBe('revoked');
    expect(v.status === 'revoked' && v.entry.line).toBe(2);
    const ca = parseKnownHosts(`@cert-authority * ssh-ed25519 ${KEY_A_B64}`);
    expect(verifyHostKey(ca, '198.18.0.1', keyA).status).toBe('unknown');
  });

  it('accepts one of several recorded keys', () => {
    const entries = parseKnownHosts(
      `198.18.0.1 ssh-ed25519 ${KEY_B_B64}\n198.18.0.1 ssh-ed25519 ${KEY_A_B64}`,
    );
    expect(verifyHostKey(entries, '198.18.0.1', keyA).status).toBe('match');
  });
});

describe('host key algorithms', () => {
  it('offers recorded types first, RSA as its SHA-2 signatures too', () => {
    const entries = parseKnownHosts(
      `198.18.0.1 ssh-rsa ${rsaKey.toString('base64')}\n198.18.0.1 ssh-ed25519 ${KEY_A_B64}`,
    );
    const types = recordedKeyTypes(entries, '198.18.0.1');
    expect(types).toEqual(['ssh-rsa', 'ssh-ed25519']);
    const algs = preferredHostKeyAlgorithms(types);
    expect(algs.slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(new Set(algs).size).toBe(algs.length);
    expect(preferredHostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });
});

describe('key helpers', () => {
  it('reads the type from a blob and fingerprints it like ssh-keygen -l', () => {
    expect(blobKeyType(keyA)).toBe('ssh-ed25519');
    expect(blobKeyType(Buffer.from([0, 0]))).toBe('');
    expect(fingerprintSha256(keyA)).toBe(KEY_A_FINGERPRINT);
  });

  it('formats the line ssh would append', () => {
    expect(formatKnownHostsLine('[127.0.0.1]:22022', keyA)).toBe(
      `[127.0.0.1]:22022 ssh-ed25519 ${KEY_A_B64}`,
    );
    const [entry] = parseKnownHosts(formatKnownHostsLine('198.18.0.1', keyA));
    expect(entry && verifyHostKey([entry], '198.18.0.1', keyA).status).toBe('match');
  });
});
