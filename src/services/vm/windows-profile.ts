// Owns the Windows 11 VM profile: the machine RayOS gives every Windows VM, and Windows 11's own minimums it is held to.
import type { VmStopProfile } from '../../contracts/vm.js';

/** Microsoft's published Windows 11 minimums that a VM profile decides (the CPU model and speed are QEMU's). */
export const WINDOWS_11_MINIMUM = { memoryMiB: 4096, vcpus: 2, diskGiB: 64, tpmVersion: '2.0', secureBoot: true } as const;

export interface WindowsProfile {
  /** q35: Secure Boot needs SMM, which only q35 has (vm-spec.ts refuses the rest). */
  readonly machine: 'q35';
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly disk: {
    /** The size Windows sees; the qcow2 is sparse, so it takes only what Windows writes (about 20 GiB after Setup). */
    readonly sizeGiB: number;
    readonly format: 'qcow2';
    /**
     * AHCI (SATA): Windows Setup has drivers for it in the box. It has none for virtio-blk, so a virtio system disk
     * is invisible to Setup unless the virtio-win driver ISO is attached too (`rayos windows provision --drivers`)
     * and the person loads the driver; AHCI works with no extra media, at some cost in disk speed.
     */
    readonly bus: 'ahci' | 'virtio';
  };
  readonly firmware: {
    readonly kind: 'uefi';
    readonly secureBoot: true;
    /** In /usr/share/OVMF (Debian's ovmf): the SMM build with Secure Boot. */
    readonly codeFile: 'OVMF_CODE_4M.secboot.fd';
    /** The template each VM's own variables are copied from once (Microsoft's keys enrolled, so Windows boot media verify); kept forever after. */
    readonly varsTemplateFile: 'OVMF_VARS_4M.ms.fd';
  };
  /** A persistent swtpm TPM 2.0, with its state in the VM's folder. */
  readonly tpm: { readonly version: '2.0' };
  /** Off by default, as for every guest; policy may turn it on. */
  readonly network: boolean;
  /** When RayOS stops, a Windows VM is suspended (its memory and TPM state saved) rather than shut down. */
  readonly stopProfile: VmStopProfile;
}

export const WINDOWS_PROFILE: WindowsProfile = {
  machine: 'q35',
  memoryMiB: 4096,
  vcpus: 2,
  disk: { sizeGiB: 64, format: 'qcow2', bus: 'ahci' },
  firmware: { kind: 'uefi', secureBoot: true, codeFile: 'OVMF_CODE_4M.secboot.fd', varsTemplateFile: 'OVMF_VARS_4M.ms.fd' },
  tpm: { version: '2.0' },
  network: false,
  stopProfile: 'suspend',
};

/** The profile as the check report shows it. */
export function windowsProfileSummary(profile: WindowsProfile = WINDOWS_PROFILE) {
  return {
    machine: profile.machine,
    memoryMiB: profile.memoryMiB,
    vcpus: profile.vcpus,
    diskGiB: profile.disk.sizeGiB,
    diskBus: profile.disk.bus,
    firmware: `uefi, Secure Boot (${profile.firmware.codeFile} + ${profile.firmware.varsTemplateFile})`,
    tpm: profile.tpm.version,
    network: profile.network,
  } as const;
}
