import { describe, expect, it } from 'vitest';
import type { InteractiveChannel } from '../ssh/command-pipe.js';
import type { HostShell } from '../ssh/host-shell.js';
import { lockHost } from './host-lock.js';

const holder = {
  controller: 'ctrl',
  pid: 42,
  command: 'lab run macvlan-two-nic -i box',
  scenario: 'macvlan-two-nic',
  since: '2026-11-30T10:00:00.000Z',
};

/** A shell whose held command prints `answer` and, unless it holds the lock, ends. */
function shellAnswering(answer: string, written: string[] = []): HostShell {
  const hold = async (): Promise<InteractiveChannel> => {
    let stdout: (c: Buffer) => void = () => {};
    let end: () => void = () => {};
    setTimeout(() => {
      stdout(Buffer.from(answer));
      if (!answer.startsWith('locked')) end();
    }, 1);
    return {
      write: (t) => void written.push(t),
      onStdout: (l) => void (stdout = l),
      onStderr: () => {},
      onEnd: (l) => void (end = l),
      kill: () => {},
    };
  };
  return {
    host: 'server1',
    exec: () => Promise.reject(new Error('not used')),
    script: () => Promise.reject(new Error('not used')),
    openUnixSocket: () => Promise.reject(new Error('not used')),
    close: async () => {},
    hold,
  };
}

describe('lockHost', () => {
  it('holds the lock until released', async () => {
    const written: string[] = [];
    const out = await lockHost(shellAnswering('locked\n', written), holder, 0);
    expect(out.kind).toBe('held');
    if (out.kind === 'held') out.lock.release();
    expect(written).toEqual(['release\n']);
  });

  it('names the holder when another lab has the host: a refusal, not a host failure', async () => {
    const out = await lockHost(shellAnswering(`busy ${JSON.stringify(holder)}\n\n`), holder, 0);
    expect(out.kind).toBe('busy');
    if (out.kind !== 'busy') return;
    expect(out.error.kind).toBe('conflict');
    expect(out.error.message).toBe(
      'server1 is locked by another lab: `lab run macvlan-two-nic -i box` (scenario macvlan-two-nic) from ctrl, pid 42, since 2026-11-30T10:00:00.000Z; nothing was changed',
    );
    expect(out.error.context.hint).toMatch(/--lock-wait SECONDS/);
  });

  it('says so when the host cannot be locked, and goes on', async () => {
    const out = await lockHost(shellAnswering('nolock cannot write /run/lab\n'), holder, 0);
    expect(out).toEqual({
      kind: 'unlocked',
      note: 'not locked against another lab: cannot write /run/lab',
    });
  });
});
