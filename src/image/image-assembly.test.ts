// Tests assembling a real GPT image file with sfdisk, mkfs.vfat + mtools, mkfs.ext4 -d and dd, read back with the same tools.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countedEntryName, RECOVERY_FILE_NAME, renderLoaderConf, renderRecoveryEntry, renderSystemEntry } from './boot-entries.js';
import { MIB, partitionOf, planDisk, type LayoutLimits } from './disk-layout.js';
import { assembleImage, listEspDirectory } from './image-assembly.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-image-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The smallest layout the tools accept: FAT32 needs ~36 MiB; the roots and data only need to hold a file.
const TEST_LIMITS: LayoutLimits = { espMiB: 40, rootMinMiB: 8, rootMaxMiB: 8, dataMinMiB: 6 };
const sbin = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`, MTOOLS_SKIP_CHECK: '1' };
const tool = (argv: string[]): string => execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env: sbin, stdio: ['ignore', 'pipe', 'pipe'] });
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) assert.fail(r.error.message);
  return r.value;
};

test('a 64 MiB image has the planned GPT, the loader entries on the ESP and the root tree in root-A', async () => {
  const plan = unwrap(planDisk(64 * MIB, { limits: TEST_LIMITS }));
  const rootDir = join(dir, 'root');
  mkdirSync(join(rootDir, 'etc'), { recursive: true });
  writeFileSync(join(rootDir, 'hello'), 'hello from root-A\n');
  writeFileSync(join(rootDir, 'etc', 'os-release'), 'NAME=RayOS\n');
  const rootA = partitionOf(plan, 'root-a');
  const entryName = unwrap(countedEntryName('0.1.0'));
  const steps: string[] = [];
  const imagePath = join(dir, 'out', 'rayos.img');
  const built = await assembleImage({
    plan,
    imagePath,
    root: { dir: rootDir },
    onProgress: (step) => steps.push(step),
    stepDeadlineMs: 60_000,
    espFiles: [
      { espPath: '/loader/loader.conf', content: unwrap(renderLoaderConf(3)) },
      { espPath: `/loader/entries/${entryName}`, content: unwrap(renderSystemEntry({ version: '0.1.0', linux: '/rayos/0.1.0/vmlinuz', initrd: ['/rayos/0.1.0/initrd.img'], rootPartUuid: rootA.partUuid })) },
      { espPath: `/loader/entries/${RECOVERY_FILE_NAME}`, content: unwrap(renderRecoveryEntry({ linux: '/rayos/recovery/vmlinuz', initrd: ['/rayos/recovery/initrd.img'] })) },
    ],
  });
  const image = unwrap(built);
  assert.ok(steps.length >= 5, `progress for every step: ${steps.join(', ')}`);
  assert.equal(statSync(imagePath).size, 64 * MIB);
  // Only the image is left: the work directory is gone.
  assert.deepEqual(readdirSync(join(dir, 'out')), ['rayos.img']);

  const table = JSON.parse(tool(['sfdisk', '--json', imagePath])) as {
    partitiontable: { label: string; id: string; partitions: { start: number; size: number; type: string; uuid: string; name: string }[] };
  };
  assert.equal(table.partitiontable.label, 'gpt');
  assert.equal(table.partitiontable.id.toLowerCase(), plan.diskGuid);
  assert.deepEqual(
    table.partitiontable.partitions.map((p) => [p.start, p.size, p.type.toLowerCase(), p.uuid.toLowerCase(), p.name]),
    plan.partitions.map((p) => [p.startSector, p.sizeSectors, p.typeGuid.toLowerCase(), p.partUuid, p.name]),
  );

  const entries = unwrap(await listEspDirectory(imagePath, image.espOffsetBytes, '/loader/entries'));
  assert.deepEqual(entries.sort(), [RECOVERY_FILE_NAME, entryName].sort());
  const entryText = tool(['mtype', '-i', `${imagePath}@@${image.espOffsetBytes}`, `::/loader/entries/${entryName}`]);
  assert.match(entryText, new RegExp(`^options root=PARTUUID=${rootA.partUuid} rw$`, 'm'));
  assert.match(tool(['mtype', '-i', `${imagePath}@@${image.espOffsetBytes}`, '::/loader/loader.conf']), /^timeout 3$/m);

  // Read root-A back out of the image at its planned offset: proves dd put it where the GPT says.
  const rootCopy = join(dir, 'root-a.copy');
  tool(['dd', `if=${imagePath}`, `of=${rootCopy}`, 'bs=1M', `skip=${rootA.offsetBytes / MIB}`, `count=${rootA.sizeMiB}`, 'status=none']);
  assert.equal(tool(['debugfs', '-R', 'cat /hello', rootCopy]), 'hello from root-A\n');
  assert.equal(tool(['debugfs', '-R', 'cat /etc/os-release', rootCopy]), 'NAME=RayOS\n');
  assert.match(tool(['blkid', '-o', 'export', rootCopy]), /^LABEL=rayos-root-a$/m);
});

test('an ESP path that escapes or has spaces is refused before anything is built', async () => {
  const plan = unwrap(planDisk(64 * MIB, { limits: TEST_LIMITS }));
  const imagePath = join(dir, 'bad', 'rayos.img');
  for (const espPath of ['/../x', '/a b', 'relative']) {
    const built = await assembleImage({ plan, imagePath, root: { dir }, espFiles: [{ espPath, content: 'x' }] });
    assert.ok(!built.ok && built.error.code === 'RAYOS_IMAGE_BUILD_FAILED', espPath);
  }
});
