import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../common/errors.js';
import { checkHarden, hardenedLoginScript } from './harden.js';
import { renderSshdConfig } from './sshd-config.js';

const sshd = (hardened: boolean) =>
  renderSshdConfig({
    host: 'server2',
    listenAddress: '198.18.0.2',
    hostKey: '/k',
    authorizedKeys: '/a',
    hardened,
  });

describe('lab box up --harden', () => {
  it('turns forwarding off before the Match block, and lets both logins use their own keys', () => {
    const text = sshd(true);
    expect(text.indexOf('DisableForwarding yes')).toBeGreaterThan(0);
    expect(text.indexOf('DisableForwarding yes')).toBeLessThan(text.indexOf('Match User'));
    expect(text).toContain('Match User labuser,labpass\n');
    expect(sshd(false)).not.toContain('DisableForwarding');
  });

  it('refuses unknown, repeated and jump hosts before anything is made', () => {
    expect(() => checkHarden(2, ['server2'], {})).not.toThrow();
    for (const [harden, behind, why] of [
      [['server3'], {}, 'there is no server3 in a box of 2 host(s)'],
      [['server2', 'server2'], {}, 'server2 is named twice'],
      [['server1'], { server2: 'server1' }, 'server1 is a jump host'],
    ] as const) {
      const err = (() => {
        try {
          checkHarden(2, harden, behind);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).message).toContain(why);
    }
  });

  it('takes labuser out of the docker group, leaving other members', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lab-harden-'));
    try {
      const sedLine = hardenedLoginScript(dir, '/keys')[0]!;
      for (const [before, after] of [
        ['docker:x:105:labuser', 'docker:x:105:'],
        ['docker:x:105:alice,labuser', 'docker:x:105:alice'],
        ['docker:x:105:labuser,alice', 'docker:x:105:alice'],
        ['docker:x:105:alice,labuser,bob', 'docker:x:105:alice,bob'],
        ['docker:x:105:labuser2', 'docker:x:105:labuser2'],
      ]) {
        await writeFile(path.join(dir, 'group'), `root:x:0:\n${before}\nlabuser:x:60500:\n`);
        execFileSync('sh', ['-c', sedLine]);
        expect(await readFile(path.join(dir, 'group'), 'utf8')).toBe(
          `root:x:0:\n${after}\nlabuser:x:60500:\n`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
