// Tests module selection without depmod: .modinfo parsing (ELF and raw scan), dependency closure, soft deps, load order.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fakeKo } from './elf.test-support.js';
import { indexModuleTree, parseModinfo, planModuleLoad, type ModuleCatalog, type ModuleInfo } from './kernel-modules.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-modules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('parseModinfo reads name, depends, soft pre-deps, aliases and vermagic from the .modinfo section', () => {
  const ko = fakeKo(
    ['license=GPL', 'softdep=pre: crypto-crc32c post: foo', 'alias=fs-ext4', 'alias=ext3', 'depends=jbd2,mbcache,crc16', 'name=ext4', 'vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions '],
    // Strings outside .modinfo must not count, even when they look like modinfo.
    'depends=not_this_one',
  );
  const info = parseModinfo(ko, 'fallback');
  assert.deepEqual(info, {
    name: 'ext4',
    depends: ['jbd2', 'mbcache', 'crc16'],
    softPre: ['crypto_crc32c'],
    aliases: ['fs_ext4', 'ext3'],
    vermagic: '6.1.0-56-amd64 SMP preempt mod_unload modversions',
  });
});

test('parseModinfo falls back to scanning the bytes when the file is not ELF, and to the file name without name=', () => {
  const raw = Buffer.concat([Buffer.from([1, 2, 3, 0]), Buffer.from('depends=\0alias=x-y\0', 'latin1'), Buffer.from([0xff, 0])]);
  assert.deepEqual(parseModinfo(raw, 'virtio-ring'), { name: 'virtio_ring', depends: [], softPre: [], aliases: ['x_y'], vermagic: null });
});

function catalogOf(mods: readonly Partial<ModuleInfo>[], builtin: readonly string[] = []): ModuleCatalog {
  const map = new Map(mods.map((m) => [m.name as string, { depends: [], softPre: [], aliases: [], vermagic: null, ...m } as ModuleInfo]));
  return { get: (n) => map.get(n), isBuiltin: (n) => builtin.includes(n) };
}

