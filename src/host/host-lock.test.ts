import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InteractiveChannel } from '../ssh/command-pipe.js';
import type { HostShell } from '../ssh/host-shell.js';
import { HOLDER_FILE, lockHost } from './host-lock.js';
import { NIC_STATE_DIR } from './nic-state.js';

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

/** A host's shell played by a local `sh`, with lab's /run/lab moved to `dir`: the lock script for real. */
function localHost(dir: string, children: { kill(): void }[]): HostShell {
  const local = (argv: readonly string[]) =>
    argv.map((a) => (a.startsWith(NIC_STATE_DIR) ? dir + a.slice(NIC_STATE_DIR.length) : a));
  return {
    host: 'server2',
    exec: (argv) =>
      new Promise((resolve) => {
        const [cmd = 'sh', ...args] = local(argv);
        execFile(cmd, args, (err, stdout, stderr) =>
          resolve({
            exitCode: err ? ((err as { code?: number }).code ?? 1) : 0,
            stdout,
            stderr,
            durationMs: 1,
          }),
        );
      }),
    script: () => Promise.reject(new Error('not used')),
    openUnixSocket: () => Promise.reject(new Error('not used')),
    close: async () => {},
    hold: async (argv) => {
      const [cmd = 'sh', ...args] = local(argv);
      const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push({ kill: () => child.kill('SIGKILL') });
      return {
        write: (t) => void child.stdin.write(t),
        onStdout: (l) => void child.stdout.on('data', l),
        onStderr: (l) => void child.stderr.on('data', l),
        onEnd: (l) => void child.on('exit', () => l()),
        kill: () => void child.kill('SIGKILL'),
      };
    },
  };
}

describe('lockHost: a stale holder (its lab gone, its lock shell still there)', () => {
  it('is taken over: the stale shell killed by the pid the host recorded, one line saying so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-lock-'));
    const children: { kill(): void }[] = [];
    try {
      const gone = { ...holder, pid: 999_999_9, controller: 'here' };
      const first = await lockHost(localHost(dir, children), gone, 0);
      expect(first.kind).toBe('held');
      const recorded = JSON.parse(
        await readFile(path.join(dir, path.basename(HOLDER_FILE)), 'utf8'),
      ) as { shell: number; pid: number };
      expect(recorded.pid).toBe(999_999_9);
      expect(recorded.shell).toBeGreaterThan(1);

      const next = { ...holder, pid: 43, command: 'lab down macvlan-two-nic -i box' };
      // A holder that is not known to be dead keeps the host.
      const refused = await lockHost(localHost(dir, children), next, 0, () => false);
      expect(refused.kind).toBe('busy');

      const out = await lockHost(localHost(dir, children), next, 0, (h) => h.pid === 999_999_9);
      expect(out.kind).toBe('held');
      if (out.kind !== 'held') return;
      expect(out.note).toBe(
        'server2: took over the lock of `lab run macvlan-two-nic -i box` (pid 9999999 on here, no longer running)',
      );
      const now = JSON.parse(
        await readFile(path.join(dir, path.basename(HOLDER_FILE)), 'utf8'),
      ) as { pid: number };
      expect(now.pid).toBe(43);
      out.lock.release();
    } finally {
      for (const c of children) c.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
