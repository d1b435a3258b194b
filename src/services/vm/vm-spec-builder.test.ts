// Tests turning a registered VM into its launch spec: BIOS and virtio by default; the Windows profile's AHCI disk, UEFI firmware, TPM socket and installer CD-ROMs from the launch preparation.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseQemuVmSpec } from '../../platform/qemu/vm-spec.js';
import { SAMPLE_VM_CONFIG } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import type { VmRecord } from './vm-registry.js';
import { buildSpec } from './vm-spec-builder.js';
import { windowsConfig } from './windows-provision.js';

const root = mkdtempSync(join(tmpdir(), 'rayos-specb-'));
after(() => rmSync(root, { recursive: true, force: true }));

function record(config: VmRecord['config'], kind: VmRecord['kind'] = 'linux'): VmRecord {
  return {
    id: '0b5a1f6e-3c1d-4c8e-9a57-2f0e4d1b6c3a',
    name: kind,
    kind,
    createdAt: '2026-01-01T00:00:00.000Z',
    config,
    stopProfile: 'suspend',
    desiredState: 'running',
    observedState: 'defined',
    observedReason: null,
    savedStateTag: null,
    bootCount: 0,
    instance: null,
  };
}

const files = vmFiles(root, { id: '0b5a1f6e-3c1d-4c8e-9a57-2f0e4d1b6c3a' });
mkdirSync(files.dir);

test('without a preparation: BIOS, virtio disks, no TPM, no CD-ROM (the Linux subsystem as before)', () => {
  writeFileSync(files.disk('disk0.qcow2'), '');
  const spec = buildSpec({ record: record(SAMPLE_VM_CONFIG), files, imagesDir: root, accel: 'tcg', loadvmTag: null });
  assert.ok(spec.ok, spec.ok ? '' : spec.error.message);
  assert.deepEqual(spec.value.firmware, { kind: 'bios' });
  assert.deepEqual(spec.value.disks.map((d) => [d.nodeName, d.bus, d.bootIndex]), [['disk0', 'virtio', 1]]);
  assert.equal(spec.value.tpm, undefined);
  assert.equal(spec.value.cdroms, undefined);
});

test('the Windows profile: its AHCI system disk, the prepared Secure Boot firmware, the swtpm socket and the installer and driver CD-ROMs; a valid spec', () => {
  writeFileSync(files.disk('system.qcow2'), '');
  const firmware = { kind: 'uefi' as const, codePath: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', varsPath: files.disk('vars.qcow2'), varsFormat: 'qcow2' as const, secureBoot: true };
  const cdroms = [{ path: '/isos/win11.iso', bootIndex: 0 }, { path: '/isos/virtio-win.iso' }];
  const spec = buildSpec({
    record: record(windowsConfig('/isos/win11.iso', '/isos/virtio-win.iso'), 'windows'),
    files,
    imagesDir: root,
    accel: 'tcg',
    loadvmTag: null,
    prepared: { firmware, tpm: { socketPath: join(files.dir, 'swtpm.sock') }, cdroms },
  });
  assert.ok(spec.ok, spec.ok ? '' : spec.error.message);
  assert.deepEqual(spec.value.firmware, firmware);
  assert.deepEqual(spec.value.disks.map((d) => [d.nodeName, d.bus, d.bootIndex]), [['system', 'ahci', 1]]);
  assert.deepEqual(spec.value.tpm, { socketPath: join(files.dir, 'swtpm.sock') });
  assert.deepEqual(spec.value.cdroms, cdroms);
  assert.equal(spec.value.agentSocketPath, undefined, 'RayOS has no agent in Windows');
  assert.equal(spec.value.memoryMiB, 4096);
  const parsed = parseQemuVmSpec(spec.value);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
});
