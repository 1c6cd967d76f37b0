import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { checked, requireSuccess, runChecked } from './checked.js';
import type { ExecResult, HostShell } from './host-shell.js';

function fakeShell(result: Partial<ExecResult>): HostShell {
  const full: ExecResult = { exitCode: 0, stdout: '', stderr: '', durationMs: 5, ...result };
  return {
    host: 'server2',
    exec: async () => full,
    script: async () => full,
    openUnixSocket: async () => new PassThrough(),
    close: async () => {},
  };
}

describe('checked', () => {
  it('returns the result on exit 0, stderr or not', async () => {
    const r = await checked(fakeShell({ stderr: 'WARNING: something' })).exec(['docker', 'info']);
    expect(r.stderr).toBe('WARNING: something');
  });

  it('throws a remote LabError with host, command, exit code, stderr tail and duration', async () => {
    const stderr = [
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      'RTNETLINK answers: Operation not permitted',
    ].join('\n');
    const err = await runChecked(fakeShell({ exitCode: 2, stderr, durationMs: 40 }), [
      'ip',
      'link',
      'set',
      'eth0',
      'promisc',
      'on',
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    const e = err as LabError;
    expect(e.kind).toBe('remote');
    expect(e.message).toBe('server2: `ip link set eth0 promisc on` failed with exit code 2');
    expect(e.context).toEqual({
      host: 'server2',
      command: 'ip link set eth0 promisc on',
      exitCode: 2,
      stderrTail: ['3', '4', '5', '6', 'RTNETLINK answers: Operation not permitted'].join('\n'),
      durationMs: 40,
    });
  });

  it('says "timed out" and "killed by signal" in words', () => {
    expect(() =>
      requireSuccess('h', 'sleep 9', {
        exitCode: null,
        stdout: '',
        stderr: '',
        durationMs: 30000,
        timedOut: true,
      }),
    ).toThrow('h: `sleep 9` timed out after 30000 ms');
    expect(() =>
      requireSuccess('h', 'x', {
        exitCode: null,
        stdout: '',
        stderr: '',
        durationMs: 1,
        signal: 'TERM',
      }),
    ).toThrow('was killed by signal TERM');
  });

  it('falls back to stdout for the tail when stderr is empty', () => {
    try {
      requireSuccess('h', 'x', {
        exitCode: 1,
        stdout: 'Error: on stdout',
        stderr: '',
        durationMs: 1,
      });
    } catch (e) {
      expect((e as LabError).context.stderrTail).toBe('Error: on stdout');
    }
    expect.assertions(1);
  });

  it('describes scripts by their lines', async () => {
    const err = (await checked(fakeShell({ exitCode: 1 }))
      .script('set -e\n# comment\nip link set eth0 up\n')
      .catch((e: unknown) => e)) as LabError;
    expect(err.context.command).toBe('sh -s <<< set -e; ip link set eth0 up');
  });
});
