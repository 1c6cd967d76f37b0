import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../integration/cli.js';

/**
 * bin/lab.js's last moment: a Ctrl-C that lands after the verdict is printed. The real launcher
 * runs with the CLI (dist/cli/main.js) swapped by a module hook for a stub that prints a verdict and
 * returns its exit code, so no build is needed and nothing but the launcher is tested. A process
 * Node lets end by itself puts SIGINT back to its default while it shuts down; before the launcher
 * ended by process.exit, most of these signals killed it (no exit code) after a clean verdict.
 */
describe('bin/lab.js: a Ctrl-C after the verdict', () => {
  let dir: string;
  let register: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lab-launcher-'));
    const stub = path.join(dir, 'main.mjs');
    await writeFile(
      stub,
      [
        'export async function main(argv, io) {',
        '  io.stdout.write(`VERDICT ${argv[0]}\\n`);',
        '  return Number(argv[0]);',
        '}',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'hooks.mjs'),
      [
        'export async function resolve(specifier, context, next) {',
        "  if (specifier.endsWith('/dist/cli/main.js'))",
        `    return { url: ${JSON.stringify(pathToFileURL(stub).href)}, shortCircuit: true };`,
        '  return next(specifier, context);',
        '}',
      ].join('\n'),
    );
    register = path.join(dir, 'register.mjs');
    await writeFile(
      register,
      "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The launcher with the stub CLI, SIGINT `delayMs` after the verdict: its exit code or signal. */
  function ctrlCAfterVerdict(code: number, delayMs: number) {
    return new Promise<{ code: number | null; signal: string | null; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', pathToFileURL(register).href, path.join(repoRoot, 'bin/lab.js'), `${code}`],
          { cwd: repoRoot },
        );
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += String(d)));
        child.stdout.on('data', (d) => {
          if (String(d).includes('VERDICT')) setTimeout(() => child.kill('SIGINT'), delayMs);
        });
        child.on('error', reject);
        child.on('close', (c, s) => resolve({ code: c, signal: s, stderr }));
      },
    );
  }

  it('exits with the verdict’s code at every moment after it (0 and 3, SIGINT 0–19 ms later), never by the signal', async () => {
    const ended: string[] = [];
    for (let i = 0; i < 40; i++) {
      const code = i % 2 === 0 ? 0 : 3;
      const r = await ctrlCAfterVerdict(code, Math.floor(i / 2));
      ended.push(r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
      expect(r.stderr).not.toContain('interrupted');
      if (r.code !== code) expect(`${ended.at(-1)} (wanted exit ${code})`).toBe(`exit ${code}`);
    }
  }, 60_000);
});
