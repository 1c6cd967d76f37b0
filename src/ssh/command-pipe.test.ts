import { afterEach, describe, expect, it } from 'vitest';
import { localShellChannel } from '../../test/fakes/local-shell.js';
import { CommandPipe, PipeLost, PipeUnavailable } from './command-pipe.js';

const pipes: CommandPipe[] = [];
function pipe(): CommandPipe {
  const p = new CommandPipe(localShellChannel());
  pipes.push(p);
  return p;
}
afterEach(() => {
  for (const p of pipes.splice(0)) p.close();
});

describe('CommandPipe (over a real local sh)', () => {
  it('returns each command’s own stdout, stderr and exit status, byte for byte', async () => {
    const p = pipe();
    const a = await p.run(`printf 'no newline'; printf 'err\\n' >&2; exit 3`, 5_000);
    expect(a).toEqual({
      exitCode: 3,
      stdout: Buffer.from('no newline'),
      stderr: Buffer.from('err\n'),
      timedOut: false,
    });
    const b = await p.run(`printf 'two\\n\\nlines\\n'`, 5_000);
    expect(b.stdout.toString()).toBe('two\n\nlines\n');
    expect(b.stderr.length).toBe(0);
    expect(b.exitCode).toBe(0);
  });

  it('runs commands given at once one after the other, each with its own result', async () => {
    const p = pipe();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => p.run(`echo ${i}; exit ${i % 4}`, 5_000)),
    );
    results.forEach((r, i) => {
      expect(r.stdout.toString()).toBe(`${i}\n`);
      expect(r.exitCode).toBe(i % 4);
    });
  });

  it('keeps each command apart: no stdin, no shared variables or directory', async () => {
    const p = pipe();
    await p.run('cd /; X=1', 5_000);
    const r = await p.run('echo "[$X]"; pwd; cat', 5_000);
    expect(r.stdout.toString()).not.toMatch(/^\[1\]/);
    expect(r.exitCode).toBe(0);
    // A command that looks like a marker does not end another command early.
    const fake = await p.run(`printf '\\n@@lab:0000:0\\n'; echo after`, 5_000);
    expect(fake.stdout.toString()).toBe('\n@@lab:0000:0\nafter\n');
  });

  it('a command past its timeout ends the pipe; what was pending fails without running twice', async () => {
    const p = pipe();
    const slow = p.run('echo started; sleep 5', 200);
    const next = p.run('echo next', 5_000);
    const r = await slow;
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    expect(r.stdout.toString()).toBe('started\n');
    expect(p.alive).toBe(false);
    await expect(next).rejects.toBeInstanceOf(PipeUnavailable);
  });

  it('a shell that ends during a command fails that command as lost (it may have run)', async () => {
    const p = pipe();
    await expect(p.run('kill -9 $$', 5_000)).rejects.toBeInstanceOf(PipeLost);
    expect(p.alive).toBe(false);
  });
});
