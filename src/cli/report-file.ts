/**
 * Report files (--transcript, --junit, --html): checked writable before any host is touched, and written so
 * that a failure to write never loses the verdict (the verdict is printed first, then the error).
 */
import { constants } from 'node:fs';
import { access, open, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import { ExitCode } from './context.js';

const NOTHING_RUN =
  'nothing was run; write the report to a directory that exists and you may write to';

/** The report's absolute path, or an input error saying why it could not be written. */
export async function checkReportPath(flag: string, file: string, cwd: string): Promise<string> {
  if (file.trim() === '')
    throw new LabError('input', `--${flag} names no file`, { hint: NOTHING_RUN });
  const full = path.resolve(cwd, file);
  const dir = path.dirname(full);
  const info = await stat(full).catch(() => undefined);
  if (info?.isDirectory()) {
    throw new LabError('input', `--${flag} ${file} is a directory; give a file name`, {
      hint: NOTHING_RUN,
    });
  }
  if (info && !info.isFile()) {
    throw new LabError('input', `--${flag} ${file} is not a regular file`, { hint: NOTHING_RUN });
  }
  const dirInfo = await stat(dir).catch(() => undefined);
  if (!dirInfo) {
    throw new LabError('input', `--${flag} ${file}: the directory ${dir} does not exist`, {
      hint: NOTHING_RUN,
    });
  }
  if (!dirInfo.isDirectory()) {
    throw new LabError('input', `--${flag} ${file}: ${dir} is not a directory`, {
      hint: NOTHING_RUN,
    });
  }
  // Opened for writing, as it will be: a permission check would pass for root even where no file
  // can be made (/proc). An existing file is left as it is, a new one is removed again.
  const handle = await open(full, info ? 'r+' : 'wx').catch((err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'EROFS'
        ? 'the file system is read-only'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : (err.code ?? err.message);
    throw new LabError(
      'input',
      `--${flag} ${file}: cannot write there (${why}): ${info ? 'the file' : `the directory ${dir}`} is not writable`,
      { file: full, hint: NOTHING_RUN },
    );
  });
  await handle.close();
  if (!info) await rm(full, { force: true });
  return full;
}

/** A directory reports go into (`--transcript-dir`): it must exist and be writable; its absolute path. */
export async function checkReportDir(flag: string, dir: string, cwd: string): Promise<string> {
  if (dir.trim() === '')
    throw new LabError('input', `--${flag} names no directory`, { hint: NOTHING_RUN });
  const full = path.resolve(cwd, dir);
  const info = await stat(full).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new LabError(
      'input',
      `--${flag} ${dir}: ${info ? 'not a directory' : 'the directory does not exist'}`,
      { hint: NOTHING_RUN },
    );
  }
  try {
    await access(full, constants.W_OK);
  } catch {
    throw new LabError('input', `--${flag} ${dir}: the directory is not writable`, {
      hint: NOTHING_RUN,
    });
  }
  return full;
}

/** Writes a report; a failure comes back as a LabError to print after the verdict, never thrown. */
export async function writeReport(
  flag: string,
  file: string,
  content: string,
): Promise<LabError | undefined> {
  try {
    await writeFile(file, content);
    return undefined;
  } catch (err) {
    return new LabError(
      'input',
      `the ${flag} could not be written to ${file}: ${(err as Error).message}`,
      { file, hint: 'the verdict above stands; the report file is missing or incomplete' },
      { cause: err },
    );
  }
}

/** A run that passed but whose report was not written did not do all it was asked: exit 3. */
export function codeAfterReport(code: number, failed: LabError | undefined): number {
  return failed && code === ExitCode.ok ? ExitCode.hostError : code;
}
