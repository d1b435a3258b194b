// Tests the QEMU argv builder for the facts the supervisor relies on, and the config hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleQemuSpec } from './vm-spec.test-support.js';
import { createHash } from 'node:crypto';
import { buildQemuArgv, configHash, qemuOptValue } from './qemu-argv.js';
import type { QemuVmSpec } from './vm-spec.js';

const DIR = '/data/vms/a,b';

function spec(overrides: Partial<QemuVmSpec> = {}): QemuVmSpec {
  return sampleQemuSpec(DIR, { vcpus: 2, ...overrides });
}

/** Every value that follows `flag` in argv. */
function valuesOf(argv: readonly string[], flag: string): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1] ?? '<missing>'] : []));
}

test('two QMP sockets, each a server that does not wait for a client', () => {
  assert.deepEqual(valuesOf(buildQemuArgv(spec()), '-qmp'), [
    'unix:/data/vms/a,,b/qmp-0.sock,server=on,wait=off',
    'unix:/data/vms/a,,b/qmp-1.sock,server=on,wait=off',
  ]);
});

test('a VGA display on a unix VNC socket, with tablet and keyboard bound to it', () => {
  const argv = buildQemuArgv(spec());
  const devices = valuesOf(argv, '-device');
  assert.ok(devices.includes('VGA,id=video0'));
  assert.ok(devices.includes('virtio-tablet-pci,display=video0'));
  assert.ok(devices.includes('virtio-keyboard-pci,display=video0'));
  assert.ok(!devices.some((d) => d.startsWith('usb-tablet')), 'usb-tablet loses a click sent in one call');
  assert.deepEqual(valuesOf(argv, '-display'), ['none']);
  assert.deepEqual(valuesOf(argv, '-vnc'), ['unix:/data/vms/a,,b/vnc.sock']);
});

test('no defaults, no user config, machine, accelerator, memory, vCPUs, name and UUID', () => {
  const argv = buildQemuArgv(spec({ accel: 'kvm' }));
  assert.ok(argv.includes('-nodefaults') && argv.includes('-no-user-config'));
  assert.deepEqual(valuesOf(argv, '-machine'), ['q35']);
  assert.deepEqual(valuesOf(argv, '-accel'), ['kvm']);
  assert.deepEqual(valuesOf(argv, '-m'), ['256M']);
  assert.deepEqual(valuesOf(argv, '-smp'), ['2']);
  assert.deepEqual(valuesOf(argv, '-name'), ['guest=linux']);
  assert.deepEqual(valuesOf(argv, '-uuid'), ['0b5a1f6e-3c1d-4c8e-9a57-2f0e4d1b6c3a']);
});

test('each disk is a file node plus a format node named after it, attached by node name', () => {
  const argv = buildQemuArgv(
    spec({
      disks: [
        { nodeName: 'data', path: `${DIR}/data.qcow2`, format: 'qcow2', readOnly: false, bus: 'virtio', bootIndex: 1 },
        { nodeName: 'seed', path: '/img/seed.raw', format: 'raw', readOnly: true, bus: 'virtio' },
      ],
    }),
  );
  assert.deepEqual(valuesOf(argv, '-blockdev'), [
    'driver=file,filename=/data/vms/a,,b/data.qcow2,node-name=data-file',
    'driver=qcow2,file=data-file,node-name=data',
    'driver=file,filename=/img/seed.raw,node-name=seed-file,read-only=on',
    'driver=raw,file=seed-file,node-name=seed,read-only=on',
  ]);
  const devices = valuesOf(argv, '-device');
  assert.ok(devices.includes('virtio-blk-pci,drive=data,id=data-dev,bootindex=1'), devices.join('\n'));
  assert.ok(devices.includes('virtio-blk-pci,drive=seed,id=seed-dev'), devices.join('\n'));
  assert.ok(!argv.includes('-drive'), 'no legacy -drive: snapshot jobs need node names');
});

