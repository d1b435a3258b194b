// Tests the installer medium's layout (planMedium sizes and offsets), its sfdisk script under real sfdisk, and the manifest schema.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HEAD_MIB, MIB, PARTITION_TYPES, TAIL_MIB } from './disk-layout.js';
import { manifestFor } from './installer.test-support.js';
import { MEDIUM_ESP_NAME, MediumManifestSchema, mediumSfdiskScript, planMedium, ROOT_IMAGE_PARTITION_NAME, SfdiskJsonSchema, type MediumPlan } from './medium-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-medium-layout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sbin = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` };
const tool = (argv: string[], input?: string): string =>
  execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env: sbin, stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });

const counter = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};

function assertContiguous(plan: MediumPlan): void {
  assert.equal(plan.esp.offsetBytes, HEAD_MIB * MIB);
  assert.equal(plan.rootImage.offsetBytes, plan.esp.offsetBytes + plan.esp.sizeBytes);
  for (const p of [plan.esp, plan.rootImage]) {
    assert.equal(p.offsetBytes % MIB, 0, `${p.name} starts on a MiB boundary`);
    assert.equal(p.sizeBytes % MIB, 0, `${p.name} is whole MiB`);
  }
  assert.equal(plan.totalBytes, plan.rootImage.offsetBytes + plan.rootImage.sizeBytes + TAIL_MIB * MIB);
}

test('a small medium: the ESP is at its 320 MiB floor, the root image partition exactly the image in whole MiB', () => {
  const plan = planMedium(1 * MIB, 4 * MIB, counter());
  assert.equal(plan.esp.sizeBytes, 320 * MIB);
  assert.equal(plan.rootImage.sizeBytes, 4 * MIB);
  assert.deepEqual(
    [plan.esp, plan.rootImage].map((p) => [p.number, p.name, p.typeGuid, p.partUuid]),
    [
      [1, MEDIUM_ESP_NAME, PARTITION_TYPES.esp, '00000000-0000-4000-8000-000000000001'],
      [2, ROOT_IMAGE_PARTITION_NAME, PARTITION_TYPES.linuxData, '00000000-0000-4000-8000-000000000002'],
    ],
  );
  assertContiguous(plan);
  assert.equal(plan.totalBytes, (1 + 320 + 4 + 1) * MIB);
  // No content at all still gets the floor: FAT32 at 4 KiB clusters needs it.
  assert.equal(planMedium(0, MIB).esp.sizeBytes, 320 * MIB);
});

test('the root image partition is the image size rounded up to the next MiB, never less', () => {
  for (const [bytes, mib] of [
    [1, 1],
    [MIB, 1],
    [MIB + 1, 2],
    [1536 * MIB - 512, 1536],
    [3 * 1024 * MIB + 7, 3 * 1024 + 1],
  ] as const) {
    const plan = planMedium(MIB, bytes);
    assert.equal(plan.rootImage.sizeBytes, mib * MIB, `${bytes} bytes`);
    assert.ok(plan.rootImage.sizeBytes >= bytes);
    assertContiguous(plan);
  }
});

test('the ESP grows with its content once the content no longer fits the floor, with room to spare', () => {
  let previous = 0;
  for (const contentMiB of [100, 260, 300, 500, 1200]) {
    const content = contentMiB * MIB + 12345;
    const plan = planMedium(content, 2 * 1024 * MIB);
    assert.ok(plan.esp.sizeBytes >= 320 * MIB);
    // Content plus FAT tables and directories: at least 10 % and 32 MiB beyond the bytes of the files.
    assert.ok(plan.esp.sizeBytes >= content * 1.1 + 32 * MIB, `${contentMiB} MiB of content in a ${plan.esp.sizeBytes / MIB} MiB ESP`);
    assert.ok(plan.esp.sizeBytes >= previous);
    previous = plan.esp.sizeBytes;
    assertContiguous(plan);
  }
  assert.equal(planMedium(500 * MIB, MIB).esp.sizeBytes, (550 + 32) * MIB);
  assert.ok(planMedium(1200 * MIB, MIB).esp.sizeBytes > planMedium(500 * MIB, MIB).esp.sizeBytes);
});

