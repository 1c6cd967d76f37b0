import { Writable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LabRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the real CLI in-process, as a user would from the repository root, and captures its output. */
export async function lab(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<LabRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const started = Date.now();
  const code = await main(args, {
    stdout,
    stderr,
    env: { HOME: process.env.HOME, PATH: process.env.PATH, USER: 'root', NO_COLOR: '1', ...env },
    cwd: repoRoot,
  });
  return { code, stdout: stdout.text, stderr: stderr.text, ms: Date.now() - started };
}
