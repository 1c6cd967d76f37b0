/**
 * Files a command writes its report to (--html): checked before any host is contacted, so a typo in
 * the path costs nothing; written at the end.
 */
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import type { CliContext } from './context.js';

/** The flag's path, resolved; an input error when it cannot be written there. */
export async function writableOutput(flag: string, file: string, ctx: CliContext): Promise<string> {
  const full = path.resolve(ctx.cwd, file);
  const dir = path.dirname(full);
  const refuse = (why: string) =>
    new LabError('input', `--${flag} ${file}: cannot write there: ${why}`, {
      file: full,
      hint: `name a file in a directory that exists and you may write to, e.g. --${flag} report.html`,
    });
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat) throw refuse(`the directory ${dir} does not exist`);
  if (!dirStat.isDirectory()) throw refuse(`${dir} is not a directory`);
  const fileStat = await stat(full).catch(() => undefined);
  if (fileStat?.isDirectory()) throw refuse('it is a directory');
  // Opened for writing, as it will be (root passes every permission check, /proc takes no new
  // files): an existing file is left as it is, a new one is removed again.
  const handle = await open(full, fileStat ? 'r+' : 'wx').catch((err: NodeJS.ErrnoException) => {
    throw refuse(
      err.code === 'EROFS'
        ? 'the file system is read-only'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : (err.code ?? err.message),
    );
  });
  await handle.close();
  if (!fileStat) await rm(full, { force: true });
  return full;
}
