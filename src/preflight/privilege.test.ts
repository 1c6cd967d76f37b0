import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { ExecOptions, ExecResult } from '../ssh/host-shell.js';
import { privilegeProblem } from './privilege.js';

/** A host whose `id -u` answers as given, recording whether it was asked with become. */
function hostAnswering(result: Partial<ExecResult>) {
  const host = new FakeHost('server1');
  const asked: (ExecOptions | undefined)[] = [];
  host.shell.exec = async (_argv, options) => {
    asked.push(options);
    return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, ...result };
  };
  return { host, asked };
}

describe('privilegeProblem', () => {
  it('none for root, asked the way NIC changes run (with become)', async () => {
    const { host, asked } = hostAnswering({ stdout: '0\n' });
    expect(await privilegeProblem(host)).toBeUndefined();
    expect(asked).toEqual([{ become: true }]);
  });

  it('a user without become is told to set ansible_become or log in as root', async () => {
    const { host } = hostAnswering({ stdout: '1000\n' });
    expect(await privilegeProblem(host)).toBe(
      'NIC changes need root, and lab logs in as uid 1000 without become: set ansible_become=true for server1 (lab then uses sudo -n), or log in as root',
    );
  });

  it('a sudo that wants a password is named with its own words', async () => {
    const { host } = hostAnswering({ exitCode: 1, stderr: 'sudo: a password is required\n' });
    expect(await privilegeProblem(host)).toBe(
      'NIC changes need root, and sudo -n fails: sudo: a password is required (sudo must work without a password prompt)',
    );
  });
});
