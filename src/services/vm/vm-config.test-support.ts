// Owns the sample VM config the registry and controller tests register.
import type { VmConfig } from './vm-registry.js';

/** A small VM with one qcow2 disk, no image, no agent. */
export const SAMPLE_VM_CONFIG: VmConfig = {
  machine: 'q35',
  memoryMiB: 256,
  vcpus: 1,
  disks: [{ nodeName: 'disk0', file: 'disk0.qcow2', format: 'qcow2', sizeMiB: 64 }],
  image: null,
  firmware: { kind: 'bios' },
  tpmDir: null,
  network: 'none',
  agent: false,
};
