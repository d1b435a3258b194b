// Tests finding the compressed payload of a bzImage and recognising a kernel ELF that QEMU can boot through PVH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeKernelElf } from '../../src/platform/initramfs/elf.test-support.js';
import { bzImagePayload, hasPvhEntry } from './kernel-image.js';

function fakeBzImage(payload: Buffer, setupSects = 2, version = 0x20f): Buffer {
  const payloadOffset = 16;
  const sects = setupSects === 0 ? 4 : setupSects;
  const image = Buffer.alloc((sects + 1) * 512 + payloadOffset + payload.length + 8);
  image[0x1f1] = setupSects;
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(version, 0x206);
  image.writeUInt32LE(payloadOffset, 0x248);
  image.writeUInt32LE(payload.length, 0x24c);
  payload.copy(image, (sects + 1) * 512 + payloadOffset);
  return image;
}

test('bzImagePayload returns exactly the bytes the header points at', () => {
  const payload = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]);
  assert.deepEqual(bzImagePayload(fakeBzImage(payload)), payload);
  assert.deepEqual(bzImagePayload(fakeBzImage(payload, 0)), payload, 'setup_sects 0 means 4');
});

test('bzImagePayload refuses what is not a bzImage of boot protocol 2.08+, or points outside the file', () => {
  const payload = Buffer.from('xyz');
  assert.equal(bzImagePayload(Buffer.alloc(4096)), null);
  assert.equal(bzImagePayload(fakeBzImage(payload, 2, 0x207)), null);
  const broken = fakeBzImage(payload);
  broken.writeUInt32LE(1 << 30, 0x24c);
  assert.equal(bzImagePayload(broken), null);
});

test('hasPvhEntry needs the Xen PHYS32_ENTRY note (type 18) in a PT_NOTE segment', () => {
  assert.ok(hasPvhEntry(fakeKernelElf([{ owner: 'Xen', type: 6 }, { owner: 'Xen', type: 18 }])));
  assert.ok(!hasPvhEntry(fakeKernelElf([{ owner: 'Xen', type: 6 }])));
  assert.ok(!hasPvhEntry(fakeKernelElf([{ owner: 'GNU', type: 18 }])));
  assert.ok(!hasPvhEntry(Buffer.from('not an elf at all, but long enough to have a header of sixty-four bytes')));
});
