import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareHostKeyPolicy } from './host-key-policy.js';

const KEY_A_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAICckrHec3p2CeRYc0yG74iaLCs2hwmKxXFcdcVHdukvn';
const KEY_B_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIIpYoLLuHeLFVwdrl45J+9ZHlWITo765+SVYPk+alkVp';
const keyA = Buffer.from(KEY_A_B64, 'base64');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-known-hosts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
const logger = { debug: () => {}, warn: (m: string) => warnings.push(m) };

describe('prepareHostKeyPolicy', () => {
  it('accepts a recorded key and records the outcome', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `[198.18.0.1]:2222 ssh-ed25519 ${KEY_A_B64}\n`);
    const p = await prepareHostKeyPolicy({
      file,
      name: '[198.18.0.1]:2222',
      acceptNew: false,
      host: 'server1',
    });
    expect(await p.verify(keyA)).toBe(true);
    expect(p.outcome?.status).toBe('match');
  });

  it('refuses an unknown key when not accepting new ones, and a missing file is empty', async () => {
    const file = join(dir, 'nope', 'known_hosts');
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: false,
      host: 'server1',
    });
    expect(await p.verify(keyA)).toBe(false);
    expect(p.outcome).toMatchObject({ status: 'unknown', keyType: 'ssh-ed25519' });
    await expect(stat(file)).rejects.toThrow();
  });

  it('accepts and appends an unknown key with acceptNew, creating file and directory', async () => {
    const file = join(dir, 'ssh', 'known_hosts');
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: true,
      host: 'server1',
      logger,
    });
    expect(await p.verify(keyA)).toBe(true);
    expect(p.outcome?.status).toBe('accepted');
    expect(await readFile(file, 'utf8')).toBe(`198.18.0.1 ssh-ed25519 ${KEY_A_B64}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(warnings.at(-1)).toContain('permanently added 198.18.0.1');
    // The next connection matches what was written.
    const again = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: false,
      host: 'server1',
    });
    expect(await again.verify(keyA)).toBe(true);
  });

  it('appends on a line of its own when the file does not end in a newline', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `198.18.0.2 ssh-ed25519 ${KEY_B_B64}`);
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: true,
      host: 'server1',
    });
    await p.verify(keyA);
    expect((await readFile(file, 'utf8')).split('\n')).toEqual([
      `198.18.0.2 ssh-ed25519 ${KEY_B_B64}`,
      `198.18.0.1 ssh-ed25519 ${KEY_A_B64}`,
      '',
    ]);
  });

  it('never accepts a changed key, even with acceptNew, and leaves the file alone', async () => {
    const file = join(dir, 'known_hosts');
    const before = `# lab\n198.18.0.1 ssh-ed25519 ${KEY_B_B64}\n`;
    await writeFile(file, before);
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: true,
      host: 'server1',
    });
    expect(await p.verify(keyA)).toBe(false);
    expect(p.outcome).toMatchObject({
      status: 'mismatch',
      recorded: [{ line: 2, keyType: 'ssh-ed25519' }],
    });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('never accepts a revoked key', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `@revoked * ssh-ed25519 ${KEY_A_B64}\n`);
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: true,
      host: 'server1',
    });
    expect(await p.verify(keyA)).toBe(false);
    expect(p.outcome?.status).toBe('revoked');
  });

  it('offers the recorded key type first', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `198.18.0.1 ecdsa-sha2-nistp256 ${fakeEcdsa()}\n`);
    const p = await prepareHostKeyPolicy({
      file,
      name: '198.18.0.1',
      acceptNew: false,
      host: 'server1',
    });
    expect(p.algorithms[0]).toBe('ecdsa-sha2-nistp256');
  });
});

function fakeEcdsa(): string {
  const type = Buffer.from('ecdsa-sha2-nistp256');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(type.length);
  return Buffer.concat([len, type, Buffer.from('junk')]).toString('base64');
}
