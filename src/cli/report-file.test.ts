import { chmod, mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { checkReportPath, codeAfterReport, writeReport } from './report-file.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as LabError,
  );

describe('report paths are checked before any host is touched', () => {
  it('a directory that does not exist', async () => {
    const err = await failure(checkReportPath('transcript', '/nonexistent-dir/x.md', '/'));
    expect(err?.kind).toBe('input');
    expect(err?.describe()).toBe(
      '--transcript /nonexistent-dir/x.md: the directory /nonexistent-dir does not exist' +
        '\n  hint: nothing was run; write the report to a directory that exists and you may write to',
    );
  });

  it('a directory given as the file', async () => {
    const err = await failure(checkReportPath('junit', os.tmpdir(), '/'));
    expect(err?.message).toBe(`--junit ${os.tmpdir()} is a directory; give a file name`);
  });

  it('a relative path is resolved against the working directory and returned whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-report-'));
    expect(await checkReportPath('junit', 'out.xml', dir)).toBe(path.join(dir, 'out.xml'));
  });

  it.skipIf(process.getuid?.() === 0)('a directory that is not writable', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-report-'));
    await chmod(dir, 0o500);
    const err = await failure(checkReportPath('transcript', path.join(dir, 'x.md'), '/'));
    expect(err?.message).toMatch(/is not writable$/);
  });
});

describe('one check for every report flag (--transcript, --junit, --html)', () => {
  it('is resolved, and checking it leaves nothing behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-out-'));
    expect(await checkReportPath('html', 'r.html', dir)).toBe(path.join(dir, 'r.html'));
    expect(await readdir(dir)).toEqual([]);
    await writeFile(path.join(dir, 'old.html'), 'kept');
    await checkReportPath('html', 'old.html', dir);
    expect(await readdir(dir)).toEqual(['old.html']);
  });

  it.each([
    [
      '/nonexistent-dir/r.html',
      /^--html \/nonexistent-dir\/r.html: the directory \/nonexistent-dir does not exist$/,
    ],
    // Opened, not only permission-checked: root may "write" to /proc, yet no file can be made there.
    [
      '/proc/r.html',
      /^--html \/proc\/r.html: cannot write there \(.+\): the directory \/proc is not writable$/,
    ],
    [os.tmpdir(), /is a directory; give a file name$/],
  ])('%s is refused as bad input, with the flag and why', async (file, message) => {
    await expect(checkReportPath('html', file, '/')).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringMatching(message),
    });
  });
});

describe('a report that cannot be written does not lose the verdict', () => {
  it('writeReport returns the error instead of throwing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-report-'));
    await mkdir(path.join(dir, 'gone'));
    const file = path.join(dir, 'gone', 'x.md');
    await checkReportPath('transcript', file, '/');
    await rm(path.join(dir, 'gone'), { recursive: true });
    const err = await writeReport('transcript', file, 'text');
    expect(err?.message).toMatch(
      new RegExp(`^the transcript could not be written to ${file}: ENOENT`),
    );
    expect(err?.context.hint).toBe(
      'the verdict above stands; the report file is missing or incomplete',
    );
  });

  it('a written report is no error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-report-'));
    await writeFile(path.join(dir, 'x.md'), 'old');
    expect(await writeReport('transcript', path.join(dir, 'x.md'), 'new')).toBeUndefined();
  });

  it('the exit code stays truthful: a pass whose report failed is 3; a fail stays 1', () => {
    const err = new LabError('input', 'x');
    expect(codeAfterReport(0, err)).toBe(3);
    expect(codeAfterReport(1, err)).toBe(1);
    expect(codeAfterReport(130, err)).toBe(130);
    expect(codeAfterReport(0, undefined)).toBe(0);
  });
});
