// Tests the boot tuning: the init script (valid sh, modules in order, refusals), FAT's NLS modules from the kernel config, the ELF loader/library reader, and applyBootTuning on a fake root tree (initramfs contents, masks, stamps, the cache's hard links untouched).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseCpio } from '../platform/initramfs/cpio-newc.test-support.js';
import { fakeKo } from '../platform/initramfs/elf.test-support.js';
import {
  applyBootTuning,
  elfDynamicInfo,
  fatNlsModules,
  INITRD_FALLBACK_MODULES,
  INITRD_LATE_MODULES,
  INITRD_MODULES,
  INITRD_PROGRAMS,
  initScript,
  MASKED_GENERATORS,
  MASKED_UNITS,
  STATIC_NODES_PATH,
  staticNodesTmpfiles,
  UDEV_TRIGGER_DROP_IN,
  udevTriggerDropIn,
  updateStamp,
} from './boot-tuning.js';

/** An ELF64 with a PT_INTERP segment (when `interp` is given) and a .dynamic section of DT_NEEDED entries. */
function fakeDynamicElf(interp: string | null, needed: readonly string[]): Buffer {
  const strtab = Buffer.from(`\0${needed.map((n) => `${n}\0`).join('')}`, 'latin1');
  const interpBytes = interp === null ? Buffer.alloc(0) : Buffer.from(`${interp}\0`, 'latin1');
  const phoff = 64;
  const phnum = interp === null ? 0 : 1;
  const interpAt = phoff + phnum * 56;
  const strAt = interpAt + interpBytes.length;
  const dynAt = Math.ceil((strAt + strtab.length) / 8) * 8;
  const dynSize = (needed.length + 2) * 16;
  const shoff = dynAt + dynSize;
  const out = Buffer.alloc(shoff + 3 * 64);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out.writeUInt16LE(3, 0x10); // ET_DYN
  out.writeUInt16LE(62, 0x12);
  out.writeBigUInt64LE(BigInt(phoff), 0x20);
  out.writeBigUInt64LE(BigInt(shoff), 0x28);
  out.writeUInt16LE(56, 0x36);
  out.writeUInt16LE(phnum, 0x38);
  out.writeUInt16LE(64, 0x3a);
  out.writeUInt16LE(3, 0x3c);
  if (interp !== null) {
    out.writeUInt32LE(3, phoff); // PT_INTERP
    out.writeBigUInt64LE(BigInt(interpAt), phoff + 8);
    out.writeBigUInt64LE(BigInt(interpBytes.length), phoff + 32);
    interpBytes.copy(out, interpAt);
  }
  strtab.copy(out, strAt);
  let offset = 1;
  needed.forEach((name, i) => {
    out.writeBigUInt64LE(1n, dynAt + i * 16); // DT_NEEDED
    out.writeBigUInt64LE(BigInt(offset), dynAt + i * 16 + 8);
    offset += name.length + 1;
  });
  out.writeBigUInt64LE(0x1en, dynAt + needed.length * 16); // DT_FLAGS, then DT_NULL
  const section = (i: number, type: number, at: number, size: number, link: number): void => {
    const base = shoff + i * 64;
    out.writeUInt32LE(type, base + 4);
    out.writeBigUInt64LE(BigInt(at), base + 24);
    out.writeBigUInt64LE(BigInt(size), base + 32);
    out.writeUInt32LE(link, base + 40);
  };
  section(1, 3, strAt, strtab.length, 0); // .dynstr
  section(2, 6, dynAt, dynSize, 1); // .dynamic → .dynstr
  return out;
}

const KVER = '6.1.0-test-amd64';

