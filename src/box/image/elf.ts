/**
 * Whether an ELF executable is statically linked (has no PT_INTERP program header). The busybox
 * image has no libc, so only busybox-static's binary runs in it; Debian's plain `busybox` does not.
 */
export function isStaticElf(binary: Buffer): boolean {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = binary[4] === 2;
  const little = binary[5] === 1;
  const u16 = (at: number) => (little ? binary.readUInt16LE(at) : binary.readUInt16BE(at));
  const u32 = (at: number) => (little ? binary.readUInt32LE(at) : binary.readUInt32BE(at));
  const u64 = (at: number) =>
    Number(little ? binary.readBigUInt64LE(at) : binary.readBigUInt64BE(at));
  const phoff = is64 ? u64(0x20) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > binary.length) return false;
    if (u32(at) === PT_INTERP) return false;
  }
  return true;
}
