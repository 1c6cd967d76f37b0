import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from './context.js';
import { writableOutput } from './output-file.js';

const ctx = (cwd: string) => ({ cwd }) as CliContext;

describe('an output file named by a flag', () => {
  it('is resolved, and checking it leaves nothing behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-out-'));
    expect(await writableOutput('html', 'r.html', ctx(dir))).toBe(path.join(dir, 'r.html'));
    expect(await readdir(dir)).toEqual([]);
    await writeFile(path.join(dir, 'old.html'), 'kept');
    await writableOutput('html', 'old.html', ctx(dir));
    expect(await readdir(dir)).toEqual(['old.html']);
  });

  it.each([
    [
      '/nonexistent-dir/r.html',
      /--html \/nonexistent-dir\/r.html: cannot write there: the directory \/nonexistent-dir does not exist/,
    ],
    ['/proc/r.html', /--html \/proc\/r.html: cannot write there/],
    [os.tmpdir(), /cannot write there: it is a directory/],
  ])('%s is refused as bad input, with the flag and why', async (file, message) => {
    await expect(writableOutput('html', file, ctx('/'))).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringMatching(message),
    });
  });
});
