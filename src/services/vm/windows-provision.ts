// Owns making the Windows VM once (`rayos windows provision`): checks first, then its identity, sparse system disk, own Secure Boot variables and TPM 2.0 state, all or nothing.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyActor, PolicyDecision } from '../../contracts/policy.js';
import type { WindowsProvisionRequestSchema } from '../../contracts/vm.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import { OVMF_DIR } from '../../platform/host-probe/host-facts.js';
import { findExecutable } from '../../platform/process/run-command.js';
import { copyAsQcow2, createBlankDisk } from '../../platform/qemu/data-disk.js';
import { createTpmState, toolMissing } from '../../platform/swtpm/tpm-state.js';
import type { z } from 'zod';
import { checkInstallMedia } from './install-media.js';
import { vmFiles } from './vm-files.js';
import { OVMF_CODE, tpmFiles } from './vm-launch-prep.js';
import type { VmConfig, VmRecord, VmRegistry } from './vm-registry.js';
import { storageRootMissingError, type VmStorageRoot } from './vm-storage.js';
import { WINDOWS_PROFILE } from './windows-profile.js';

export const WINDOWS_VM_NAME = 'windows';
/** File names inside the VM's folder. */
export const WINDOWS_FILES = { disk: 'system.qcow2', vars: 'vars.qcow2', tpmDir: 'tpm' } as const;

export interface ProvisionDeps {
  readonly registry: VmRegistry;
  readonly storage: VmStorageRoot;
  readonly markers: MarkerWriter;
  /** Asks policy for vm.create of this config (the service adds the host's committed budget). */
  authorizeCreate(config: VmConfig, actor: PolicyActor): Promise<Result<PolicyDecision, RayosError>>;
  /** Stops whatever of the existing VM runs (QEMU, swtpm) and lets go of it, before its files are removed. */
  releaseExisting(record: VmRecord): Promise<void>;
  readonly ovmfDir?: string;
  readonly searchPath?: string;
}

export interface Provisioned {
  readonly record: VmRecord;
  readonly replaced: boolean;
  readonly iso: string;
  readonly drivers: string | null;
  readonly files: { disk: string; vars: string; tpmState: string };
}

const DESTROYS = 'its system disk (Windows and everything installed on it), its UEFI variables and its TPM state (BitLocker keys, Windows activation)';

/** The registry config of the Windows profile; the installer is attached only to its first boot. */
export function windowsConfig(iso: string, drivers: string | null): VmConfig {
  const profile = WINDOWS_PROFILE;
  return {
    machine: profile.machine,
    memoryMiB: profile.memoryMiB,
    vcpus: profile.vcpus,
    disks: [{ nodeName: 'system', file: WINDOWS_FILES.disk, format: 'qcow2', sizeMiB: profile.disk.sizeGiB * 1024, bus: profile.disk.bus, content: 'blank' }],
    image: null,
    firmware: { kind: 'uefi', varsFile: WINDOWS_FILES.vars, secureBoot: profile.firmware.secureBoot, varsFormat: 'qcow2' },
    tpmDir: WINDOWS_FILES.tpmDir,
    network: profile.network ? 'user' : 'none',
    // RayOS's own agent is not in Windows; the QEMU guest agent (virtio-win's qemu-ga) says when it is up.
    agent: false,
    qga: true,
    installMedia: { iso, drivers, booted: false },
  };
}

/**
 * Everything that can be checked is checked before anything is touched, so a refused provision (bad media, a missing
 * tool or firmware, policy, an existing VM without --replace --yes) changes nothing.
 */
