// Owns turning a registered VM into the QEMU launch spec: the one place registry config meets QEMU devices.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { QemuFirmware, QemuVmSpec } from '../../platform/qemu/vm-spec.js';
import { longestSocketPath, MAX_SOCKET_PATH, type VmFiles } from './vm-files.js';
import type { VmRecord } from './vm-registry.js';

export interface SpecInputs {
  readonly record: VmRecord;
  readonly files: VmFiles;
  readonly imagesDir: string;
  readonly accel: 'kvm' | 'tcg';
  readonly loadvmTag: string | null;
  /** What the launch preparation (vm-launch-prep.ts) settled: firmware files, swtpm's socket, installation media. Absent: BIOS, no TPM, no CD-ROM. */
  readonly prepared?: { readonly firmware: QemuFirmware; readonly tpm?: { readonly socketPath: string }; readonly cdroms?: readonly { path: string; bootIndex?: number }[] };
}

export function imageDirOf(imagesDir: string, image: { kind: string; key: string }): string {
  return join(imagesDir, image.kind, image.key);
}

export function buildSpec(inputs: SpecInputs): Result<QemuVmSpec, RayosError> {
  const { record, files, accel } = inputs;
  const { config } = record;
  const longest = longestSocketPath(files);
  if (longest.length > MAX_SOCKET_PATH) {
    return err(rayosError('RAYOS_VM_LAUNCH_FAILED', `${record.name}: the socket path ${longest} is longer than ${MAX_SOCKET_PATH} bytes, which Linux cannot use; choose a shorter data directory (--data) or VM storage directory (vm.linuxStorage, vm.windowsStorage).`));
  }
  let kernel: QemuVmSpec['kernel'];
  if (config.image !== null) {
    const dir = imageDirOf(inputs.imagesDir, config.image);
    const path = join(dir, 'vmlinuz');
    const initrdPath = join(dir, 'initrd.img');
    if (!existsSync(path) || !existsSync(initrdPath)) {
      return err(rayosError('RAYOS_GUEST_IMAGE_MISSING', `${record.name}: its guest image ${dir} is missing; run "rayos guest build" to install it again.`));
    }
    kernel = { path, initrdPath, cmdline: config.image.cmdline };
  }
  for (const disk of config.disks) {
    if (!existsSync(files.disk(disk.file))) {
      return err(rayosError('RAYOS_VM_LAUNCH_FAILED', `${record.name}: its disk ${files.disk(disk.file)} is missing. RayOS never recreates a disk silently; "rayos vm reset ${record.name} --yes" makes a fresh one (its data is lost).`));
    }
  }
  return ok({
    id: record.id,
    name: record.name,
    machine: config.machine,
    accel,
    memoryMiB: config.memoryMiB,
    vcpus: config.vcpus,
    firmware: inputs.prepared?.firmware ?? { kind: 'bios' },
    ...(kernel === undefined ? {} : { kernel }),
    disks: config.disks.map((d, i) => ({ nodeName: d.nodeName, path: files.disk(d.file), format: d.format, readOnly: false, bus: d.bus ?? 'virtio', ...(i === 0 ? { bootIndex: 1 } : {}) })),
    ...(inputs.prepared?.cdroms === undefined || inputs.prepared.cdroms.length === 0 ? {} : { cdroms: [...inputs.prepared.cdroms] }),
    ...(inputs.prepared?.tpm === undefined ? {} : { tpm: inputs.prepared.tpm }),
    display: { vncSocketPath: files.vncSocket },
    serialLogPath: files.serialLog,
    ...(config.agent ? { agentSocketPath: files.agentSocket } : {}),
    ...(config.qga === true ? { qgaSocketPath: files.qgaSocket } : {}),
    qmpSocketPaths: [files.qmpSockets[0], files.qmpSockets[1]],
    network: { mode: config.network },
    ...(inputs.loadvmTag === null ? {} : { loadvmTag: inputs.loadvmTag }),
    startPaused: false,
    pidFilePath: files.pidFile,
    logPath: files.qemuLog,
  });
}
