// Owns what a VM needs ready before QEMU starts: its UEFI firmware and own variables checked, its TPM state checked and swtpm (re)started on it, its installation media.
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { OVMF_DIR } from '../../platform/host-probe/host-facts.js';
import { runCommand } from '../../platform/process/run-command.js';
import type { QemuFirmware } from '../../platform/qemu/vm-spec.js';
import { startSwtpm, stopSwtpm, type SwtpmProcess } from '../../platform/swtpm/swtpm-process.js';
import { checkTpmState } from '../../platform/swtpm/tpm-state.js';
import type { VmFiles } from './vm-files.js';
import type { VmConfig, VmRecord } from './vm-registry.js';

export const OVMF_CODE = { secureBoot: 'OVMF_CODE_4M.secboot.fd', plain: 'OVMF_CODE_4M.fd' } as const;

/** Where swtpm's socket, log and pid file of a VM with a TPM are: beside its other sockets, outside the state itself. */
export function tpmFiles(files: VmFiles, tpmDir: string) {
  return { stateDir: files.disk(tpmDir), ctrlSocket: join(files.dir, 'swtpm.sock'), logFile: join(files.dir, 'swtpm.log'), pidFile: join(files.dir, 'swtpm.pid') };
}

export interface PreparedLaunch {
  readonly firmware: QemuFirmware;
  readonly tpm?: { readonly socketPath: string };
  readonly cdroms?: readonly { path: string; bootIndex?: number }[];
  /** The swtpm started for this launch (stopped again if QEMU does not start). */
  readonly swtpm: SwtpmProcess | null;
  /** The config to store once QEMU runs (the installer marked as booted, or dropped); null: unchanged. */
  readonly configAfterLaunch: VmConfig | null;
}

export interface PrepareOptions {
  /** Where Debian's ovmf puts its files; default /usr/share/OVMF. */
  readonly ovmfDir?: string;
  /** PATH-style list to find swtpm in; default the process PATH. */
  readonly searchPath?: string;
}

const RECOVER = (vm: string) =>
  `Restore it from a backup (with the VM's other files) and start the VM again; if there is none, "rayos windows provision --iso PATH --replace --yes" makes ${vm} again from scratch, which loses its disk, its BitLocker keys and its Windows activation`;

/**
 * Checks everything first and starts nothing until all of it holds: a missing or corrupt variables file or TPM state
 * refuses the launch, and RayOS never makes new ones in their place (Windows keeps BitLocker keys and its activation in them).
 */
export async function prepareLaunch(record: VmRecord, files: VmFiles, how: 'cold' | 'resume', options: PrepareOptions = {}): Promise<Result<PreparedLaunch, RayosError>> {
  const { config } = record;
  const firmware = await checkFirmware(record, files, options.ovmfDir ?? OVMF_DIR);
  if (!firmware.ok) return firmware;
  if (config.tpmDir !== null) {
    const tpm = tpmFiles(files, config.tpmDir);
    const state = await checkTpmState(tpm.stateDir);
    if (state.status === 'missing') {
      return err(rayosError('RAYOS_TPM_STATE_MISSING', `${record.name}: its TPM state is missing (${state.detail}); RayOS does not start it on a new, empty TPM. ${RECOVER(record.name)}.`, { vm: record.name, stateDir: tpm.stateDir }));
    }
    if (state.status === 'corrupt') {
      return err(rayosError('RAYOS_TPM_STATE_CORRUPT', `${record.name}: its TPM state cannot be used (${state.detail}); RayOS leaves it as it is and does not start the VM. ${RECOVER(record.name)}.`, { vm: record.name, stateDir: tpm.stateDir }));
    }
  }
  const media = installMediaFor(record, how);
  for (const cdrom of media.cdroms) {
    if (!existsSync(cdrom.path)) {
      return err(
        rayosError(
          'RAYOS_WINDOWS_ISO_NOT_FOUND',
          `${record.name}: the installation image ${cdrom.path} it was provisioned with is gone, and ${how === 'resume' ? 'its saved state has it attached' : 'this is the launch that installs it'}. Put the file back at that path and start it again, or provision it again ("rayos windows provision --iso PATH --replace --yes").`,
          { vm: record.name, path: cdrom.path },
        ),
      );
    }
  }
  let swtpm: SwtpmProcess | null = null;
  if (config.tpmDir !== null) {
    const tpm = tpmFiles(files, config.tpmDir);
    // swtpm takes its state lock only once QEMU connects: a stale one from an earlier run must be gone before a new one starts.
    await stopSwtpm({ pidFile: tpm.pidFile, stateDir: tpm.stateDir });
    const started = await startSwtpm({ ...tpm, ...(options.searchPath === undefined ? {} : { searchPath: options.searchPath }) });
    if (!started.ok) return started;
    swtpm = started.value;
  }
  return ok({
    firmware: firmware.value,
    ...(swtpm === null ? {} : { tpm: { socketPath: swtpm.ctrlSocket } }),
    ...(media.cdroms.length === 0 ? {} : { cdroms: media.cdroms }),
    swtpm,
    configAfterLaunch: media.configAfter,
  });
}

