// Owns turning Debian's compressed kernel (bzImage) into the form QEMU boots fastest: the uncompressed ELF with its PVH entry.
//
// Why: Debian compresses the kernel with XZ, and under TCG the kernel's own decompressor takes ~8 s of a ~13 s
// boot. QEMU boots an ELF vmlinux that carries the Xen PVH entry note (Debian has CONFIG_PVH=y) directly, with
// the same -initrd and -append, in well under a second. The builder unpacks the payload once, on the host.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../src/platform/process/run-command.js';

export type KernelFormat = 'elf-pvh' | 'bzimage';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
/** XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit PVH entry point QEMU looks for. */
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

/** The compressed payload of a bzImage (boot protocol 2.08+), or null when the file is not one. */
export function bzImagePayload(untrustedImage: Buffer): Buffer | null {
  if (untrustedImage.length < 0x250 || untrustedImage.toString('latin1', 0x202, 0x206) !== 'HdrS') return null;
  if (untrustedImage.readUInt16LE(0x206) < 0x208) return null;
  const setupSects = untrustedImage[0x1f1] || 4;
  const offset = (setupSects + 1) * 512 + untrustedImage.readUInt32LE(0x248);
  const length = untrustedImage.readUInt32LE(0x24c);
  if (length === 0 || offset + length > untrustedImage.length) return null;
  return untrustedImage.subarray(offset, offset + length);
}

/** True when the buffer is an ELF64 little-endian executable with a Xen PVH entry note in a PT_NOTE segment. */
export function hasPvhEntry(untrustedElf: Buffer): boolean {
  const b = untrustedElf;
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return false;
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (phentsize < 56 || ph + 56 > b.length) return false;
    if (b.readUInt32LE(ph) !== 4) continue; // PT_NOTE
    let at = Number(b.readBigUInt64LE(ph + 8));
    const end = Math.min(b.length, at + Number(b.readBigUInt64LE(ph + 32)));
    while (at + 12 <= end) {
      const namesz = b.readUInt32LE(at);
      const descsz = b.readUInt32LE(at + 4);
      const type = b.readUInt32LE(at + 8);
      const name = b.toString('latin1', at + 12, at + 12 + Math.max(0, namesz - 1));
      if (name === 'Xen' && type === XEN_ELFNOTE_PHYS32_ENTRY) return true;
      at += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
    }
  }
  return false;
}

export type FastKernel = { readonly ok: true; readonly elf: Buffer } | { readonly ok: false; readonly reason: string };

/**
 * The uncompressed PVH kernel inside a bzImage, or why there is none (then the bzImage itself is used:
 * slower to boot, never wrong). Uses `xz` (xz-utils) on a temporary copy of the payload in workDir.
 */
export async function extractPvhKernel(bzImagePath: string, workDir: string): Promise<FastKernel> {
  const payload = bzImagePayload(await readFile(bzImagePath));
  if (payload === null) return { ok: false, reason: 'not a bzImage with a payload' };
  if (!payload.subarray(0, XZ_MAGIC.length).equals(XZ_MAGIC)) return { ok: false, reason: 'the kernel payload is not XZ-compressed' };
  const packed = join(workDir, 'vmlinux.xz');
  await writeFile(packed, payload);
  // --single-stream: the payload ends with 4 bytes of size after the XZ stream.
  const xz = await runCommand(['xz', '-d', '-k', '-f', '--single-stream', packed], { deadlineMs: 120_000 });
  if (xz.code !== 0) return { ok: false, reason: `xz failed (${xz.errorMessage ?? xz.stderr.trim()}); install xz-utils` };
  const elf = await readFile(join(workDir, 'vmlinux'));
  if (!hasPvhEntry(elf)) return { ok: false, reason: 'the kernel has no PVH entry note' };
  return { ok: true, elf };
}