test('AHCI disks and the CD-ROMs (installer, then drivers) each get their own port (q35) or bus and unit (pc)', () => {
  const disks = [0, 1].map((i) => ({ nodeName: `d${i}`, path: `/d${i}`, format: 'raw' as const, readOnly: false, bus: 'ahci' as const }));
  const cdroms = [{ path: '/isos/win,11.iso', bootIndex: 2 }, { path: '/isos/virtio-win.iso' }];
  const q35 = valuesOf(buildQemuArgv(spec({ disks, cdroms })), '-device');
  assert.ok(q35.includes('ide-hd,drive=d0,id=d0-dev,bus=ide.0,unit=0'), q35.join('\n'));
  assert.ok(q35.includes('ide-hd,drive=d1,id=d1-dev,bus=ide.1,unit=0'), q35.join('\n'));
  assert.ok(q35.includes('ide-cd,drive=cdrom0,id=cdrom0-dev,bus=ide.2,unit=0,bootindex=2'), q35.join('\n'));
  assert.ok(q35.includes('ide-cd,drive=cdrom1,id=cdrom1-dev,bus=ide.3,unit=0'), q35.join('\n'));
  const pc = valuesOf(buildQemuArgv(spec({ machine: 'pc', disks, cdroms })), '-device');
  assert.ok(pc.includes('ide-hd,drive=d1,id=d1-dev,bus=ide.0,unit=1'), pc.join('\n'));
  assert.ok(pc.includes('ide-cd,drive=cdrom0,id=cdrom0-dev,bus=ide.1,unit=0,bootindex=2'), pc.join('\n'));
  assert.ok(pc.includes('ide-cd,drive=cdrom1,id=cdrom1-dev,bus=ide.1,unit=1'), pc.join('\n'));
  const cdNodes = valuesOf(buildQemuArgv(spec({ cdroms })), '-blockdev').filter((b) => b.includes('cdrom'));
  assert.deepEqual(cdNodes, [
    'driver=file,filename=/isos/win,,11.iso,node-name=cdrom0-file,read-only=on',
    'driver=raw,file=cdrom0-file,node-name=cdrom0,read-only=on',
    'driver=file,filename=/isos/virtio-win.iso,node-name=cdrom1-file,read-only=on',
    'driver=raw,file=cdrom1-file,node-name=cdrom1,read-only=on',
  ]);
  assert.deepEqual(valuesOf(buildQemuArgv(spec({ cdroms: [] })), '-device').filter((d) => d.startsWith('ide-cd')), [], 'no CD-ROM when the list is empty');
});

test('q35 always has the empty root port rp-net, after every other PCI device; network none adds no NIC', () => {
  const argv = buildQemuArgv(spec({ agentSocketPath: `${DIR}/agent.sock` }));
  const devices = valuesOf(argv, '-device');
  assert.equal(devices.filter((d) => d.startsWith('pcie-root-port')).length, 1);
  assert.equal(devices.at(-1), 'pcie-root-port,id=rp-net,chassis=1,slot=1', 'last, so adding it moved no other device');
  assert.deepEqual(valuesOf(argv, '-netdev'), []);
  assert.ok(!devices.some((d) => d.startsWith('virtio-net-pci')));
  assert.deepEqual(valuesOf(argv, '-nic'), ['none']);
});

test('network user is the netdev net0 and the NIC nic0 in rp-net: the layout a hot-plug produces', () => {
  const argv = buildQemuArgv(spec({ network: { mode: 'user' } }));
  assert.deepEqual(valuesOf(argv, '-netdev'), ['user,id=net0']);
  const devices = valuesOf(argv, '-device');
  assert.deepEqual(devices.slice(-2), ['pcie-root-port,id=rp-net,chassis=1,slot=1', 'virtio-net-pci,id=nic0,netdev=net0,bus=rp-net']);
  assert.deepEqual(valuesOf(argv, '-nic'), []);
  assert.notEqual(configHash(argv), configHash(buildQemuArgv(spec())), 'the network is part of the config hash');
});

