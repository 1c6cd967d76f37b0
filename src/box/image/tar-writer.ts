import { LabError } from '../../common/errors.js';

/**
 * A minimal ustar writer for the busybox image's root filesystem: directories, regular files and
 * symlinks, all owned by root. Enough for `docker import`, and it spares a staging directory and a
 * `tar` process.
 */
export type TarEntry =
  | { type: 'dir'; path: string; mode: number }
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width includes the terminating NUL
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = entry.type === 'dir' ? `${entry.path.replace(/\/$/, '')}/` : entry.path;
  if (Buffer.byteLength(name) > 100) throw new LabError('input', `tar path too long: ${name}`);
  block.write(name, 0, 'utf8');
  const mode = entry.type === 'symlink' ? 0o777 : entry.mode;
  block.write(octal(mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.type === 'file' ? entry.content.length : 0, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(entry.type === 'file' ? '0' : entry.type === 'symlink' ? '2' : '5', 156, 'ascii');
  if (entry.type === 'symlink') block.write(entry.target, 157, 'utf8');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}

export function writeTar(entries: readonly TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime));
    if (entry.type === 'file') {
      parts.push(entry.content);
      const padding = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      parts.push(Buffer.alloc(padding));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
