import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { localShellChannel } from '../../test/fakes/local-shell.js';
import type { InteractiveChannel } from './command-pipe.js';
import { SshHostShell, type SshHostShellSettings } from './ssh-host-shell.js';
import { createSshStats } from './stats.js';
import type { CommandIo, ExecStream, SshTransport } from './transport.js';

/** What a fake command does: print, then exit after a delay (or hang until aborted). */
interface Behaviour {
  stdout?: string | Buffer[];
  stderr?: string;
  code?: number;
  delayMs?: number;
  hang?: boolean;
}

class FakeTransport implements SshTransport {
  commands: { command: string; stdin?: string }[] = [];
  open = 0;
  maxOpen = 0;
  aborted = 0;
  closed = false;
  #closeListeners: ((err?: Error) => void)[] = [];
  constructor(private behave: (command: string) => Behaviour = () => ({})) {}

  async exec(
    command: string,
    io: CommandIo,
  ): Promise<{ code: number | null; signal: string | null }> {
    this.commands.push({ command, ...(io.stdin !== undefined ? { stdin: io.stdin } : {}) });
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    const b = this.behave(command);
    try {
      return await new Promise((resolve) => {
        io.onStarted(() => {
          this.aborted++;
          resolve({ code: null, signal: null });
        });
        if (b.hang) return;
        setTimeout(() => {
          const out = b.stdout ?? '';
          for (const c of typeof out === 'string' ? [Buffer.from(out)] : out) io.onStdout(c);
          if (b.stderr) io.onStderr(Buffer.from(b.stderr));
          resolve({ code: b.code ?? 0, signal: null });
        }, b.delayMs ?? 1);
      });
    } finally {
      this.open--;
    }
  }
  /** The pipe's shell: a real local `sh` (the commands given to it are harmless here). */
  interactive: string[] = [];
  pipeRefused = false;
  /** The pipe shell's environment (default: this process's). */
  shellEnv: NodeJS.ProcessEnv | undefined;
  async openInteractive(command: string): Promise<InteractiveChannel> {
    this.interactive.push(command);
    if (this.pipeRefused) throw new Error('(SSH) Channel open failure: open failed');
    return localShellChannel(this.shellEnv);
  }
  openExecStream(): Promise<ExecStream> {
    return Promise.reject(new Error('not used here'));
  }
  async openStreamLocal(path: string): Promise<Duplex> {
    if (path === '/missing.sock') throw new Error('(SSH) Channel open failure: open failed');
    return new PassThrough();
  }
  onClose(listener: (err?: Error) => void): void {
    this.#closeListeners.push(listener);
  }
  lose(err?: Error): void {
    for (const l of this.#closeListeners) l(err);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.lose();
  }
}

function shellWith(transport: FakeTransport, over: Partial<SshHostShellSettings> = {}) {
  const settings: SshHostShellSettings = {
    host: 'server1',
    user: 'root',
    become: true,
    maxChannels: 8,
    defaultTimeoutMs: 5_000,
    stats: createSshStats(),
    now: () => performance.now(),
    ...over,
  };
  return { shell: new SshHostShell(transport, settings), settings };
}

describe('SshHostShell', () => {
  it('quotes argv and returns exit code, stdout and stderr as they came', async () => {
    const t = new FakeTransport(() => ({ stdout: 'out\n', stderr: 'warn\n', code: 3 }));
    const { shell } = shellWith(t);
    const r = await shell.exec(['echo', 'a b', "it's"]);
    expect(t.commands[0]?.command).toBe(`echo 'a b' 'it'\\''s'`);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'warn\n' });
    expect(r.timedOut).toBeUndefined();
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('✓ ok');
    const t = new FakeTransport(() => ({ stdout: [bytes.subarray(0, 1), bytes.subarray(1)] }));
    const { shell } = shellWith(t);
    expect((await shell.exec(['x'])).stdout).toBe('✓ ok');
  });

  it('runs scripts as `sh -s` with the script on stdin, and refuses a second stdin', async () => {
    const t = new FakeTransport();
    const { shell } = shellWith(t);
    await shell.script('ip link\nip addr\n');
    expect(t.commands[0]).toEqual({ command: 'sh -s', stdin: 'ip link\nip addr\n' });
    await expect(shell.script('x', { stdin: 'y' })).rejects.toThrow(LabError);
  });

  it('adds `sudo -n` only for become calls on become hosts with a non-root user', async () => {
    const cases: [
      user: string,
      hostBecome: boolean,
      callBecome: boolean | undefined,
      sudo: boolean,
    ][] = [
      ['admin', true, true, true],
      ['admin', true, false, false],
      ['admin', true, undefined, false],
      ['admin', false, true, false],
      ['root', true, true, false],
    ];
    for (const [user, become, callBecome, sudo] of cases) {
      const t = new FakeTransport();
      const { shell } = shellWith(t, { user, become });
      await shell.exec(['ip', 'link'], callBecome === undefined ? {} : { become: callBecome });
      await shell.script('true', callBecome === undefined ? {} : { become: callBecome });
      expect(t.commands.map((c) => c.command)).toEqual(
        sudo ? ['sudo -n ip link', 'sudo -n sh -s'] : ['ip link', 'sh -s'],
      );
    }
  });

