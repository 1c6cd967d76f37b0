/**
 * A FakeHost whose shell and container execs answer from a script: `answers` maps a command line
 * (argv joined by spaces; for containers "CONTAINER: argv") to what it prints and its exit code.
 * Anything unscripted exits 127 ("not found"), so a test never passes on a command it forgot.
 */
import type { ExecOutcome } from '../../src/docker/docker-client.js';
import type { ExecResult } from '../../src/ssh/host-shell.js';
import { FakeHost } from './fake-host.js';

export type Answer = { stdout?: string; stderr?: string; exitCode?: number | null };

export class ScriptedHost extends FakeHost {
  readonly asked: string[] = [];
  readonly becomes: string[] = [];

  constructor(host: string, answers: Record<string, Answer | ((n: number) => Answer)>) {
    super(host);
    const counts = new Map<string, number>();
    const answer = (key: string): ExecResult & ExecOutcome => {
      this.asked.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const a = answers[key];
      const r = typeof a === 'function' ? a(n) : a;
      if (!r) return { exitCode: 127, stdout: '', stderr: `${key}: not found`, durationMs: 1 };
      return {
        exitCode: r.exitCode === undefined ? 0 : r.exitCode,
        stdout: r.stdout ?? '',
        stderr: r.stderr ?? '',
        durationMs: 1,
      };
    };
    const shell = this.shell;
    (this as { shell: typeof shell }).shell = {
      ...shell,
      exec: async (argv, options) => {
        if (options?.become) this.becomes.push(argv.join(' '));
        return answer(argv.join(' '));
      },
    };
    const docker = this.docker;
    (this as { docker: typeof docker }).docker = {
      ...docker,
      exec: async (container, argv) => answer(`${container}: ${argv.join(' ')}`),
    };
  }
}
