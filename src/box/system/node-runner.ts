import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { LabError } from '../../common/errors.js';
import { quoteCommand } from '../../ssh/quote.js';
import { type DaemonOptions, type RunOptions, type RunResult, type Runner } from './runner.js';

/** The real Runner: child_process, no shell, the environment given once by the CLI edge. */
export class NodeRunner implements Runner {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const [program, ...args] = argv;
    if (!program) throw new LabError('input', 'empty command');
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, {
        env: { ...this.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.timeoutMs
          ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }
          : {}),
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        options.echo?.(chunk.toString('utf8'));
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        options.echo?.(chunk.toString('utf8'));
      });
      child.on('error', (err) =>
        reject(
          new LabError(
            'prerequisite',
            `cannot run ${program}`,
            { command: quoteCommand(argv) },
            { cause: err },
          ),
        ),
      );
      child.on('close', (code) =>
        resolve({
          exitCode: code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          durationMs: Date.now() - started,
        }),
      );
      // A command that does not read its stdin closes it early; that EPIPE is not our failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }

  async spawnDaemon(argv: readonly string[], options: DaemonOptions): Promise<number> {
    const [program, ...args] = argv;
    if (!program) throw new LabError('input', 'empty command');
    const log = await open(options.logFile, 'a');
    try {
      const child = spawn(program, args, {
        env: { ...this.env },
        // Own session and no pipes to us: the daemon must survive the CLI that started it.
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('error', (err) =>
          reject(
            new LabError(
              'prerequisite',
              `cannot start ${program}`,
              { command: quoteCommand(argv) },
              { cause: err },
            ),
          ),
        );
        child.once('spawn', () => resolve(child.pid ?? 0));
      });
      child.unref();
      return pid;
    } finally {
      await log.close();
    }
  }
}
