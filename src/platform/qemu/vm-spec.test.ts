// Tests the QEMU launch spec schema: a good spec passes, and each kind of bad input is refused with its field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleQemuSpec } from './vm-spec.test-support.js';
import { parseQemuVmSpec, type QemuVmSpec } from './vm-spec.js';

const DIR = '/var/lib/rayos/vms/0123';

function sampleSpec(overrides: Partial<QemuVmSpec> = {}): QemuVmSpec {
  return sampleQemuSpec(DIR, overrides);
}

test('a complete spec passes unchanged', () => {
  const spec = sampleSpec({
    firmware: { kind: 'uefi', codePath: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', varsPath: `${DIR}/vars.fd`, secureBoot: true },
    kernel: { path: '/img/vmlinuz', initrdPath: '/img/initrd.img', cmdline: 'console=ttyS0 quiet' },
    cdroms: [{ path: '/isos/win11.iso', bootIndex: 0 }, { path: '/isos/virtio-win.iso' }],
    agentSocketPath: `${DIR}/agent.sock`,
    network: { mode: 'user', hostForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }] },
    tpm: { socketPath: `${DIR}/tpm.sock` },
    loadvmTag: 'rayos-suspend-3',
    logPath: `${DIR}/qemu.log`,
  });
  const parsed = parseQemuVmSpec(spec);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  assert.deepEqual(parsed.value, spec);
});

const BAD: ReadonlyArray<[string, unknown, RegExp]> = [
  ['a name with a comma', sampleSpec({ name: 'linux,x' }), /name:/],
  ['an id that is not a UUID', sampleSpec({ id: '0123456789abcdef' }), /id:/],
  ['one QMP socket', { ...sampleSpec(), qmpSocketPaths: [`${DIR}/qmp-0.sock`] }, /qmpSocketPaths/],
  ['a relative disk path', sampleSpec({ disks: [{ nodeName: 'data', path: 'data.qcow2', format: 'qcow2', readOnly: false, bus: 'virtio' }] }), /disks\.0\.path: an absolute path/],
  ['a path with a newline', sampleSpec({ serialLogPath: `${DIR}/serial\n.log` }), /serialLogPath: a path without line breaks/],
  ['a socket path over 107 bytes', sampleSpec({ display: { vncSocketPath: `/${'x'.repeat(110)}.sock` } }), /display\.vncSocketPath: a unix socket path of at most 107 bytes/],
  ['a node name too long for "<name>-file"', sampleSpec({ disks: [{ nodeName: 'a'.repeat(27), path: `${DIR}/d`, format: 'raw', readOnly: false, bus: 'virtio' }] }), /disks\.0\.nodeName/],
  ['a node name with upper case', sampleSpec({ disks: [{ nodeName: 'Data', path: `${DIR}/d`, format: 'raw', readOnly: false, bus: 'virtio' }] }), /disks\.0\.nodeName/],
  ['a reserved node name', sampleSpec({ disks: [{ nodeName: 'fw-vars', path: `${DIR}/d`, format: 'raw', readOnly: false, bus: 'virtio' }] }), /reserved/],
  [
    'two disks with one node name',
    sampleSpec({ disks: [0, 1].map((i) => ({ nodeName: 'data', path: `${DIR}/d${i}`, format: 'raw' as const, readOnly: false, bus: 'virtio' as const })) }),
    /used by two disks/,
  ],
  ['a read-only AHCI disk', sampleSpec({ disks: [{ nodeName: 'data', path: `${DIR}/d`, format: 'raw', readOnly: true, bus: 'ahci' }] }), /disks\.0\.readOnly: an AHCI disk cannot be read-only/],
  ['a usb-storage disk', sampleSpec({ disks: [{ nodeName: 'data', path: `${DIR}/d`, format: 'raw', readOnly: false, bus: 'usb-storage' as 'virtio' }] }), /disks\.0\.bus/],
  [
    'more AHCI devices than a pc has slots',
    sampleSpec({
      machine: 'pc',
      cdroms: [{ path: '/isos/x.iso' }],
      disks: [0, 1, 2, 3].map((i) => ({ nodeName: `d${i}`, path: `${DIR}/d${i}`, format: 'raw' as const, readOnly: false, bus: 'ahci' as const })),
    }),
    /machine pc has 4 AHCI\/IDE slots; this VM needs 5/,
  ],
  ['Secure Boot on machine pc', sampleSpec({ machine: 'pc', firmware: { kind: 'uefi', codePath: '/c.fd', varsPath: '/v.fd', secureBoot: true } }), /only machine q35/],
  ['two devices with one bootIndex', sampleSpec({ cdroms: [{ path: '/isos/x.iso', bootIndex: 1 }] }), /share a bootIndex/],
  ['two CD-ROMs with one bootIndex', sampleSpec({ cdroms: [{ path: '/isos/x.iso', bootIndex: 3 }, { path: '/isos/y.iso', bootIndex: 3 }] }), /share a bootIndex/],
  ['three CD-ROMs', sampleSpec({ cdroms: ['/a.iso', '/b.iso', '/c.iso'].map((path) => ({ path })) }), /cdroms: Too big|cdroms.*2/i],
  [
    'more AHCI devices than a q35 has ports (5 disks and 2 CD-ROMs)',
    sampleSpec({
      cdroms: [{ path: '/isos/x.iso' }, { path: '/isos/y.iso' }],
      disks: [0, 1, 2, 3, 4].map((i) => ({ nodeName: `d${i}`, path: `${DIR}/d${i}`, format: 'raw' as const, readOnly: false, bus: 'ahci' as const })),
    }),
    /machine q35 has 6 AHCI\/IDE slots; this VM needs 7/,
  ],
  ['a disk named cdrom1', sampleSpec({ disks: [{ nodeName: 'cdrom1', path: `${DIR}/d`, format: 'raw', readOnly: false, bus: 'virtio' }] }), /reserved/],
  ['two sockets on one path', sampleSpec({ agentSocketPath: `${DIR}/qmp-0.sock` }), /share a path/],
  ['a host forward open to the world by name', sampleSpec({ network: { mode: 'user', hostForwards: [{ protocol: 'tcp', hostAddress: 'example.org', hostPort: 1, guestPort: 2 }] } }), /hostAddress/],
  ['a snapshot tag with a space', sampleSpec({ loadvmTag: 'a b' }), /loadvmTag/],
  ['an unknown field', { ...sampleSpec(), extra: true }, /extra/],
  ['not an object', 'linux', /spec:/],
];

for (const [what, untrustedSpec, message] of BAD) {
  test(`refuses ${what} with RAYOS_VM_LAUNCH_FAILED`, () => {
    const parsed = parseQemuVmSpec(untrustedSpec);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.error.code, 'RAYOS_VM_LAUNCH_FAILED');
    assert.match(parsed.error.message, message);
    assert.match(parsed.error.message, /Fix the VM configuration/);
  });
}
