// Tests the initramfs tree: init and console first-class, applets linked only where they belong, modules in load order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCpio } from '../../src/platform/initramfs/cpio-newc.test-support.js';
import { buildInitramfs, GUEST_AGENT_PATH, GUEST_DISPLAY_LOAD_ORDER, GUEST_LOAD_ORDER, INIT_SCRIPT } from './initramfs.js';

const archive = buildInitramfs({
  busybox: Buffer.from('BUSYBOX'),
  applets: ['bin/sh', 'sbin/insmod', 'usr/bin/[', 'usr/bin/[[', 'bin/busybox', 'init', 'opt/weird/tool', 'bin/../etc/x', 'bin/sh'],
  agent: Buffer.from('AGENT'),
  modules: [
    { name: 'virtio_ring', data: Buffer.from('ring') },
    { name: 'virtio_pci', data: Buffer.from('pci') },
  ],
  displayModules: [
    { name: 'drm', data: Buffer.from('drm') },
    { name: 'bochs', data: Buffer.from('bochs') },
  ],
});
const entries = parseCpio(archive);
const byName = new Map(entries.map((e) => [e.name, e]));

test('the archive holds init, busybox, the agent and the console node the kernel opens before init', () => {
  assert.equal(byName.get('init')?.data.toString(), INIT_SCRIPT);
  assert.equal((byName.get('init')?.mode ?? 0) & 0o777, 0o755);
  assert.equal(byName.get('bin/busybox')?.data.toString(), 'BUSYBOX');
  assert.equal(byName.get(GUEST_AGENT_PATH)?.data.toString(), 'AGENT');
  assert.equal(byName.get('dev/console')?.mode, 0o020600);
  for (const dir of ['proc', 'sys', 'dev', 'data', 'tmp']) assert.equal((byName.get(dir)?.mode ?? 0) & 0o170000, 0o040000, dir);
});

test('every directory comes before what it holds', () => {
  const seen = new Set<string>();
  for (const e of entries) {
    const parent = e.name.includes('/') ? e.name.slice(0, e.name.lastIndexOf('/')) : '';
    assert.ok(parent === '' || seen.has(parent), `${e.name} after ${parent}`);
    seen.add(e.name);
  }
});

test('applets become symlinks to busybox, except outside the standard folders or over our own files', () => {
  for (const applet of ['bin/sh', 'sbin/insmod', 'usr/bin/[', 'usr/bin/[[']) assert.equal(byName.get(applet)?.data.toString(), '/bin/busybox', applet);
  assert.equal(byName.get('bin/busybox')?.data.toString(), 'BUSYBOX', 'busybox itself stays a file');
  assert.equal(byName.get('init')?.data.toString(), INIT_SCRIPT, 'init stays the script');
  assert.ok(!byName.has('opt/weird/tool'));
  assert.ok(![...byName.keys()].some((n) => n.includes('..')));
});

test('modules are stored flat with their load order, which init reads', () => {
  assert.equal(byName.get('lib/modules/virtio_ring.ko')?.data.toString(), 'ring');
  assert.equal(byName.get('lib/modules/virtio_pci.ko')?.data.toString(), 'pci');
  assert.equal(byName.get(GUEST_LOAD_ORDER)?.data.toString(), 'virtio_ring\nvirtio_pci\n');
  assert.match(INIT_SCRIPT, new RegExp(`< /${GUEST_LOAD_ORDER}`));
});

test('init reports progress on the console, never formats /data, and keeps the agent running', () => {
  for (const marker of ['RAYOS_GUEST:INIT_START', 'RAYOS_GUEST:DATA_MOUNTED', 'RAYOS_GUEST:DATA_MISSING', 'RAYOS_GUEST:INIT_DONE', 'RAYOS_GUEST:AGENT_EXITED']) {
    assert.ok(INIT_SCRIPT.includes(marker), marker);
  }
  assert.ok(!/mkfs|mke2fs/.test(INIT_SCRIPT));
  assert.match(INIT_SCRIPT, /while :; do\n {2}\/sbin\/rayos-agent/);
});

test('the display modules have their own load order, read by a background job that then keeps a shell on tty1', () => {
  assert.equal(byName.get('lib/modules/bochs.ko')?.data.toString(), 'bochs');
  assert.equal(byName.get(GUEST_DISPLAY_LOAD_ORDER)?.data.toString(), 'drm\nbochs\n');
  // Started before the agent loop and in the background, so the agent's hello never waits for the display.
  const job = INIT_SCRIPT.indexOf(`< /${GUEST_DISPLAY_LOAD_ORDER}`);
  assert.ok(job > 0 && job < INIT_SCRIPT.indexOf('/sbin/rayos-agent\n'));
  assert.match(INIT_SCRIPT, /\n\) &\nwhile :; do\n {2}\/sbin\/rayos-agent/);
  assert.match(INIT_SCRIPT, /setsid -c sh -c .*<\/dev\/tty1 >\/dev\/tty1 2>&1/);
  assert.ok(INIT_SCRIPT.includes('RAYOS_GUEST:VT_SHELL:tty1'));
});