  it('never has more than maxChannels commands open, however many are fired', async () => {
    const t = new FakeTransport(() => ({ delayMs: 5 }));
    const { shell, settings } = shellWith(t, { maxChannels: 8 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => shell.exec(['echo', String(i)])),
    );
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    expect(t.maxOpen).toBe(8);
    expect(settings.stats.commandsRun).toBe(100);
  });

  it('times a hung command out: exitCode null, timedOut, channel aborted', async () => {
    const t = new FakeTransport((c) =>
      c.startsWith('sleep') ? { hang: true, stdout: 'partial' } : {},
    );
    const { shell } = shellWith(t);
    const r = await shell.exec(['sleep', '100'], { timeoutMs: 50 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    expect(r.durationMs).toBeGreaterThanOrEqual(45);
    expect(t.aborted).toBe(1);
    // The slot came back once the channel closed: the next command runs.
    expect((await shell.exec(['true'])).exitCode).toBe(0);
  });

  it('uses the default timeout when the call gives none', async () => {
    const t = new FakeTransport(() => ({ hang: true }));
    const { shell } = shellWith(t, { defaultTimeoutMs: 30 });
    expect((await shell.exec(['x'])).timedOut).toBe(true);
  });

  it('fails calls with a LabError once the connection is gone', async () => {
    const t = new FakeTransport();
    const { shell } = shellWith(t);
    t.lose(new Error('read ECONNRESET'));
    const err = await shell.exec(['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).kind).toBe('host');
    expect((err as LabError).message).toMatch(/server1: .*connection lost \(read ECONNRESET\)/);
    expect(t.commands).toHaveLength(0);
  });

  it('fails calls after close() and closes the transport', async () => {
    const t = new FakeTransport();
    const { shell } = shellWith(t);
    await shell.close();
    expect(t.closed).toBe(true);
    await expect(shell.exec(['true'])).rejects.toThrow(/closed/);
  });

  it('opens unix sockets, counts them, and explains a failure', async () => {
    const t = new FakeTransport();
    const { shell, settings } = shellWith(t);
    await shell.openUnixSocket('/var/run/docker.sock');
    expect(settings.stats.unixSocketsOpened).toBe(1);
    const err = await shell.openUnixSocket('/missing.sock').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toContain(
      'server1: cannot open the unix socket /missing.sock over SSH',
    );
  });

  describe('with the pipeline (one long-lived shell)', () => {
    it('runs commands and scripts through one shell, no new session each, results as sessions give', async () => {
      const t = new FakeTransport();
      const { shell, settings } = shellWith(t, { pipeline: true });
      try {
        const r = await shell.exec(['sh', '-c', 'printf "a b"; echo warn >&2; exit 4']);
        expect(r).toMatchObject({ exitCode: 4, stdout: 'a b', stderr: 'warn\n' });
        const s = await shell.script('set -e\necho one\necho "it\'s"\n');
        expect(s).toMatchObject({ exitCode: 0, stdout: "one\nit's\n" });
        expect(t.interactive).toEqual(['sh']);
        expect(t.commands).toEqual([]);
        expect(settings.stats.commandsRun).toBe(2);
      } finally {
        await shell.close();
      }
    });

    it('asks sudo for become commands of a non-root user, in the pipe too', async () => {
      // A stand-in sudo first on the pipe shell's PATH says how it was called.
      const bin = await mkdtemp(join(tmpdir(), 'lab-sudo-'));
      await writeFile(join(bin, 'sudo'), '#!/bin/sh\necho "sudo $*" >&2\nexit 42\n', {
        mode: 0o755,
      });
      const t = new FakeTransport();
      t.shellEnv = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
      const { shell } = shellWith(t, { pipeline: true, user: 'alice' });
      try {
        const r = await shell.exec(['id', '-u'], { become: true });
        expect(r).toMatchObject({ exitCode: 42, stderr: 'sudo -n id -u\n' });
        // Without become, the same command runs as the login user.
        expect((await shell.exec(['true'])).exitCode).toBe(0);
      } finally {
        await shell.close();
        await rm(bin, { recursive: true, force: true });
      }
    });

    it('falls back to a session per command where the pipe cannot be opened', async () => {
      const t = new FakeTransport(() => ({ stdout: 'via session' }));
      t.pipeRefused = true;
      const { shell } = shellWith(t, { pipeline: true });
      expect((await shell.exec(['echo'])).stdout).toBe('via session');
      expect((await shell.script('echo\n')).stdout).toBe('via session');
      expect(t.commands.map((c) => c.command)).toEqual(['echo', 'sh -s']);
      expect(t.interactive).toEqual(['sh']);
    });

    it('a timed-out command is reported as such, and the next one gets a fresh shell', async () => {
      const t = new FakeTransport();
      const { shell } = shellWith(t, { pipeline: true });
      try {
        const slow = await shell.exec(['sleep', '5'], { timeoutMs: 100 });
        expect(slow).toMatchObject({ exitCode: null, timedOut: true });
        expect((await shell.exec(['echo', 'again'])).stdout).toBe('again\n');
        expect(t.interactive).toEqual(['sh', 'sh']);
      } finally {
        await shell.close();
      }
    });
  });
});
