import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../../common/errors.js';
import {
  addEntry,
  tokeniseSshConfig,
  type Block,
  type Condition,
  type SshConfig,
} from './ssh-config.js';

/** OpenSSH's READCONF_MAX_DEPTH: deeper is "Too many recursive configuration includes". */
export const MAX_INCLUDE_DEPTH = 16;

/** The file system as the reader needs it; the real one by default, a fake in tests. */
export interface ConfigFiles {
  /** The user's home: `~` and relative Include paths (which live in ~/.ssh) hang off it. */
  home: string;
  /** The text, or undefined when there is no such file (ENOENT: ssh skips those silently). */
  read(file: string): Promise<string | undefined>;
  /** Names in a directory (none when it does not exist), and whether a path is a directory. */
  list(dir: string): Promise<string[]>;
  isDirectory(file: string): Promise<boolean>;
}

export function realConfigFiles(home: string): ConfigFiles {
  return {
    home,
    read: (file) =>
      readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      }),
    list: (dir) => readdir(dir).catch(() => []),
    isDirectory: (file) =>
      stat(file).then(
        (s) => s.isDirectory(),
        () => false,
      ),
  };
}

/**
 * An ssh_config file with its Includes followed as OpenSSH follows them (ssh_config(5), readconf.c):
 * paths may hold glob wildcards and `~`; relative ones live in ~/.ssh (lab reads user configurations
 * only, and ssh treats `-F FILE` as one too); matches are read in lexical order; a pattern that
 * matches nothing, and a missing file, are skipped; an Include inside a Host or Match section
 * applies only where that section does, and an included file's own sections do not change the
 * including one. Deeper than 16 files is refused (a file that includes itself ends there).
 */
export async function readSshConfigFile(
  file: string,
  label: string,
  files: ConfigFiles,
): Promise<SshConfig> {
  const text = await files.read(file);
  if (text === undefined) {
    throw new LabError('input', `cannot read the ssh_config ${file}: ENOENT`, {
      hint: '--ssh-config FILE names another one; --ssh-config none reads none',
    });
  }
  return { file: label, blocks: await blocksOf(text, label, files, [], 0) };
}

async function blocksOf(
  text: string,
  label: string,
  files: ConfigFiles,
  outer: readonly Condition[],
  depth: number,
): Promise<Block[]> {
  const blocks: Block[] = [{ conditions: outer, directives: [] }];
  let current = outer;
  for (const entry of tokeniseSshConfig(text, label)) {
    if (entry.kind !== 'include') {
      addEntry(blocks, entry, outer);
      if (entry.kind === 'section') current = [...outer, entry.condition];
      continue;
    }
    if (depth + 1 > MAX_INCLUDE_DEPTH) {
      throw new LabError(
        'input',
        `Include nested more than ${MAX_INCLUDE_DEPTH} files deep (does a file include itself?)`,
        { file: label, line: entry.line },
      );
    }
    for (const pattern of entry.paths) {
      for (const match of await expandInclude(pattern, files)) {
        const included = await files.read(match).catch((err: unknown) => {
          throw new LabError(
            'input',
            `Include ${pattern}: cannot read ${match}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
            { file: label, line: entry.line },
            { cause: err },
          );
        });
        if (included === undefined) continue;
        blocks.push(...(await blocksOf(included, match, files, current, depth + 1)));
      }
    }
    // The rest of the including section goes on under its own conditions.
    blocks.push({ conditions: current, directives: [] });
  }
  return blocks;
}

/** An Include path anchored as in a user configuration, then its wildcards, in lexical order. */
export async function expandInclude(pattern: string, files: ConfigFiles): Promise<string[]> {
  const anchored =
    pattern === '~' || pattern.startsWith('~/')
      ? path.join(files.home, pattern.slice(1))
      : path.isAbsolute(pattern)
        ? pattern
        : path.join(files.home, '.ssh', pattern);
  let found = ['/'];
  for (const segment of anchored.split('/').filter((s) => s !== '')) {
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?[]/.test(segment)) {
        next.push(path.join(dir, segment));
        continue;
      }
      const re = globSegment(segment);
      for (const name of (await files.list(dir)).sort()) {
        if (re.test(name)) next.push(path.join(dir, name));
      }
    }
    found = next;
  }
  const out: string[] = [];
  for (const file of found.sort()) if (!(await files.isDirectory(file))) out.push(file);
  return out;
}

/** glob(7) for one path segment: `*`, `?`, `[…]`; a leading dot must be matched by a dot. */
function globSegment(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(segment.startsWith('.') ? `^${re}$` : `^(?!\\.)${re}$`);
}