// The real dependency shape of Debian 6.1's virtio and ext4 modules.
const DEBIAN_LIKE = catalogOf(
  [
    { name: 'virtio_ring' },
    { name: 'virtio', depends: ['virtio_ring'] },
    { name: 'virtio_pci_modern_dev' },
    { name: 'virtio_pci_legacy_dev' },
    { name: 'virtio_pci', depends: ['virtio_ring', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio'] },
    { name: 'virtio_blk', depends: ['virtio', 'virtio_ring'] },
    { name: 'virtio_console', depends: ['virtio', 'virtio_ring'] },
    { name: 'crc16' },
    { name: 'mbcache' },
    { name: 'jbd2', softPre: ['crypto_crc32c'] },
    { name: 'ext4', depends: ['jbd2', 'mbcache', 'crc16'], softPre: ['crypto_crc32c'] },
    { name: 'crc32c_generic', aliases: ['crypto_crc32c_generic', 'crc32c_generic', 'crypto_crc32c', 'crc32c'] },
    { name: 'crc32c_intel', aliases: ['crypto_crc32c', 'crc32c'] },
    { name: 'libcrc32c', softPre: ['crc32c'] },
  ],
  ['crc_t10dif'],
);

function assertDepsFirst(order: readonly ModuleInfo[]): void {
  const pos = new Map(order.map((m, i) => [m.name, i]));
  for (const m of order) for (const d of m.depends) assert.ok((pos.get(d) ?? -1) < (pos.get(m.name) ?? -1), `${d} before ${m.name}`);
}

test('the closure pulls in every hard dependency, each loaded before its users', () => {
  const plan = planModuleLoad(['virtio_pci', 'virtio_console', 'virtio_blk', 'ext4'], DEBIAN_LIKE);
  assert.ok(plan.ok);
  const names = plan.value.order.map((m) => m.name);
  assert.deepEqual(names, ['virtio_ring', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio', 'virtio_pci', 'virtio_console', 'virtio_blk', 'jbd2', 'mbcache', 'crc16', 'ext4']);
  assertDepsFirst(plan.value.order);
  assert.deepEqual(plan.value.unresolvedSoft, ['crypto_crc32c'], 'nobody wanted a crc32c provider: reported, not guessed');
});

test('a soft dependency is honoured by a wanted module that provides its alias, never by an unrequested variant', () => {
  const plan = planModuleLoad(['ext4', 'crc32c_generic'], DEBIAN_LIKE);
  assert.ok(plan.ok);
  const names = plan.value.order.map((m) => m.name);
  assert.ok(names.indexOf('crc32c_generic') < names.indexOf('jbd2'), 'crc32c before jbd2 (jbd2 asks for it too)');
  assert.ok(!names.includes('crc32c_intel'));
  assert.deepEqual(plan.value.unresolvedSoft, []);
  assertDepsFirst(plan.value.order);
});

test('names are normalised (- and _), built-in dependencies are skipped, the order is stable', () => {
  const catalog = catalogOf([{ name: 'a_b', depends: ['crc_t10dif', 'c'] }, { name: 'c' }], ['crc_t10dif']);
  const one = planModuleLoad(['a-b'], catalog);
  const two = planModuleLoad(['a-b'], catalog);
  assert.ok(one.ok && two.ok);
  assert.deepEqual(one.value.order.map((m) => m.name), ['c', 'a_b']);
  assert.deepEqual(one.value, two.value);
});

test('a missing module or dependency fails the build with the name and who needed it', () => {
  const plan = planModuleLoad(['virtio_blk', 'nope'], catalogOf([{ name: 'virtio_blk', depends: ['virtio'] }]));
  assert.ok(!plan.ok);
  assert.equal(plan.error.code, 'RAYOS_GUEST_BUILD_FAILED');
  assert.match(plan.error.message, /virtio \(needed by virtio_blk\)/);
  assert.match(plan.error.message, /nope/);
});

test('a dependency cycle is an error, not a hang', () => {
  const plan = planModuleLoad(['a'], catalogOf([{ name: 'a', depends: ['b'] }, { name: 'b', depends: ['a'] }]));
  assert.ok(!plan.ok);
  assert.match(plan.error.message, /cycle: .*a -> b -> a|cycle: .*b -> a -> b/);
});

test('indexModuleTree finds .ko files anywhere under kernel/, reads modinfo on demand and knows built-ins', () => {
  const tree = join(dir, 'lib', 'modules', '6.1.0-test');
  mkdirSync(join(tree, 'kernel', 'drivers', 'virtio'), { recursive: true });
  mkdirSync(join(tree, 'kernel', 'fs', 'ext4'), { recursive: true });
  writeFileSync(join(tree, 'kernel', 'drivers', 'virtio', 'virtio_ring.ko'), fakeKo(['depends=', 'name=virtio_ring']));
  writeFileSync(join(tree, 'kernel', 'drivers', 'virtio', 'virtio-blk.ko'), fakeKo(['depends=virtio_ring,crc64', 'name=virtio_blk']));
  writeFileSync(join(tree, 'kernel', 'fs', 'ext4', 'README'), 'not a module');
  writeFileSync(join(tree, 'modules.builtin'), 'kernel/lib/crc64.ko\nkernel/lib/zlib.ko\n');
  const index = indexModuleTree(tree);
  assert.ok(index.catalog.isBuiltin('crc64'));
  assert.ok(!index.catalog.isBuiltin('virtio_ring'));
  assert.equal(index.pathOf('virtio_blk'), join(tree, 'kernel', 'drivers', 'virtio', 'virtio-blk.ko'));
  const plan = planModuleLoad(['virtio_blk'], index.catalog);
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.order.map((m) => m.name), ['virtio_ring', 'virtio_blk']);
});