/** Stops the swtpm a launch started, when QEMU then failed to start (QEMU never connected, so --terminate cannot end it). */
export async function abandonLaunch(record: VmRecord, files: VmFiles, prepared: PreparedLaunch): Promise<void> {
  if (prepared.swtpm === null || record.config.tpmDir === null) return;
  const tpm = tpmFiles(files, record.config.tpmDir);
  await stopSwtpm({ pidFile: tpm.pidFile, stateDir: tpm.stateDir });
}

/**
 * The installing launch (the first cold one) gets the installer as the first boot device and the driver image beside
 * it, and marks them booted; the next cold start drops them for good. A resume of a state saved while they were
 * attached gets them again, because -loadvm needs the devices the state was saved with.
 */
function installMediaFor(record: VmRecord, how: 'cold' | 'resume'): { cdroms: { path: string; bootIndex?: number }[]; configAfter: VmConfig | null } {
  const media = record.config.installMedia ?? null;
  if (media === null) return { cdroms: [], configAfter: null };
  const cdroms = [{ path: media.iso, bootIndex: 0 }, ...(media.drivers === null ? [] : [{ path: media.drivers }])];
  if (how === 'resume') return { cdroms: media.booted ? cdroms : [], configAfter: null };
  if (!media.booted) return { cdroms, configAfter: { ...record.config, installMedia: { ...media, booted: true } } };
  return { cdroms: [], configAfter: { ...record.config, installMedia: null } };
}

const QemuImgInfoSchema = z.object({ format: z.string(), 'virtual-size': z.number() });

async function checkFirmware(record: VmRecord, files: VmFiles, ovmfDir: string): Promise<Result<QemuFirmware, RayosError>> {
  const fw = record.config.firmware;
  if (fw.kind === 'bios') return ok({ kind: 'bios' });
  const codePath = join(ovmfDir, fw.secureBoot ? OVMF_CODE.secureBoot : OVMF_CODE.plain);
  if (!existsSync(codePath)) {
    return err(rayosError('RAYOS_WINDOWS_FIRMWARE_MISSING', `${record.name} boots through UEFI, and ${codePath} is not installed: sudo apt-get install ovmf (the Debian package with the OVMF firmware), then start it again.`, { vm: record.name, path: codePath }));
  }
  const varsPath = files.disk(fw.varsFile);
  const format = fw.varsFormat ?? 'raw';
  const corrupt = (why: string) =>
    err(rayosError('RAYOS_WINDOWS_VARS_CORRUPT', `${record.name}: its UEFI variables ${varsPath} cannot be used (${why}); RayOS leaves them as they are and does not start it with fresh ones (its boot entries and Secure Boot keys are in them). ${RECOVER(record.name)}.`, { vm: record.name, path: varsPath }));
  let size: number;
  try {
    const handle = await open(varsPath, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return corrupt('not a regular file');
      size = info.size;
      const magic = Buffer.alloc(4);
      await handle.read(magic, 0, 4, 0);
      if (size === 0) return corrupt('the file is empty');
      if (format === 'qcow2' && magic.toString('latin1') !== 'QFI\xfb') return corrupt('it is not a qcow2 image');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return err(rayosError('RAYOS_WINDOWS_VARS_MISSING', `${record.name}: its UEFI variables ${varsPath} are missing; RayOS does not start it with fresh ones (its boot entries and Secure Boot keys are in them). ${RECOVER(record.name)}.`, { vm: record.name, path: varsPath }));
    }
    return corrupt(`it cannot be read: ${code ?? String(error)}`);
  }
  if (format === 'qcow2') {
    // The header alone says little: qemu-img reads the tables too, so a truncated image is caught here and not by a QEMU that fails to start.
    const info = await runCommand(['qemu-img', 'info', '--output=json', '-U', '-f', 'qcow2', varsPath], { deadlineMs: 15_000, maxOutputBytes: 64 * 1024 });
    if (info.code !== 0) return corrupt(`qemu-img cannot read it: ${(info.errorMessage ?? info.stderr).trim().slice(-300)}`);
    let untrusted: unknown;
    try {
      untrusted = JSON.parse(info.stdout);
    } catch {
      untrusted = null;
    }
    const parsed = QemuImgInfoSchema.safeParse(untrusted);
    if (!parsed.success || parsed.data['virtual-size'] <= 0) return corrupt('qemu-img reports no usable image in it');
  }
  return ok({ kind: 'uefi', codePath, varsPath, varsFormat: format, secureBoot: fw.secureBoot });
}
