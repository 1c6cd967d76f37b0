import { readFile, writeFile } from 'node:fs/promises';
import { runChecked, type Runner } from '../system/runner.js';
import { writeTar, type TarEntry } from './tar-writer.js';

/** `docker import` changes for the image: a shell by default, like the usual busybox image. */
export const IMAGE_CHANGES = ['CMD ["/bin/sh"]'];

/**
 * The image's root filesystem: /bin/busybox plus one symlink per applet (ping, ip, nc, wget, httpd,
 * sh, sleep, …), the usual empty top-level directories and a root user.
 */
export function busyboxRootfs(busybox: Buffer, applets: readonly string[]): TarEntry[] {
  const dirs: [string, number][] = [
    ['bin', 0o755],
    ['dev', 0o755],
    ['etc', 0o755],
    ['proc', 0o755],
    ['root', 0o700],
    ['sys', 0o755],
    ['tmp', 0o1777],
    ['var', 0o755],
    ['var/www', 0o755],
  ];
  const names = [...new Set(applets)]
    .filter((name) => /^[\w.[-]+$/.test(name) && name !== 'busybox')
    .sort();
  return [
    ...dirs.map(([path, mode]): TarEntry => ({ type: 'dir', path, mode })),
    { type: 'file', path: 'bin/busybox', mode: 0o755, content: busybox },
    ...names.map((name): TarEntry => ({ type: 'symlink', path: `bin/${name}`, target: 'busybox' })),
    {
      type: 'file',
      path: 'etc/passwd',
      mode: 0o644,
      content: Buffer.from('root:x:0:0:root:/root:/bin/sh\n'),
    },
    { type: 'file', path: 'etc/group', mode: 0o644, content: Buffer.from('root:x:0:\n') },
  ];
}

/** Builds the image tar from the machine's busybox-static and writes it to `tarFile`. */
export async function buildBusyboxImageTar(
  runner: Runner,
  busyboxPath: string,
  tarFile: string,
): Promise<void> {
  const [binary, list] = await Promise.all([
    readFile(busyboxPath),
    runChecked(runner, [busyboxPath, '--list'], 'listing busybox applets', {
      kind: 'prerequisite',
    }),
  ]);
  const applets = list.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  await writeFile(tarFile, writeTar(busyboxRootfs(binary, applets)), { mode: 0o600 });
}
