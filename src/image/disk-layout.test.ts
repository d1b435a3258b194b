// Tests the GPT plan of a RayOS disk: sizes, alignment, minimums, fresh PARTUUIDs and the sfdisk script.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAD_MIB, INSTALL_LIMITS, MIB, minimumTargetMiB, PARTITION_TYPES, planDisk, sfdiskScript, TAIL_MIB, type LayoutLimits } from './disk-layout.js';

const GiB = 1024 * MIB;

test('a 64 GiB target: ESP, two root slots at their maximum, data takes the rest, all MiB-aligned and contiguous', () => {
  const plan = planDisk(64 * GiB);
  assert.ok(plan.ok);
  const [esp, rootA, rootB, data] = plan.value.partitions;
  assert.deepEqual(
    plan.value.partitions.map((p) => [p.number, p.role, p.name]),
    [
      [1, 'esp', 'ESP'],
      [2, 'root-a', 'rayos-root-a'],
      [3, 'root-b', 'rayos-root-b'],
      [4, 'data', 'rayos-data'],
    ],
  );
  assert.equal(esp.typeGuid, PARTITION_TYPES.esp);
  assert.equal(esp.sizeMiB, INSTALL_LIMITS.espMiB);
  assert.equal(rootA.sizeMiB, INSTALL_LIMITS.rootMaxMiB);
  assert.equal(rootB.sizeMiB, rootA.sizeMiB);
  assert.equal(esp.offsetBytes, HEAD_MIB * MIB);
  let next = esp.offsetBytes;
  for (const p of plan.value.partitions) {
    assert.equal(p.offsetBytes, next);
    assert.equal(p.offsetBytes % MIB, 0);
    assert.equal(p.startSector * 512, p.offsetBytes);
    next += p.sizeBytes;
  }
  assert.equal(data.offsetBytes + data.sizeBytes, 64 * GiB - TAIL_MIB * MIB);
});

test('a target just at the minimum fits; one MiB less is RAYOS_INSTALLER_TOO_SMALL naming both sizes', () => {
  const need = minimumTargetMiB();
  const fits = planDisk(need * MIB);
  assert.ok(fits.ok);
  assert.equal(fits.value.partitions[1].sizeMiB, INSTALL_LIMITS.rootMinMiB);
  assert.equal(fits.value.partitions[3].sizeMiB, INSTALL_LIMITS.dataMinMiB);
  const small = planDisk((need - 1) * MIB);
  assert.ok(!small.ok);
  assert.equal(small.error.code, 'RAYOS_INSTALLER_TOO_SMALL');
  assert.match(small.error.message, new RegExp(`holds ${need - 1} MiB.*at least ${need} MiB.*larger disk`));
  for (const nonsense of [0, -1, Number.NaN]) assert.ok(!planDisk(nonsense).ok);
});

test('every plan gets fresh PARTUUIDs and a fresh disk GUID', () => {
  const a = planDisk(64 * GiB);
  const b = planDisk(64 * GiB);
  assert.ok(a.ok && b.ok);
  const ids = [a.value.diskGuid, ...a.value.partitions.map((p) => p.partUuid), b.value.diskGuid, ...b.value.partitions.map((p) => p.partUuid)];
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('limits below what FAT32 can hold are refused', () => {
  const tiny: LayoutLimits = { espMiB: 8, rootMinMiB: 8, rootMaxMiB: 8, dataMinMiB: 4 };
  const plan = planDisk(GiB, { limits: tiny });
  assert.ok(!plan.ok && /FAT32/.test(plan.error.message));
});

test('the sfdisk script spells out every partition in sectors with its type, uuid and name', () => {
  let n = 0;
  const plan = planDisk(64 * GiB, { newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  assert.ok(plan.ok);
  const script = sfdiskScript(plan.value);
  const lines = script.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 5), ['label: gpt', 'label-id: 00000000-0000-4000-8000-000000000001', 'unit: sectors', 'sector-size: 512', 'first-lba: 2048']);
  assert.equal(lines[6], `start=2048, size=${512 * 2048}, type=${PARTITION_TYPES.esp}, uuid=00000000-0000-4000-8000-000000000002, name="ESP"`);
  assert.equal(lines.length, 10);
  assert.match(lines[9] ?? '', /name="rayos-data"$/);
});
