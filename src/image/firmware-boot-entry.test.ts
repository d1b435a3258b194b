// Tests the firmware boot entry: EFI_LOAD_OPTION bytes (exact, from the UEFI spec), decoding untrusted options, and Boot#### + BootOrder written into a directory standing in for efivarfs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  decodeLoadOption,
  efiBytesToGuid,
  EFI_GLOBAL_VARIABLE_GUID,
  encodeLoadOption,
  guidToEfiBytes,
  writeFirmwareBootEntry,
  type LoadOptionInput,
} from './firmware-boot-entry.js';

const root = mkdtempSync(join(tmpdir(), 'rayos-firmware-entry-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshEfivars = (): string => {
  const dir = join(root, `efivars-${++counter}`);
  mkdirSync(dir);
  return dir;
};

const LOADER = '\\EFI\\systemd\\systemd-bootx64.efi';
const ESP = { number: 1, startLba: 2048, sizeLba: 1048576, partUuid: '12345678-9abc-def0-1122-334455667788' };
const RAYOS: LoadOptionInput = { description: 'RayOS', partition: ESP, loaderPath: LOADER };

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const u16s = (...numbers: number[]): Buffer => {
  const b = Buffer.alloc(numbers.length * 2);
  numbers.forEach((n, i) => b.writeUInt16LE(n, i * 2));
  return b;
};
const withAttributes = (data: Buffer, attributes = 7): Buffer => Buffer.concat([hex(`0${attributes}000000`), data]);
const varFile = (efivars: string, name: string): string => join(efivars, `${name}-${EFI_GLOBAL_VARIABLE_GUID}`);
const setVar = (efivars: string, name: string, data: Buffer, attributes = 7): void => writeFileSync(varFile(efivars, name), withAttributes(data, attributes));
const readVar = (efivars: string, name: string): Buffer | null => (existsSync(varFile(efivars, name)) ? readFileSync(varFile(efivars, name)).subarray(4) : null);
const bootOrder = (efivars: string): number[] => {
  const data = readVar(efivars, 'BootOrder') ?? Buffer.alloc(0);
  return Array.from({ length: data.length / 2 }, (_, i) => data.readUInt16LE(i * 2));
};

test('a GUID in EFI byte order: the first three fields little-endian, the last two as written', () => {
  // The EFI global variable GUID 8be4df61-93ca-11d2-aa0d-00e098032b8c is stored 61 df e4 8b | ca 93 | d2 11 | aa 0d | 00 e0 98 03 2b 8c.
  assert.deepEqual(guidToEfiBytes(EFI_GLOBAL_VARIABLE_GUID), hex('61dfe48b ca93 d211 aa0d 00e098032b8c'));
  assert.equal(efiBytesToGuid(hex('61dfe48b ca93 d211 aa0d 00e098032b8c')), EFI_GLOBAL_VARIABLE_GUID);
  assert.equal(efiBytesToGuid(guidToEfiBytes('C12A7328-F81F-11D2-BA4B-00A0C93EC93B')), 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b');
  assert.throws(() => guidToEfiBytes('not-a-guid'), RangeError);
});

test('the exact bytes of a small load option, laid out by hand from UEFI spec §3.1.3 and §10.3.5', () => {
  const bytes = encodeLoadOption({ description: 'R', partition: { number: 1, startLba: 0x800, sizeLba: 0x100000, partUuid: '12345678-9abc-def0-1122-334455667788' }, loaderPath: '\\a.efi' });
  const expected = hex(
    [
      '01000000', // Attributes, u32 LE: LOAD_OPTION_ACTIVE
      '4000', // FilePathListLength, u16 LE: 42 (HD) + 18 (File) + 4 (End) = 64
      '5200 0000', // Description: "R" in UCS-2, then NUL
      '04 01 2a00', // HD node: type 4 (media), subtype 1 (hard drive), length 42
      '01000000', //   PartitionNumber, u32: 1
      '0008000000000000', //   PartitionStart, u64 LBA: 0x800
      '0000100000000000', //   PartitionSize, u64 LBA: 0x100000
      '78563412 bc9a f0de 1122 334455667788', //   PartitionSignature: GUID 12345678-9abc-def0-1122-334455667788 in EFI order
      '02', //   MBRType: 2 (GPT)
      '02', //   SignatureType: 2 (GUID)
      '04 04 1200', // File path node: type 4 (media), subtype 4 (file path), length 4 + 14
      '5c00 6100 2e00 6500 6600 6900 0000', //   "\a.efi" in UCS-2, then NUL
      '7f ff 0400', // End of entire device path, length 4
    ].join(''),
  );
  assert.equal(expected.length, 74);
  assert.deepEqual(bytes, expected);
});

test('Boot0000 and BootOrder are byte for byte what bootctl install (systemd 252) writes for the same ESP', async () => {
  // Captured from `bootctl install --esp-path=/efi` (systemd 252.39, Debian 12) into an empty efivars, for partition 1
  // of a GPT disk: start 2048, 131072 sectors, PARTUUID 12345678-9abc-def0-1122-334455667788.
  const bootctlBoot0000 = hex(
    '070000000100000074004c0069006e0075007800200042006f006f00740020004d0061006e006100' +
      '670065007200000004012a00010000000008000000000000000002000000000078563412bc9af0de' +
      '11223344556677880202040446005c004500460049005c00730079007300740065006d0064005c00' +
      '730079007300740065006d0064002d0062006f006f0074007800360034002e006500660069000000' +
      '7fff0400',
  );
  const efivars = freshEfivars();
  const partition = { number: 1, startLba: 2048, sizeLba: 131072, partUuid: ESP.partUuid };
  const result = await writeFirmwareBootEntry({ efivars, description: 'Linux Boot Manager', partition, loaderPath: LOADER, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(readFileSync(varFile(efivars, 'Boot0000')), bootctlBoot0000);
  assert.deepEqual(readFileSync(varFile(efivars, 'BootOrder')), hex('07000000 0000'));
});

test('the RayOS option: header fields, the File node length and a round trip through decodeLoadOption', () => {
  const bytes = encodeLoadOption(RAYOS);
  // 6 header bytes, "RayOS\0" = 12, HD 42, File 4 + 33 × 2 = 70, End 4.
  assert.equal(bytes.length, 6 + 12 + 42 + 70 + 4);
  assert.equal(bytes.readUInt16LE(4), 42 + 70 + 4);
  assert.equal(bytes.readUInt16LE(18 + 42 + 2), 70);
  assert.deepEqual(decodeLoadOption(bytes), { attributes: 1, description: 'RayOS', partition: ESP, partUuid: ESP.partUuid, loaderPath: LOADER });
  // Forward slashes are written as the spec's backslashes; upper-case GUIDs read back in lower case.
  const slashed = encodeLoadOption({ ...RAYOS, loaderPath: '/EFI/systemd/systemd-bootx64.efi', partition: { ...ESP, partUuid: ESP.partUuid.toUpperCase() } });
  assert.deepEqual(slashed, bytes);
  const big = { ...ESP, number: 128, startLba: 2 ** 40, sizeLba: 2 ** 33 + 7 };
  assert.deepEqual(decodeLoadOption(encodeLoadOption({ ...RAYOS, description: 'Ünïcode ✓', partition: big }))?.partition, big);
  for (const bad of [{ ...RAYOS, loaderPath: 'EFI\\x.efi' }, { ...RAYOS, description: 'a\0b' }, { ...RAYOS, partition: { ...ESP, number: 0 } }, { ...RAYOS, partition: { ...ESP, startLba: -1 } }]) {
    assert.throws(() => encodeLoadOption(bad), RangeError);
  }
});

test('decodeLoadOption: null for malformed bytes at every cut and for broken lengths, never a throw', () => {
  const good = encodeLoadOption(RAYOS);
  for (let cut = 0; cut < good.length; cut += 1) assert.equal(decodeLoadOption(good.subarray(0, cut)), null, `cut at ${cut}`);
  const mutate = (at: number, value: number): Buffer => {
    const copy = Buffer.from(good);
    copy.writeUInt8(value, at);
    return copy;
  };
  assert.equal(decodeLoadOption(mutate(4, 0xff)), null, 'FilePathListLength past the end');
  assert.equal(decodeLoadOption(mutate(18 + 2, 41)), null, 'HD node of the wrong length');
  assert.equal(decodeLoadOption(mutate(18 + 2, 0)), null, 'a node of length 0');
  assert.equal(decodeLoadOption(mutate(18 + 42 + 70 + 1, 0x01)), null, 'no End Entire node');
  for (let seed = 1; seed < 300; seed += 1) {
    const noise = Buffer.from(Array.from({ length: seed % 97 }, (_, i) => (i * 131 + seed * 17) & 0xff));
    assert.doesNotThrow(() => decodeLoadOption(noise));
  }
  // Well-formed options of other kinds decode, with no partition or no path: a network boot with only an End node.
  const pxe = Buffer.concat([hex('01000000 0400'), Buffer.from('PXE\0', 'utf16le'), hex('7fff0400')]);
  assert.deepEqual(decodeLoadOption(pxe), { attributes: 1, description: 'PXE', partition: null, partUuid: null, loaderPath: null });
  // Optional data after the device path is allowed.
  assert.equal(decodeLoadOption(Buffer.concat([good, hex('deadbeef')]))?.loaderPath, LOADER);
});

test('a fresh efivars: Boot0000 with attributes 0x07 and the load option, BootOrder = [0]', async () => {
  const efivars = freshEfivars();
  const result = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { number: '0000', bootOrder: ['0000'] });
  assert.deepEqual(readFileSync(varFile(efivars, 'Boot0000')), withAttributes(encodeLoadOption(RAYOS)));
  assert.deepEqual(readFileSync(varFile(efivars, 'BootOrder')), withAttributes(u16s(0)));
  assert.deepEqual(readdirSync(efivars).sort(), [`Boot0000-${EFI_GLOBAL_VARIABLE_GUID}`, `BootOrder-${EFI_GLOBAL_VARIABLE_GUID}`]);
});

test('Boot0000 and Boot0001 hold other things: the first free number is used and put first in BootOrder', async () => {
  const efivars = freshEfivars();
  setVar(efivars, 'Boot0000', encodeLoadOption({ description: 'UEFI Shell', partition: { ...ESP, partUuid: '00000000-0000-0000-0000-000000000001' }, loaderPath: '\\shell.efi' }));
  setVar(efivars, 'Boot0001', encodeLoadOption({ description: 'debian', partition: ESP, loaderPath: '\\EFI\\debian\\shimx64.efi' }));
  setVar(efivars, 'Boot0003', encodeLoadOption({ description: 'Windows Boot Manager', partition: { ...ESP, partUuid: '00000000-0000-0000-0000-000000000003' }, loaderPath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi' }));
  setVar(efivars, 'BootOrder', u16s(1, 0, 3));
  const result = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { number: '0002', bootOrder: ['0002', '0001', '0000', '0003'] });
  assert.deepEqual(bootOrder(efivars), [2, 1, 0, 3]);
  assert.equal(decodeLoadOption(readVar(efivars, 'Boot0002') ?? Buffer.alloc(0))?.description, 'RayOS');
  assert.equal(decodeLoadOption(readVar(efivars, 'Boot0001') ?? Buffer.alloc(0))?.description, 'debian', 'others are left alone');
});

test('an entry for the same partition and loader is reused (even under another name), and BootOrder gets it first once', async () => {
  const efivars = freshEfivars();
  setVar(efivars, 'Boot0000', encodeLoadOption({ description: 'Linux Boot Manager', partition: ESP, loaderPath: '\\efi\\SYSTEMD\\systemd-bootx64.efi' }));
  setVar(efivars, 'Boot0004', encodeLoadOption({ description: 'RayOS', partition: { ...ESP, partUuid: '00000000-0000-0000-0000-000000000004' }, loaderPath: LOADER }));
  setVar(efivars, 'BootOrder', u16s(4, 0, 4, 9, 0));
  const result = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { number: '0000', bootOrder: ['0000', '0004', '0009'] });
  assert.deepEqual(bootOrder(efivars), [0, 4, 9]);
  assert.deepEqual(readVar(efivars, 'Boot0000'), encodeLoadOption(RAYOS));
  // A second run changes nothing.
  const again = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(again.ok);
  assert.deepEqual(again.value, result.value);
});

test('an old RayOS entry (same description, a PARTUUID of an earlier install) is replaced, not duplicated', async () => {
  const efivars = freshEfivars();
  setVar(efivars, 'Boot0000', encodeLoadOption({ description: 'debian', partition: { ...ESP, partUuid: '00000000-0000-0000-0000-000000000009' }, loaderPath: '\\EFI\\debian\\grubx64.efi' }));
  setVar(efivars, 'Boot0005', encodeLoadOption({ description: 'RayOS', partition: { ...ESP, partUuid: '00000000-0000-0000-0000-000000000005' }, loaderPath: LOADER }));
  setVar(efivars, 'BootOrder', u16s(0, 5));
  const result = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { number: '0005', bootOrder: ['0005', '0000'] });
  assert.equal(decodeLoadOption(readVar(efivars, 'Boot0005') ?? Buffer.alloc(0))?.partUuid, ESP.partUuid);
  assert.equal(readdirSync(efivars).filter((n) => n.startsWith('Boot0')).length, 2);
});

test('malformed Boot#### and BootOrder variables are skipped, not fatal, and their numbers are not taken over', async () => {
  const efivars = freshEfivars();
  writeFileSync(varFile(efivars, 'Boot0000'), hex('0700'));
  setVar(efivars, 'Boot0001', hex('01000000 ff00 5200 0000'));
  writeFileSync(varFile(efivars, 'Boot0002'), Buffer.alloc(70 * 1024, 1));
  setVar(efivars, 'Boot0003', encodeLoadOption({ ...RAYOS, description: 'Other' }).subarray(0, 40));
  writeFileSync(join(efivars, `Bootx-${EFI_GLOBAL_VARIABLE_GUID}`), 'not a boot variable');
  writeFileSync(join(efivars, `Boot0006-00000000-0000-0000-0000-000000000000`), 'another vendor');
  writeFileSync(varFile(efivars, 'BootOrder'), hex('07000000 01'));
  const result = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(result.value, { number: '0004', bootOrder: ['0004'] });
  assert.deepEqual(readFileSync(varFile(efivars, 'Boot0000')), hex('0700'), 'left as it was');
});

test('no efivars directory, or a variable that cannot be written: RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED naming the removable path', async () => {
  const missing = await writeFirmwareBootEntry({ efivars: join(root, 'missing'), ...RAYOS, chattr: null });
  assert.ok(!missing.ok);
  assert.equal(missing.error.code, 'RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED');
  assert.match(missing.error.message, /still boots through the removable path \\EFI\\BOOT\\BOOTX64\.EFI/);
  const efivars = freshEfivars();
  // A directory where BootOrder's file would be: the Boot#### write works, the BootOrder write cannot.
  mkdirSync(varFile(efivars, 'BootOrder'));
  const blocked = await writeFirmwareBootEntry({ efivars, ...RAYOS, chattr: null });
  assert.ok(!blocked.ok);
  assert.match(blocked.error.message, /Boot0000 is written, but BootOrder is not/);
  const bad = await writeFirmwareBootEntry({ efivars: freshEfivars(), ...RAYOS, partition: { ...ESP, partUuid: 'nope' }, chattr: null });
  assert.ok(!bad.ok && bad.error.code === 'RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED');
});