export async function provisionWindows(untrusted: z.output<typeof WindowsProvisionRequestSchema>, actor: PolicyActor, deps: ProvisionDeps): Promise<Result<Provisioned, RayosError>> {
  if (untrusted.iso === undefined) {
    return err(rayosError('RAYOS_WINDOWS_ISO_MISSING', 'Provisioning needs the Windows installation image: "rayos windows provision --iso PATH" (RayOS never ships Windows; download the Windows 11 ISO from Microsoft). Add --drivers PATH for a driver ISO such as virtio-win.'));
  }
  const iso = await checkInstallMedia(untrusted.iso, '--iso');
  if (!iso.ok) return iso;
  const drivers = untrusted.drivers === undefined ? ok(null) : await checkInstallMedia(untrusted.drivers, '--drivers');
  if (!drivers.ok) return drivers;
  if (untrusted.replace && !untrusted.confirm) {
    return err(rayosError('RAYOS_VM_CONFIRM_REQUIRED', `--replace destroys the Windows VM: ${DESTROYS}. Run "rayos windows provision --iso PATH --replace --yes" if you mean it.`));
  }
  const tools = await missingTool(deps);
  if (tools !== null) return err(tools);
  const ovmfDir = deps.ovmfDir ?? OVMF_DIR;
  const firmware = [OVMF_CODE.secureBoot, WINDOWS_PROFILE.firmware.varsTemplateFile].map((file) => join(ovmfDir, file)).filter((path) => !existsSync(path));
  if (firmware.length > 0) {
    return err(rayosError('RAYOS_WINDOWS_FIRMWARE_MISSING', `Windows 11 needs UEFI with Secure Boot, and ${firmware.join(' and ')} ${firmware.length === 1 ? 'is' : 'are'} not installed: sudo apt-get install ovmf (the Debian package with the OVMF firmware), then provision again.`, { missing: firmware }));
  }
  if (!existsSync(deps.storage.root)) return err(storageRootMissingError(WINDOWS_VM_NAME, deps.storage));
  const existing = deps.registry.findByName(WINDOWS_VM_NAME);
  // A row that no longer reads back is still a VM whose files RayOS must not silently drop.
  const taken = !existing.ok || existing.value !== null || deps.registry.nameTaken(WINDOWS_VM_NAME);
  if (taken && !untrusted.replace) {
    return err(
      rayosError(
        'RAYOS_WINDOWS_EXISTS',
        `The Windows VM is provisioned already ("rayos vm show ${WINDOWS_VM_NAME}"); RayOS makes it once and keeps it. To throw it away and start over, run "rayos windows provision --iso PATH --replace --yes": that destroys ${DESTROYS}.`,
      ),
    );
  }
  const config = windowsConfig(iso.value, drivers.value);
  const allowed = await deps.authorizeCreate(config, actor);
  if (!allowed.ok) return allowed;

  if (taken) {
    deps.markers.emit('RAYOS_WINDOWS', 'REPLACING', WINDOWS_VM_NAME);
    if (!existing.ok || existing.value === null) {
      return err(rayosError('RAYOS_WINDOWS_PROVISION_FAILED', `The Windows VM's row in state.db cannot be read (${existing.ok ? 'gone while replacing' : existing.error.message}), so RayOS cannot tell which folder to remove. Restore state.db from a backup, or remove the row, and provision again.`));
    }
    await deps.releaseExisting(existing.value);
    await rm(vmFiles(deps.storage.root, existing.value).dir, { recursive: true, force: true });
    deps.registry.remove(existing.value.id);
  }

  const created = deps.registry.create({ name: WINDOWS_VM_NAME, kind: 'windows', config, stopProfile: WINDOWS_PROFILE.stopProfile });
  if (!created.ok) return created;
  const record = created.value;
  const files = vmFiles(deps.storage.root, record);
  const made = await makeFiles(record, deps.storage.root, ovmfDir, deps.searchPath);
  if (!made.ok) {
    // All or nothing: a half-made VM (a disk without a TPM) would later be refused at every start.
    await rm(files.dir, { recursive: true, force: true });
    deps.registry.remove(record.id);
    return made;
  }
  deps.markers.emit('RAYOS_WINDOWS', 'PROVISIONED', WINDOWS_VM_NAME);
  return ok({ record, replaced: taken, iso: iso.value, drivers: drivers.value, files: made.value });
}

async function makeFiles(record: VmRecord, root: string, ovmfDir: string, searchPath: string | undefined): Promise<Result<Provisioned['files'], RayosError>> {
  const files = vmFiles(root, record);
  const dir = files.dir;
  const failed = (error: RayosError) => err(rayosError('RAYOS_WINDOWS_PROVISION_FAILED', `Making the Windows VM failed, and what was made is removed again: ${error.code}: ${error.message}`, { cause: error.code }));
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    return failed(rayosError('RAYOS_VM_DISK_FAILED', `cannot create ${dir}: ${(error as Error).message}`));
  }
  const disk = files.disk(WINDOWS_FILES.disk);
  const madeDisk = await createBlankDisk(disk, WINDOWS_PROFILE.disk.sizeGiB * 1024);
  if (!madeDisk.ok) return failed(madeDisk.error);
  const vars = files.disk(WINDOWS_FILES.vars);
  const madeVars = await copyAsQcow2(join(ovmfDir, WINDOWS_PROFILE.firmware.varsTemplateFile), vars);
  if (!madeVars.ok) return failed(madeVars.error);
  const tpm = tpmFiles(files, WINDOWS_FILES.tpmDir);
  const madeTpm = await createTpmState(tpm.stateDir, searchPath === undefined ? {} : { searchPath });
  if (!madeTpm.ok) return failed(madeTpm.error);
  return ok({ disk, vars, tpmState: tpm.stateDir });
}

async function missingTool(deps: Pick<ProvisionDeps, 'searchPath'>): Promise<RayosError | null> {
  for (const tool of ['swtpm', 'swtpm_setup'] as const) {
    if ((await findExecutable(tool, deps.searchPath)) === null) return toolMissing(tool);
  }
  if ((await findExecutable('qemu-img', deps.searchPath)) === null) {
    return rayosError('RAYOS_WINDOWS_PROVISION_FAILED', 'qemu-img is not installed, and it makes the Windows VM\'s disk and variables: sudo apt-get install qemu-utils, then provision again.');
  }
  return null;
}
