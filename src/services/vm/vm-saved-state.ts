// Owns where a suspend saves a VM: the tag of its saved state, and the block nodes that hold its RAM and the snapshot.
import type { VmConfig } from './vm-registry.js';

const SUSPEND_TAG_PREFIX = 'rayos-suspend-';

/** A fresh tag for a suspend's saved state; the time keeps it unique within the VM. */
export function newSuspendTag(): string {
  return `${SUSPEND_TAG_PREFIX}${Date.now()}`;
}

/**
 * The nodes a suspend saves into and a resume deletes from. UEFI variables in qcow2 are one of them: -loadvm
 * wants the tag on every writable node, and the variables must come back as they were with the RAM.
 */
export function savedStateNodes(config: VmConfig): string[] {
  return [...config.disks.map((d) => d.nodeName), ...(hasQcow2Vars(config) ? ['fw-vars'] : [])];
}

/**
 * Where a suspend puts the RAM. -loadvm reads it from the first writable node it finds, and a pflash's node comes
 * before every disk (the machine attaches it before any -device): with qcow2 variables that is fw-vars, and a state
 * saved in the system disk is refused there as "a disk-only snapshot" (seen with QEMU 7.2).
 */
export function vmstateNode(config: VmConfig): string {
  return hasQcow2Vars(config) ? 'fw-vars' : config.disks[0]!.nodeName;
}

function hasQcow2Vars(config: VmConfig): boolean {
  const fw = config.firmware;
  return fw.kind === 'uefi' && fw.varsFormat === 'qcow2';
}
