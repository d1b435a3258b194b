// Owns tiny synthetic ELF64 files for the builder tests: a kernel module with a .modinfo section, a kernel with PT_NOTE notes.

/** A relocatable ELF64 (like a .ko) whose .modinfo holds the given "key=value" strings; `junk` goes in another section. */
export function fakeKo(modinfo: readonly string[], junk = ''): Buffer {
  const info = Buffer.from(modinfo.map((s) => `${s}\0`).join(''), 'latin1');
  const other = Buffer.from(`${junk}\0`, 'latin1');
  const shstr = Buffer.from('\0.modinfo\0.rodata\0.shstrtab\0', 'latin1');
  const infoAt = 64;
  const otherAt = infoAt + info.length;
  const shstrAt = otherAt + other.length;
  const shoff = Math.ceil((shstrAt + shstr.length) / 8) * 8;
  const out = Buffer.alloc(shoff + 4 * 64);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out.writeUInt16LE(1, 0x10); // ET_REL
  out.writeUInt16LE(62, 0x12); // x86-64
  out.writeUInt32LE(1, 0x14);
  out.writeBigUInt64LE(BigInt(shoff), 0x28);
  out.writeUInt16LE(64, 0x34);
  out.writeUInt16LE(64, 0x3a);
  out.writeUInt16LE(4, 0x3c);
  out.writeUInt16LE(3, 0x3e);
  info.copy(out, infoAt);
  other.copy(out, otherAt);
  shstr.copy(out, shstrAt);
  const section = (i: number, name: number, type: number, offset: number, size: number): void => {
    const at = shoff + i * 64;
    out.writeUInt32LE(name, at);
    out.writeUInt32LE(type, at + 4);
    out.writeBigUInt64LE(BigInt(offset), at + 24);
    out.writeBigUInt64LE(BigInt(size), at + 32);
  };
  section(1, 1, 1, infoAt, info.length); // .modinfo (PROGBITS)
  section(2, 10, 1, otherAt, other.length); // .rodata
  section(3, 18, 3, shstrAt, shstr.length); // .shstrtab (STRTAB)
  return out;
}

/** An executable ELF64 with one PT_NOTE segment holding the given notes (owner, type). */
export function fakeKernelElf(notes: readonly { owner: string; type: number; desc?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const n of notes) {
    const name = Buffer.from(`${n.owner}\0`);
    const desc = n.desc ?? Buffer.alloc(4);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(name.length, 0);
    head.writeUInt32LE(desc.length, 4);
    head.writeUInt32LE(n.type, 8);
    const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
    parts.push(head, pad(name), pad(desc));
  }
  const noteData = Buffer.concat(parts);
  const phoff = 64;
  const noteAt = phoff + 2 * 56;
  const out = Buffer.alloc(noteAt + noteData.length);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out.writeUInt16LE(2, 0x10); // ET_EXEC
  out.writeUInt16LE(62, 0x12);
  out.writeBigUInt64LE(BigInt(phoff), 0x20);
  out.writeUInt16LE(56, 0x36);
  out.writeUInt16LE(2, 0x38);
  out.writeUInt32LE(1, phoff); // PT_LOAD first, to show it is skipped
  out.writeUInt32LE(4, phoff + 56); // PT_NOTE
  out.writeBigUInt64LE(BigInt(noteAt), phoff + 56 + 8);
  out.writeBigUInt64LE(BigInt(noteData.length), phoff + 56 + 32);
  noteData.copy(out, noteAt);
  return out;
}
