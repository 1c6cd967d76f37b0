import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../common/errors.js';
import { runChecked, type Runner } from '../system/runner.js';

/** Debian's archive when the machine's own apt sources name none. */
export const DEFAULT_DEBIAN_ARCHIVE = 'http://deb.debian.org/debian';
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export interface DebianFetch {
  runner: Runner;
  /** Private apt state for this suite: sources list, lists, cache and an empty dpkg status. */
  aptDir: string;
  archive: string;
  suite: string;
  /** Where the .deb lands. */
  downloadDir: string;
}

/**
 * apt-get options that keep apt away from the machine's own state: its sources, its package lists,
 * its cache and its dpkg status are all the private ones. The machine's apt.conf.d (proxies …) still
 * applies, as it would to any apt-get there.
 */
export function privateAptOptions(aptDir: string): string[] {
  return [
    ['Dir::Etc::sourcelist', join(aptDir, 'sources.list')],
    ['Dir::Etc::sourceparts', '/dev/null'],
    ['Dir::State::Lists', join(aptDir, 'lists')],
    ['Dir::Cache', join(aptDir, 'cache')],
    ['Dir::State::status', join(aptDir, 'status')],
    // Our files are root's, in a 0700 directory: apt's _apt sandbox user could not write them.
    ['APT::Sandbox::User', 'root'],
    // Locks of the private lists and cache only; the machine's dpkg lock is not ours to take.
    ['Debug::NoLocking', 'true'],
  ].flatMap(([name, value]) => ['-o', `${name}=${value}`]);
}

export function sourcesLine(archive: string, suite: string): string {
  return `deb [signed-by=${DEBIAN_KEYRING}] ${archive} ${suite} main\n`;
}

/** Downloads one package of a suite as .deb (never installs it) and returns the file's path. */
export async function downloadDebianPackage(fetch: DebianFetch, name: string): Promise<string> {
  const { aptDir, runner } = fetch;
  await Promise.all([
    mkdir(join(aptDir, 'lists', 'partial'), { recursive: true, mode: 0o700 }),
    mkdir(join(aptDir, 'cache', 'archives', 'partial'), { recursive: true, mode: 0o700 }),
    mkdir(fetch.downloadDir, { recursive: true, mode: 0o700 }),
  ]);
  await writeFile(join(aptDir, 'sources.list'), sourcesLine(fetch.archive, fetch.suite));
  await writeFile(join(aptDir, 'status'), '');
  const options = privateAptOptions(aptDir);
  const what = `fetching ${name} from Debian ${fetch.suite} (${fetch.archive})`;
  await runChecked(runner, ['apt-get', ...options, '-q', 'update'], `${what}: apt-get update`, {
    kind: 'prerequisite',
  });
  // apt-get download writes into its working directory; `sh -c 'cd …'` leaves ours alone.
  await runChecked(
    runner,
    [
      'sh',
      '-c',
      'dir=$1; shift; cd "$dir" && exec apt-get "$@"',
      'sh',
      fetch.downloadDir,
      ...options,
      '-q',
      'download',
      name,
    ],
    `${what}: apt-get download`,
    { kind: 'prerequisite' },
  );
  const debs = (await readdir(fetch.downloadDir)).filter(
    (file) => file.startsWith(`${name}_`) && file.endsWith('.deb'),
  );
  if (debs.length !== 1) {
    throw new LabError(
      'prerequisite',
      `${what}: expected one ${name}_*.deb, found ${debs.length}`,
      {
        file: fetch.downloadDir,
      },
    );
  }
  return join(fetch.downloadDir, debs[0]!);
}

/**
 * The archive the machine's own apt sources name for Debian (deb822 `URIs:` or a `deb` line), so
 * the fetch goes where the machine's apt goes (a mirror, a proxy); Debian's own archive otherwise.
 */
export function debianArchiveOf(sourcesTexts: readonly string[]): string {
  for (const text of sourcesTexts) {
    for (const line of text.split('\n')) {
      const uri =
        /^\s*URIs:\s*(\S+)/i.exec(line)?.[1] ?? /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line)?.[1];
      if (uri && /\/debian\/?$/.test(uri)) return uri.replace(/\/$/, '');
    }
  }
  return DEFAULT_DEBIAN_ARCHIVE;
}

/** Reads the machine's apt sources (read only) for debianArchiveOf. */
export async function machineAptSources(etcApt = '/etc/apt'): Promise<string[]> {
  const texts: string[] = [];
  const read = (file: string) =>
    readFile(file, 'utf8').then(
      (t) => texts.push(t),
      () => 0,
    );
  await read(join(etcApt, 'sources.list'));
  const parts = await readdir(join(etcApt, 'sources.list.d')).catch(() => [] as string[]);
  for (const file of parts.sort()) {
    if (file.endsWith('.list') || file.endsWith('.sources'))
      await read(join(etcApt, 'sources.list.d', file));
  }
  return texts;
}
