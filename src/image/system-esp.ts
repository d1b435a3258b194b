// Owns what an installed disk's ESP holds: systemd-boot (as the removable-media fallback too), loader.conf, the counted system entry with its kernel and initrd, and the recovery entry.
import { err, ok, type Result } from '../base/result.js';
import { type RayosError } from '../contracts/errors.js';
import { TUNED_KERNEL_OPTIONS } from './boot-tuning.js';
import { countedEntryName, RECOVERY_FILE_NAME, renderLoaderConf, renderRecoveryEntry, renderSystemEntry } from './boot-entries.js';
import { partitionOf, type DiskPlan } from './disk-layout.js';
import { type EspFile } from './image-assembly.js';

export interface BootPayload {
  /** systemd-bootx64.efi from the root tree (the same version as its bootctl). */
  readonly bootloader: string;
  readonly version: string;
  readonly kernel: string;
  readonly initrd: string;
  /** The recovery system: kernel + initramfs that never touch the root slots. */
  readonly recovery: { readonly kernel: string; readonly initrd: string } | null;
}

/** Kernel options every RayOS boot shares: the serial console last, so systemd and RayOS's markers reach it. */
export const CONSOLE_OPTIONS = ['console=tty0', 'console=ttyS0,115200'] as const;
/**
 * Every RayOS boot reboots through the ACPI reset register: a reboot through the firmware's EFI reset left OVMF
 * stalled (until the hardware watchdog fired 115 s later, or for good), where ACPI reset restarts at once (28 s to
 * the next kernel, under TCG).
 */
export const REBOOT_OPTIONS = ['reboot=acpi'] as const;
// No wait at the menu on an installed disk (it shows on a key press); boot counting, not a person, picks the entry.
const LOADER_TIMEOUT_S = 0;

/** systemd-boot on the ESP, where bootctl install puts it: the firmware boot entry the installer sets starts this file. */
export const SYSTEMD_BOOT_ESP_PATH = '/EFI/systemd/systemd-bootx64.efi';

export const systemDir = (version: string): string => `/rayos/${version}`;
export const RECOVERY_DIR = '/rayos/recovery';

/** The PARTUUIDs of the VM storage disks chosen at install (vm-storage-disk.ts); each absent when not chosen. */
export interface VmStoreParts {
  readonly linux?: string;
  readonly windows?: string;
}

/** `rayos.vmstore.<kind>=PARTUUID=…` for each storage disk: the mount generator mounts them; A/B updates carry them over. */
export function vmStoreOptions(vmStore: VmStoreParts): string[] {
  return (['linux', 'windows'] as const).flatMap((kind) => {
    const uuid = vmStore[kind];
    return uuid === undefined ? [] : [`rayos.vmstore.${kind}=PARTUUID=${uuid.toLowerCase()}`];
  });
}

/** The system entry's options beyond root=: where the data, the ESP and any VM storage disks are, and the machine id both slots share. */
export function systemOptions(plan: DiskPlan, machineId: string, vmStore: VmStoreParts = {}): string[] {
  return [
    'rootwait',
    ...CONSOLE_OPTIONS,
    ...REBOOT_OPTIONS,
    `rayos.data=PARTUUID=${partitionOf(plan, 'data').partUuid.toLowerCase()}`,
    `rayos.esp=PARTUUID=${partitionOf(plan, 'esp').partUuid.toLowerCase()}`,
    ...vmStoreOptions(vmStore),
    `systemd.machine_id=${machineId}`,
    ...TUNED_KERNEL_OPTIONS,
    // A panic reboots after 10 s; its dmesg is in EFI pstore by then, archived on the next boot.
    'panic=10',
  ];
}

/** The files of a freshly installed ESP for slot A: one counted entry (three tries), then recovery. */
export function systemEspFiles(plan: DiskPlan, payload: BootPayload, machineId: string, vmStore: VmStoreParts = {}): Result<EspFile[], RayosError> {
  const dir = systemDir(payload.version);
  const entryName = countedEntryName(payload.version);
  if (!entryName.ok) return entryName;
  const entry = renderSystemEntry({
    version: payload.version,
    linux: `${dir}/vmlinuz`,
    initrd: [`${dir}/initrd.img`],
    rootPartUuid: partitionOf(plan, 'root-a').partUuid,
    extraOptions: systemOptions(plan, machineId, vmStore),
  });
  if (!entry.ok) return entry;
  const loader = renderLoaderConf(LOADER_TIMEOUT_S);
  if (!loader.ok) return loader;
  const files: EspFile[] = [
    // Firmware boots \EFI\BOOT\BOOTX64.EFI from any disk with no boot variable set: the disk boots by itself.
    { espPath: '/EFI/BOOT/BOOTX64.EFI', content: { sourcePath: payload.bootloader } },
    { espPath: SYSTEMD_BOOT_ESP_PATH, content: { sourcePath: payload.bootloader } },
    { espPath: '/loader/loader.conf', content: loader.value },
    { espPath: `${dir}/vmlinuz`, content: { sourcePath: payload.kernel } },
    { espPath: `${dir}/initrd.img`, content: { sourcePath: payload.initrd } },
    { espPath: `/loader/entries/${entryName.value}`, content: entry.value },
  ];
  if (payload.recovery !== null) {
    const recovery = renderRecoveryEntry({
      linux: `${RECOVERY_DIR}/vmlinuz`,
      initrd: [`${RECOVERY_DIR}/initrd.img`],
      options: [...CONSOLE_OPTIONS, ...REBOOT_OPTIONS, `rayos.data=PARTUUID=${partitionOf(plan, 'data').partUuid.toLowerCase()}`, 'rayos.mode=recovery', 'panic=10'],
    });
    if (!recovery.ok) return err(recovery.error);
    files.push(
      { espPath: `${RECOVERY_DIR}/vmlinuz`, content: { sourcePath: payload.recovery.kernel } },
      { espPath: `${RECOVERY_DIR}/initrd.img`, content: { sourcePath: payload.recovery.initrd } },
      { espPath: `/loader/entries/${RECOVERY_FILE_NAME}`, content: recovery.value },
    );
  }
  return ok(files);
}