test('host forwards go on the user netdev and listen on loopback by default', () => {
  const user = buildQemuArgv(
    spec({ network: { mode: 'user', hostForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }, { protocol: 'udp', hostAddress: '0.0.0.0', hostPort: 5353, guestPort: 53 }] } }),
  );
  assert.deepEqual(valuesOf(user, '-netdev'), ['user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:0.0.0.0:5353-:53']);
});

test('machine pc has no root port; its NIC sits on the root bus', () => {
  const none = valuesOf(buildQemuArgv(spec({ machine: 'pc' })), '-device');
  assert.ok(!none.some((d) => d.startsWith('pcie-root-port')));
  const user = buildQemuArgv(spec({ machine: 'pc', network: { mode: 'user' } }));
  assert.ok(valuesOf(user, '-device').includes('virtio-net-pci,id=nic0,netdev=net0'));
  assert.ok(!valuesOf(user, '-device').some((d) => d.startsWith('pcie-root-port')));
});

test('commas are doubled inside option values, and plain options take the path as it is', () => {
  const argv = buildQemuArgv(spec({ kernel: { path: '/img,1/vmlinuz', initrdPath: '/img,1/initrd.img', cmdline: 'console=ttyS0,115200' }, logPath: `${DIR}/qemu.log` }));
  assert.deepEqual(valuesOf(argv, '-chardev'), ['file,id=serial0,path=/data/vms/a,,b/serial.log']);
  assert.deepEqual(valuesOf(argv, '-serial'), ['chardev:serial0']);
  assert.deepEqual(valuesOf(argv, '-kernel'), ['/img,1/vmlinuz']);
  assert.deepEqual(valuesOf(argv, '-initrd'), ['/img,1/initrd.img']);
  assert.deepEqual(valuesOf(argv, '-append'), ['console=ttyS0,115200']);
  assert.deepEqual(valuesOf(argv, '-pidfile'), ['/data/vms/a,b/qemu.pid']);
  assert.deepEqual(valuesOf(argv, '-D'), ['/data/vms/a,b/qemu.log']);
  assert.equal(qemuOptValue('a,,b,'), 'a,,,,b,,');
  assert.throws(() => qemuOptValue('a\nb'));
});

test('always a daemon with a pid file; -S and -loadvm only when asked', () => {
  const plain = buildQemuArgv(spec());
  assert.ok(plain.includes('-daemonize'));
  assert.deepEqual(valuesOf(plain, '-pidfile'), ['/data/vms/a,b/qemu.pid']);
  assert.ok(!plain.includes('-S') && !plain.includes('-loadvm') && !plain.includes('-D'));
  const resumed = buildQemuArgv(spec({ startPaused: true, loadvmTag: 'suspend-1' }));
  assert.ok(resumed.includes('-S'));
  assert.deepEqual(valuesOf(resumed, '-loadvm'), ['suspend-1']);
});

test('the guest agent gets a virtio-serial port named org.rayos.agent.0 on a server socket', () => {
  const argv = buildQemuArgv(spec({ agentSocketPath: `${DIR}/agent.sock` }));
  assert.ok(valuesOf(argv, '-chardev').includes('socket,id=agent0,path=/data/vms/a,,b/agent.sock,server=on,wait=off'));
  const devices = valuesOf(argv, '-device');
  assert.ok(devices.includes('virtio-serial-pci,id=vser0'));
  assert.ok(devices.includes('virtserialport,bus=vser0.0,chardev=agent0,name=org.rayos.agent.0'));
  assert.ok(!buildQemuArgv(spec()).some((a) => a.includes('agent0')));
});