function put(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/** A root tree with just what applyBootTuning reads, plus a "cache" directory the tree's initrd is hard-linked to. */
function fakeRoot(options: { withKlibc?: boolean; skipModule?: string } = {}): { root: string; cache: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-boot-tuning-'));
  const root = join(dir, 'root');
  const cache = join(dir, 'cache');
  put(root, `boot/vmlinuz-${KVER}`, 'kernel');
  put(root, `boot/config-${KVER}`, 'CONFIG_FAT_DEFAULT_CODEPAGE=437\nCONFIG_FAT_DEFAULT_IOCHARSET="iso8859-1"\n');
  put(cache, 'initrd.img', 'the cached initramfs-tools image');
  linkSync(join(cache, 'initrd.img'), join(root, `boot/initrd.img-${KVER}`));
  const modules = join(root, 'usr/lib/modules', KVER);
  const deps: Record<string, string> = { ext4: 'jbd2,mbcache', virtio_blk: 'virtio', virtio_pci: 'virtio', vfat: 'fat', i6300esb: 'watchdog' };
  const names = [...INITRD_MODULES, ...INITRD_FALLBACK_MODULES, ...INITRD_LATE_MODULES, 'jbd2', 'mbcache', 'fat', 'watchdog', 'nls_cp437', 'nls_iso8859_1', 'crc32c_intel'];
  for (const name of names) {
    if (name === options.skipModule) continue;
    put(modules, `kernel/drivers/${name.replace(/_/g, '-')}.ko`, fakeKo([`name=${name}`, `depends=${deps[name] ?? ''}`]));
  }
  put(modules, 'modules.builtin', 'kernel/drivers/virtio/virtio.ko\n');
  put(root, 'usr/lib/systemd/system/systemd-udev-trigger.service', '[Service]\nExecStart=-udevadm trigger --type=all --action=add --prioritized-subsystem=module,block\n');
  put(modules, 'modules.devname', '# Device nodes to trigger on-demand module loading.\ntun net/tun c10:200\n');
  if (options.withKlibc !== false) {
    put(root, 'usr/lib/klibc-AbC123.so', 'klibc');
    for (const program of INITRD_PROGRAMS) put(root, `usr/lib/klibc/bin/${program}`, `klibc ${program}`);
  }
  put(root, 'usr/sbin/blkid', fakeDynamicElf('/lib64/ld-linux-x86-64.so.2', ['libblkid.so.1', 'libc.so.6']));
  put(root, 'usr/lib/x86_64-linux-gnu/libblkid.so.1', fakeDynamicElf(null, ['libc.so.6']));
  put(root, 'usr/lib/x86_64-linux-gnu/libc.so.6', fakeDynamicElf(null, ['ld-linux-x86-64.so.2']));
  put(root, 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', fakeDynamicElf(null, []));
  mkdirSync(join(root, 'lib64'), { recursive: true });
  symlinkSync('../usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', join(root, 'lib64/ld-linux-x86-64.so.2'));
  for (const [wants, unit] of [
    ['timers.target.wants', 'apt-daily.timer'],
    ['getty.target.wants', 'getty@tty1.service'],
    ['timers.target.wants', 'fstrim.timer'],
  ] as const) {
    mkdirSync(join(root, 'etc/systemd/system', wants), { recursive: true });
    symlinkSync(`/usr/lib/systemd/system/${unit}`, join(root, 'etc/systemd/system', wants, unit));
  }
  return { root, cache, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const plan = { first: ['virtio_pci', 'virtio_blk', 'ext4'], fallback: ['ahci', 'sd_mod'], late: ['i6300esb'], cpu: [{ module: 'crc32c_intel', cpuFlag: 'sse4_2' }], rootWaitS: 30 };

test('the init script is valid sh that loads the first set, then the fallback only while the root is missing, then the late set', () => {
  const script = initScript(plan);
  const dir = mkdtempSync(join(tmpdir(), 'rayos-init-'));
  try {
    writeFileSync(join(dir, 'init'), script);
    const checked = spawnSync('sh', ['-n', join(dir, 'init')], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = script.split('\n');
  const at = (needle: string): number => lines.findIndex((l) => l.includes(needle));
  assert.ok(lines[0] === '#!/bin/sh');
  assert.ok(at('load virtio_pci virtio_blk ext4') < at('until find_root'));
  assert.ok(at('[ "$tries" -eq 0 ] && load ahci sd_mod') > at('until find_root'));
  assert.ok(at('load i6300esb') > at('mount -t "$fstype"'));
  assert.ok(at('exec run-init /root "$init" "$@"') > at('load i6300esb'));
  assert.match(script, /\*" sse4_2 "\*\) load crc32c_intel/);
  assert.match(script, /delay=30 /);
  assert.match(script, /blkid -c \/dev\/null -l -o device -t "\$root"/);
  assert.throws(() => initScript({ ...plan, first: ['ext4; reboot'] }), /not a module name/);
  assert.throws(() => initScript({ ...plan, rootWaitS: 0 }), /positive whole number/);
});

test('FAT mounts load the NLS modules of the configured default code page and character set', () => {
  assert.deepEqual(fatNlsModules('CONFIG_FAT_DEFAULT_CODEPAGE=437\nCONFIG_FAT_DEFAULT_IOCHARSET="ascii"\n'), ['nls_cp437', 'nls_ascii']);
  assert.deepEqual(fatNlsModules('CONFIG_FAT_DEFAULT_IOCHARSET="iso8859-15"\n'), ['nls_iso8859_15']);
  assert.deepEqual(fatNlsModules(''), []);
});

test('the static device nodes are what kmod static-nodes --format=tmpfiles prints; odd lines are skipped', () => {
  const devname = ['# Device nodes to trigger on-demand module loading.', 'fuse fuse c10:229', 'tun net/tun c10:200', 'dm_mod mapper/control c10:236', 'bad ../../etc/x c1:1', 'blk disk/x b8:0', 'junk'].join('\n');
  assert.equal(
    staticNodesTmpfiles(devname).split('\n').slice(1).join('\n'),
    ['c! /dev/fuse 0600 - - - 10:229', 'd /dev/net 0755 - - -', 'c! /dev/net/tun 0600 - - - 10:200', 'd /dev/mapper 0755 - - -', 'c! /dev/mapper/control 0600 - - - 10:236', 'd /dev/disk 0755 - - -', 'b! /dev/disk/x 0600 - - - 8:0', ''].join('\n'),
  );
});

test('udev coldplug takes block devices first; a unit without a priority list is left alone', () => {
  const unit = '[Service]\nType=oneshot\nExecStart=-udevadm trigger --type=all --action=add --prioritized-subsystem=module,block,tpmrm,net,tty,input\n';
  const dropIn = udevTriggerDropIn(unit) ?? '';
  assert.match(dropIn, /\[Service\]\nExecStart=\nExecStart=-udevadm trigger --type=all --action=add --prioritized-subsystem=block,module,tpmrm,net,tty,input\n$/);
  assert.equal(udevTriggerDropIn('[Service]\nExecStart=-udevadm trigger --type=all --action=add\n'), null);
  assert.equal(udevTriggerDropIn('[Service]\nExecStart=udevadm trigger --prioritized-subsystem=block,module\n'), null);
  assert.equal(udevTriggerDropIn(''), null);
});

test('elfDynamicInfo reads the loader and the libraries a program needs; anything else is null', () => {
  assert.deepEqual(elfDynamicInfo(fakeDynamicElf('/lib64/ld-linux-x86-64.so.2', ['libblkid.so.1', 'libc.so.6'])), {
    interpreter: '/lib64/ld-linux-x86-64.so.2',
    needed: ['libblkid.so.1', 'libc.so.6'],
  });
  assert.deepEqual(elfDynamicInfo(fakeDynamicElf(null, [])), { interpreter: null, needed: [] });
  assert.equal(elfDynamicInfo(Buffer.from('#!/bin/sh\n')), null);
  assert.equal(elfDynamicInfo(fakeDynamicElf(null, ['x']).subarray(0, 100)), null);
});

test('applyBootTuning replaces the initramfs with RayOS own, masks generators and units, and stamps /etc and /var, never writing through to the cache', async () => {
  const { root, cache, done } = fakeRoot();
  try {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const result = await applyBootTuning(root, now);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(readFileSync(join(cache, 'initrd.img'), 'utf8'), 'the cached initramfs-tools image');
    assert.equal(lstatSync(join(cache, 'initrd.img')).nlink, 1);

    const entries = parseCpio(gunzipSync(readFileSync(join(root, `boot/initrd.img-${KVER}`))));
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const name of ['init', 'bin/sh', 'bin/run-init', 'bin/blkid', 'lib/klibc-AbC123.so', 'lib/libblkid.so.1', 'lib/libc.so.6', 'lib64/ld-linux-x86-64.so.2', 'dev/console']) {
      assert.ok(byName.has(name), `${name} in ${[...byName.keys()].join(' ')}`);
    }
    assert.equal(byName.has('lib/ld-linux-x86-64.so.2'), false, 'the loader is there once, at its interpreter path');
    assert.equal(byName.get('dev/console')?.mode, 0o020600);
    assert.equal((byName.get('init')?.mode ?? 0) & 0o777, 0o755);
    const modules = entries.filter((e) => e.name.startsWith('lib/modules/')).map((e) => e.name.slice('lib/modules/'.length));
    for (const name of ['ext4', 'jbd2', 'ahci', 'fat', 'vfat', 'watchdog', 'i6300esb', 'nls_cp437', 'nls_iso8859_1', 'crc32c_intel']) assert.ok(modules.includes(`${name}.ko`), name);
    assert.equal(modules.includes('virtio.ko'), false, 'built-in modules are not packed');
    const init = byName.get('init')?.data.toString() ?? '';
    // Dependencies first; the late set holds only what the first set has not loaded.
    assert.match(init, /load virtio_pci virtio_blk crc32c_generic jbd2 mbcache ext4\n/);
    assert.match(init, /&& load nvme virtio_scsi ahci sd_mod /);
    assert.match(init, /load watchdog i6300esb efi_pstore fat vfat nls_cp437 nls_iso8859_1\n/);

    for (const name of MASKED_GENERATORS) assert.equal(readlinkSync(join(root, 'etc/systemd/system-generators', name)), '/dev/null', name);
    for (const unit of MASKED_UNITS) assert.equal(readlinkSync(join(root, 'etc/systemd/system', unit)), '/dev/null', unit);
    assert.deepEqual(readdirSync(join(root, 'etc/systemd/system/timers.target.wants')), ['fstrim.timer']);
    assert.deepEqual(readdirSync(join(root, 'etc/systemd/system/getty.target.wants')), []);
    for (const dir of ['etc', 'var']) {
      assert.equal(readFileSync(join(root, dir, '.updated'), 'utf8'), updateStamp(now));
      assert.equal(lstatSync(join(root, dir, '.updated')).mtimeMs, now);
    }
    assert.match(updateStamp(now), /^TIMESTAMP_NSEC=1767323045000000000$/m);
    assert.match(readFileSync(join(root, UDEV_TRIGGER_DROP_IN), 'utf8'), /--prioritized-subsystem=block,module\n/);
    assert.match(readFileSync(join(root, STATIC_NODES_PATH), 'utf8'), /^d \/dev\/net 0755 - - -\nc! \/dev\/net\/tun 0600 - - - 10:200\n$/m);

    // Applying twice (a rebuilt staging tree) gives the same tree.
    const again = await applyBootTuning(root, now);
    assert.equal(again.ok, true);
  } finally {
    done();
  }
});

test('a root tree without klibc or without a needed module is a build failure that says what is missing', async () => {
  const noKlibc = fakeRoot({ withKlibc: false });
  try {
    const result = await applyBootTuning(noKlibc.root);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'RAYOS_IMAGE_BUILD_FAILED');
      assert.match(result.error.message, /klibc/);
    }
  } finally {
    noKlibc.done();
  }
  const noExt4 = fakeRoot({ skipModule: 'ext4' });
  try {
    const result = await applyBootTuning(noExt4.root);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /ext4/);
  } finally {
    noExt4.done();
  }
});
