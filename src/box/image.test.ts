import { describe, expect, it } from 'vitest';
import { busyboxRootfs } from './image/busybox-image.js';
import { isStaticElf } from './image/elf.js';
import { writeTar } from './image/tar-writer.js';

function field(block: Buffer, offset: number, length: number): string {
  return block
    .subarray(offset, offset + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');
}

describe('tar writer', () => {
  const tar = writeTar([
    { type: 'dir', path: 'bin', mode: 0o755 },
    { type: 'file', path: 'bin/busybox', mode: 0o755, content: Buffer.from('#!binary') },
    { type: 'symlink', path: 'bin/ping', target: 'busybox' },
  ]);

  it('writes 512-byte ustar headers with valid checksums, then data, then two empty blocks', () => {
    expect(tar.length).toBe(512 * (1 + 2 + 1 + 2));
    const headers = [0, 512, 1536].map((at) => tar.subarray(at, at + 512));
    expect(headers.map((h) => field(h, 0, 100))).toEqual(['bin/', 'bin/busybox', 'bin/ping']);
    expect(headers.map((h) => field(h, 156, 1))).toEqual(['5', '0', '2']);
    expect(field(headers[2]!, 157, 100)).toBe('busybox');
    expect(field(headers[1]!, 124, 12)).toBe('00000000010');
    expect(field(headers[0]!, 257, 6)).toBe('ustar');
    for (const header of headers) {
      const stored = Number.parseInt(field(header, 148, 8).trim(), 8);
      const copy = Buffer.from(header);
      copy.write('        ', 148, 'ascii');
      expect(copy.reduce((sum, byte) => sum + byte, 0)).toBe(stored);
    }
    expect(tar.subarray(1024, 1032).toString()).toBe('#!binary');
    expect(tar.subarray(-1024).every((byte) => byte === 0)).toBe(true);
  });
});

describe('busybox root filesystem', () => {
  it('links every applet to /bin/busybox and has the usual directories', () => {
    const entries = busyboxRootfs(Buffer.from('elf'), [
      'ping',
      'ip',
      'nc',
      'wget',
      'httpd',
      'sh',
      'busybox',
      'ping',
    ]);
    const paths = entries.map((entry) => entry.path);
    for (const dir of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev']) expect(paths).toContain(dir);
    expect(entries.filter((entry) => entry.type === 'symlink').map((entry) => entry.path)).toEqual([
      'bin/httpd',
      'bin/ip',
      'bin/nc',
      'bin/ping',
      'bin/sh',
      'bin/wget',
    ]);
    expect(entries.find((entry) => entry.path === 'tmp')).toMatchObject({ mode: 0o1777 });
  });
});

describe('static ELF detection', () => {
  function elf64(programHeaderTypes: number[]): Buffer {
    const phoff = 64;
    const buffer = Buffer.alloc(phoff + 56 * programHeaderTypes.length);
    buffer.writeUInt32BE(0x7f454c46, 0);
    buffer[4] = 2; // 64-bit
    buffer[5] = 1; // little-endian
    buffer.writeBigUInt64LE(BigInt(phoff), 0x20);
    buffer.writeUInt16LE(56, 0x36);
    buffer.writeUInt16LE(programHeaderTypes.length, 0x38);
    programHeaderTypes.forEach((type, i) => buffer.writeUInt32LE(type, phoff + i * 56));
    return buffer;
  }

  it('knows a dynamic binary by its PT_INTERP header', () => {
    expect(isStaticElf(elf64([6, 3, 1]))).toBe(false);
    expect(isStaticElf(elf64([1, 1, 4]))).toBe(true);
    expect(isStaticElf(Buffer.from('#!/bin/sh\n'))).toBe(false);
  });
});