test('UEFI firmware is two pflash nodes; Secure Boot adds SMM and a secure flash', () => {
  const argv = buildQemuArgv(spec({ firmware: { kind: 'uefi', codePath: '/fw/CODE.secboot.fd', varsPath: `${DIR}/vars.qcow2`, varsFormat: 'qcow2', secureBoot: true } }));
  assert.deepEqual(valuesOf(argv, '-machine'), ['q35,smm=on,pflash0=fw-code,pflash1=fw-vars']);
  assert.deepEqual(valuesOf(argv, '-global'), ['driver=cfi.pflash01,property=secure,value=on']);
  const fw = valuesOf(argv, '-blockdev').filter((b) => b.includes('fw-'));
  assert.deepEqual(fw, [
    'driver=file,filename=/fw/CODE.secboot.fd,node-name=fw-code-file,read-only=on',
    'driver=raw,file=fw-code-file,node-name=fw-code,read-only=on',
    'driver=file,filename=/data/vms/a,,b/vars.qcow2,node-name=fw-vars-file',
    'driver=qcow2,file=fw-vars-file,node-name=fw-vars',
  ]);
  const plain = buildQemuArgv(spec({ firmware: { kind: 'uefi', codePath: '/fw/CODE.fd', varsPath: '/v.fd', secureBoot: false } }));
  assert.deepEqual(valuesOf(plain, '-machine'), ['q35,pflash0=fw-code,pflash1=fw-vars']);
  assert.deepEqual(valuesOf(plain, '-global'), []);
  assert.ok(valuesOf(plain, '-blockdev').includes('driver=raw,file=fw-vars-file,node-name=fw-vars'));
});

test('a TPM is an emulator backend on the swtpm socket behind a tpm-tis device', () => {
  const argv = buildQemuArgv(spec({ tpm: { socketPath: `${DIR}/tpm.sock` } }));
  assert.ok(valuesOf(argv, '-chardev').includes('socket,id=chrtpm,path=/data/vms/a,,b/tpm.sock'));
  assert.deepEqual(valuesOf(argv, '-tpmdev'), ['emulator,id=tpm0,chardev=chrtpm']);
  assert.ok(valuesOf(argv, '-device').includes('tpm-tis,tpmdev=tpm0'));
});

test('configHash is sha256 of the NUL-joined argv: stable, and changed by any difference', () => {
  const argv = buildQemuArgv(spec());
  assert.equal(configHash(argv), createHash('sha256').update(argv.join('\0')).digest('hex'));
  assert.equal(configHash(buildQemuArgv(spec())), configHash(argv), 'the same spec gives the same hash');
  assert.notEqual(configHash(buildQemuArgv(spec({ memoryMiB: 512 }))), configHash(argv));
  assert.notEqual(configHash(['a,b']), configHash(['a', 'b']));
  assert.notEqual(configHash(['ab']), configHash(['a', 'b']));
  assert.match(configHash([]), /^[0-9a-f]{64}$/);
});

test('the QEMU guest agent port: its own chardev on virtio-serial, alone or beside the RayOS agent port (whose argv is unchanged)', () => {
  const alone = buildQemuArgv(spec({ qgaSocketPath: `${DIR}/qga.sock` }));
  assert.deepEqual(valuesOf(alone, '-chardev').filter((c) => c.includes('qga')), [`socket,id=qga0,path=${DIR.replaceAll(',', ',,')}/qga.sock,server=on,wait=off`]);
  const devices = valuesOf(alone, '-device');
  assert.equal(devices.filter((d) => d === 'virtio-serial-pci,id=vser0').length, 1);
  assert.ok(devices.includes('virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0'), devices.join('\n'));
  const both = buildQemuArgv(spec({ agentSocketPath: `${DIR}/agent.sock`, qgaSocketPath: `${DIR}/qga.sock` }));
  assert.equal(valuesOf(both, '-device').filter((d) => d === 'virtio-serial-pci,id=vser0').length, 1, 'one virtio-serial controller');
  const agentOnly = buildQemuArgv(spec({ agentSocketPath: `${DIR}/agent.sock` }));
  const withoutQga = both.filter((arg, i) => !arg.includes('qga0') && !both[i + 1]?.includes('qga0'));
  assert.deepEqual(withoutQga, agentOnly, 'the agent argv as before, so running QEMUs still match their config hash');
  assert.equal(valuesOf(agentOnly, '-chardev').some((c) => c.includes('qga')), false);
});
