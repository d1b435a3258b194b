// Owns where each kind of VM keeps its folders (vm.linuxStorage / vm.windowsStorage, else <data>/vm), and the error that refuses a VM whose folder is not there.
import type { RayosConfig } from '../../contracts/config.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { VmKind } from '../../contracts/vm.js';

export interface VmStorageRoot {
  /** The directory the VM folders (<root>/<vm id>/) are in. */
  readonly root: string;
  /** The config key that chose it; null for the data directory's vm/. */
  readonly setting: string | null;
}

const SETTING: Readonly<Record<VmKind, 'linuxStorage' | 'windowsStorage'>> = { linux: 'linuxStorage', windows: 'windowsStorage' };

/** Where VMs of this kind live now. Only a configured directory can be missing: <data>/vm is made with the data layout. */
export function vmStorageRoot(kind: VmKind, vmConfig: Pick<RayosConfig['vm'], 'linuxStorage' | 'windowsStorage'>, dataVmDir: string): VmStorageRoot {
  const key = SETTING[kind];
  const configured = vmConfig[key];
  return configured === '' ? { root: dataVmDir, setting: null } : { root: configured, setting: `vm.${key}` };
}

/**
 * A registered VM whose folder is not found (`exists`: its storage directory is there, only the VM's folder is not).
 * RayOS never starts such a VM on an empty disk nor makes a new one in its place: the person decides.
 */
export function storageMissingError(vm: string, dir: string, storage: VmStorageRoot, rootExists: boolean): RayosError {
  const where = storage.setting === null ? `the data directory's vm/ (${storage.root})` : `${storage.setting} = ${storage.root}`;
  const why = rootExists
    ? `${storage.root} is there but holds no folder for it: the setting may point at another disk or folder than the one it was made on`
    : `${storage.root} does not exist: the disk that holds it is not attached or not mounted, or the setting changed`;
  const fix = storage.setting === null ? 'restore the folder' : `reattach the disk (or set ${storage.setting} back to where the VM was made)`;
  return rayosError(
    'RAYOS_VM_STORAGE_MISSING',
    `${vm}: its folder ${dir} is missing (${where}); ${why}. RayOS does not start it or make a new one in its place: ${fix} and restart RayOS${rootExists ? `, or run "rayos vm reset ${vm} --yes" to start it over with an empty disk in ${storage.root}` : ''}.`,
    { vm, dir, root: storage.root, setting: storage.setting },
  );
}

/** Refusing to create a new VM in a configured directory that is not there (RayOS never makes that directory itself). */
export function storageRootMissingError(vm: string, storage: VmStorageRoot): RayosError {
  return rayosError(
    'RAYOS_VM_STORAGE_MISSING',
    `${vm} is not created: ${storage.setting ?? 'its storage directory'} = ${storage.root} does not exist. Attach and mount the disk it is on (or create the directory, or set ${storage.setting ?? 'the setting'} to "" for the data directory's vm/) and restart RayOS.`,
    { vm, root: storage.root, setting: storage.setting },
  );
}