test('every medium gets fresh PARTUUIDs', () => {
  const a = planMedium(MIB, MIB);
  const b = planMedium(MIB, MIB);
  const ids = [a.esp.partUuid, a.rootImage.partUuid, b.esp.partUuid, b.rootImage.partUuid];
  assert.equal(new Set(ids).size, 4);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('real sfdisk accepts the medium script on a sparse file and reads back the planned partitions, names and uuids', () => {
  const plan = planMedium(3 * MIB, 5 * MIB + 100);
  const script = mediumSfdiskScript(plan);
  assert.deepEqual(script.split('\n').slice(0, 4), ['label: gpt', 'unit: sectors', 'sector-size: 512', 'first-lba: 2048']);
  const file = join(dir, 'medium.img');
  writeFileSync(file, '');
  truncateSync(file, plan.totalBytes);
  tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', file], script);
  const raw: unknown = JSON.parse(tool(['sfdisk', '--json', file]));
  // The schema the installer reads untrusted sfdisk output with accepts real output.
  const parsed = SfdiskJsonSchema.parse(raw);
  assert.equal(parsed.partitiontable.label, 'gpt');
  assert.equal(parsed.partitiontable.sectorsize, 512);
  assert.deepEqual(
    parsed.partitiontable.partitions.map((p) => [p.start, p.size, p.type.toUpperCase(), p.uuid?.toLowerCase(), p.name]),
    [plan.esp, plan.rootImage].map((p) => [p.offsetBytes / 512, p.sizeBytes / 512, p.typeGuid, p.partUuid, p.name]),
  );
  // The backup GPT fits in the tail MiB: the last usable sector is past the root image partition.
  const lastLba = (JSON.parse(tool(['sfdisk', '--json', file])) as { partitiontable: { lastlba: number } }).partitiontable.lastlba;
  assert.ok(lastLba >= (plan.rootImage.offsetBytes + plan.rootImage.sizeBytes) / 512 - 1);
  assert.ok(lastLba < plan.totalBytes / 512);
});

test('SfdiskJsonSchema: a table with no partitions reads as an empty list; nonsense is refused', () => {
  assert.deepEqual(SfdiskJsonSchema.parse({ partitiontable: { label: 'gpt' } }).partitiontable.partitions, []);
  assert.ok(!SfdiskJsonSchema.safeParse({}).success);
  assert.ok(!SfdiskJsonSchema.safeParse({ partitiontable: { label: 'gpt', partitions: [{ node: 'x', start: -1, size: 1, type: 't' }] } }).success);
  assert.ok(!SfdiskJsonSchema.safeParse({ partitiontable: { label: 'gpt', partitions: [{ node: 'x', start: 0, size: 0, type: 't' }] } }).success);
});

const VALID = manifestFor(4 * MIB);

test('MediumManifestSchema accepts a well-formed manifest as written', () => {
  assert.deepEqual(MediumManifestSchema.parse(VALID), VALID);
  for (const version of ['1', 'v2.0.0-rc.1', '0.1.0~git^1', 'a'.repeat(64)]) assert.ok(MediumManifestSchema.safeParse({ ...VALID, version }).success, version);
});

test('MediumManifestSchema refuses a bad format or version', () => {
  for (const format of [0, 2, '1', undefined]) assert.ok(!MediumManifestSchema.safeParse({ ...VALID, format }).success, `format ${String(format)}`);
  for (const version of ['', '.1', '-1', '1+3', '1 2', '1/2', 'a'.repeat(65), 'é', 7]) {
    assert.ok(!MediumManifestSchema.safeParse({ ...VALID, version }).success, `version ${String(version)}`);
  }
});

test('MediumManifestSchema refuses ESP paths that are relative, empty, spaced or end in a slash', () => {
  for (const bad of ['', 'rayos/vmlinuz', '/', '/rayos/', '/a b', '/a\\b', '//x', '/x\n']) {
    for (const field of ['kernel', 'initrd', 'bootloader'] as const) {
      assert.ok(!MediumManifestSchema.safeParse({ ...VALID, [field]: bad }).success, `${field} ${JSON.stringify(bad)}`);
    }
    assert.ok(!MediumManifestSchema.safeParse({ ...VALID, recovery: { ...VALID.recovery, initrd: bad } }).success, `recovery.initrd ${JSON.stringify(bad)}`);
  }
  assert.ok(!MediumManifestSchema.safeParse({ ...VALID, recovery: null }).success);
  assert.ok(!MediumManifestSchema.safeParse({ ...VALID, recovery: { kernel: VALID.recovery.kernel } }).success);
});

test('MediumManifestSchema refuses a root image with another partition name or a size that is not a positive whole number', () => {
  for (const partitionName of ['rayos-root-a', 'ESP', MEDIUM_ESP_NAME, '', 'RAYOS-ROOT-IMAGE']) {
    assert.ok(!MediumManifestSchema.safeParse({ ...VALID, rootImage: { ...VALID.rootImage, partitionName } }).success, partitionName);
  }
  for (const bytes of [0, -1, 1.5, Number.NaN, '4194304']) {
    assert.ok(!MediumManifestSchema.safeParse({ ...VALID, rootImage: { ...VALID.rootImage, bytes } }).success, String(bytes));
  }
  assert.ok(!MediumManifestSchema.safeParse({ ...VALID, builtAt: undefined }).success);
});
