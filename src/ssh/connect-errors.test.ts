import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { connectError, type ConnectFailure } from './connect-errors.js';

const base: ConnectFailure = {
  host: 'server1',
  address: '198.18.0.1',
  port: 22,
  user: 'root',
  knownHostsFile: '/home/u/.ssh/known_hosts',
  hostKey: undefined,
  authMethods: ['key /var/lib/lab-box/id_ed25519'],
  readyTimeoutMs: 10_000,
  durationMs: 12,
};
const denied = Object.assign(new Error('Host denied (verification failed)'), { level: 'protocol' });

describe('connectError', () => {
  it('explains an unknown host key with the ssh-keyscan line and the flag', () => {
    const e = connectError(
      {
        ...base,
        hostKey: { status: 'unknown', keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' },
      },
      denied,
    );
    expect(e).toBeInstanceOf(LabError);
    expect(e.kind).toBe('host');
    expect(e.message).toBe(
      'server1 (198.18.0.1:22): host key not in /home/u/.ssh/known_hosts; add it with `ssh-keyscan -p 22 198.18.0.1 >> /home/u/.ssh/known_hosts` after checking its fingerprint (ED25519 SHA256:abc), or pass --accept-new-host-keys',
    );
    expect(e.context.host).toBe('server1');
    expect(e.cause).toBe(denied);
  });

  it('refuses a changed key loudly, with fingerprint, file:line and the ssh-keygen -R fix', () => {
    const e = connectError(
      {
        ...base,
        port: 2222,
        hostKey: {
          status: 'mismatch',
          keyType: 'ssh-ed25519',
          fingerprint: 'SHA256:new',
          recorded: [{ line: 7, keyType: 'ssh-ed25519' }],
        },
      },
      denied,
    );
    expect(e.message).toContain('server1 (198.18.0.1:2222): HOST KEY CHANGED, refusing to connect');
    expect(e.message).toContain('SHA256:new');
    expect(e.message).toContain('/home/u/.ssh/known_hosts:7');
    expect(e.message).toContain('man-in-the-middle');
    expect(e.context.hint).toContain(
      `ssh-keygen -R '[198.18.0.1]:2222' -f /home/u/.ssh/known_hosts`,
    );
  });

  it('names a revoked key', () => {
    const e = connectError(
      {
        ...base,
        hostKey: { status: 'revoked', keyType: 'ssh-rsa', fingerprint: 'SHA256:r', line: 3 },
      },
      denied,
    );
    expect(e.message).toContain('REVOKED');
    expect(e.message).toContain('known_hosts:3');
  });

  it('explains authentication failure with user and methods tried, never a key', () => {
    const err = Object.assign(new Error('All configured authentication methods failed'), {
      level: 'client-authentication',
    });
    const e = connectError({ ...base, authMethods: ['key /k/id', 'ssh-agent'] }, err);
    expect(e.message).toBe(
      'server1 (198.18.0.1:22): authentication failed for user root (tried: key /k/id, ssh-agent)',
    );
  });

  it('explains a timeout, a refusal, an unreachable host, and anything else', () => {
    const timeout = Object.assign(new Error('Timed out while waiting for handshake'), {
      level: 'client-timeout',
    });
    expect(connectError(base, timeout).message).toBe(
      'server1 (198.18.0.1:22): no SSH connection within 10000 ms (timed out)',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 198.18.0.1:22'), {
      code: 'ECONNREFUSED',
      level: 'client-socket',
    });
    expect(connectError(base, refused).message).toContain(
      'connection refused; is sshd running and listening on port 22?',
    );
    const unreach = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' });
    expect(connectError(base, unreach).message).toContain('host unreachable');
    expect(connectError(base, new Error('boom')).message).toBe(
      'server1 (198.18.0.1:22): SSH connection failed: boom',
    );
  });

  it('passes a LabError through', () => {
    const own = new LabError('input', 'x');
    expect(connectError(base, own)).toBe(own);
  });
});
