// Owns the sample QEMU launch spec the launcher tests start from.
import type { QemuVmSpec } from './vm-spec.js';

/** A valid spec for a small Linux VM whose files live in `dir`; overrides replace whole fields. */
export function sampleQemuSpec(dir: string, overrides: Partial<QemuVmSpec> = {}): QemuVmSpec {
  return {
    name: 'linux',
    id: '0b5a1f6e-3c1d-4c8e-9a57-2f0e4d1b6c3a',
    machine: 'q35',
    accel: 'tcg',
    memoryMiB: 256,
    vcpus: 1,
    firmware: { kind: 'bios' },
    disks: [{ nodeName: 'data', path: `${dir}/data.qcow2`, format: 'qcow2', readOnly: false, bus: 'virtio', bootIndex: 1 }],
    display: { vncSocketPath: `${dir}/vnc.sock` },
    serialLogPath: `${dir}/serial.log`,
    qmpSocketPaths: [`${dir}/qmp-0.sock`, `${dir}/qmp-1.sock`],
    network: { mode: 'none' },
    startPaused: false,
    pidFilePath: `${dir}/qemu.pid`,
    ...overrides,
  };
}
