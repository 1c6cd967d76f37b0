import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LabOutput {
  code: number;
  /** stdout and stderr as one stream, in the order a reader sees them in a terminal. */
  output: string;
  ms: number;
}

/**
 * Runs `npx lab ARGS` as a reader would, from the repository root: bin/lab.js (the built CLI) in a
 * child process, stdout and stderr into one pipe, no colour.
 */
export function runLab(
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 300_000,
): LabOutput {
  const started = Date.now();
  const result = spawnSync('sh', ['-c', 'exec node bin/lab.js "$@" 2>&1', 'lab', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: timeoutMs,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 128, output: result.stdout, ms: Date.now() - started };
}
