// Owns judging Windows 11's needs against the Windows profile and a host's facts: a pure function, each check ok or with the fix.
import type { DoctorCheck } from '../../contracts/api-types.js';
import type { DiskFact, FirmwareFact, MemoryFact } from '../../platform/host-probe/host-facts.js';
import type { AccelProbeResult } from '../../platform/qemu/accel-probe.js';
import type { SwtpmCapabilities } from '../../platform/swtpm/swtpm-process.js';
import { WINDOWS_11_MINIMUM, WINDOWS_PROFILE, type WindowsProfile } from './windows-profile.js';

export interface WindowsHostFacts {
  readonly swtpm: SwtpmCapabilities;
  /** Where swtpm_setup runs from; null when it is not installed. */
  readonly swtpmSetupPath: string | null;
  /** null when the firmware directory could not be read in time. */
  readonly firmware: FirmwareFact | null;
  /** null when it could not be read in time. */
  readonly memory: MemoryFact | null;
  readonly hostCpus: number;
  readonly storage: {
    readonly root: string;
    /** The config key that chose root; null for the data directory's vm/. */
    readonly setting: string | null;
    readonly rootExists: boolean;
    /** null when the filesystem did not answer in time. */
    readonly disk: DiskFact | null;
  };
  readonly qemuFound: boolean;
  /** null when the probe did not finish in time. */
  readonly accel: AccelProbeResult | null;
  /** vm.accel: 'auto' follows the probe; 'kvm' or 'tcg' is what every VM gets whatever the host has. */
  readonly configuredAccel: 'auto' | 'kvm' | 'tcg';
}

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/**
 * Host memory beyond the VM's own: QEMU's overhead for a 4 GiB guest (~0.3 GiB), the RayOS runtime and its
 * compositor page (~0.5–1 GiB), the default Linux VM (256 MiB) and the host system. Under MIN_HEADROOM the host
 * would swap or kill something while Windows runs; under HEADROOM it works with little to spare.
 */
export const HOST_MEMORY_HEADROOM_MIB = 2048;
export const HOST_MEMORY_MIN_HEADROOM_MIB = 1024;
/** Windows 11 Setup writes about 20 GiB; below this it cannot finish installing. */
export const WINDOWS_DISK_FLOOR_GIB = 24;

const FIX = {
  swtpm: 'sudo apt-get install swtpm swtpm-tools',
  ovmf: 'sudo apt-get install ovmf',
  qemu: 'sudo apt-get install qemu-system-x86',
} as const;

type Outcome = Omit<DoctorCheck, 'id' | 'title'>;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

export function evaluateWindowsRequirements(facts: WindowsHostFacts, profile: WindowsProfile = WINDOWS_PROFILE): DoctorCheck[] {
  return [
    { id: 'tpm', title: 'TPM 2.0 (swtpm)', ...checkTpm(facts) },
    { id: 'secure-boot', title: 'UEFI Secure Boot (OVMF with Microsoft keys)', ...checkSecureBoot(facts.firmware, profile) },
    { id: 'memory', title: 'Memory', ...checkMemory(facts.memory, profile) },
    { id: 'cpus', title: 'CPUs', ...checkCpus(facts.hostCpus, profile) },
    { id: 'disk', title: 'Disk space for Windows VMs', ...checkDisk(facts.storage, profile) },
    { id: 'accel', title: 'Hardware acceleration', ...checkAccel(facts) },
  ];
}

function checkTpm(facts: WindowsHostFacts): Outcome {
  const { swtpm } = facts;
  if (swtpm.path === null) return { status: 'missing', detail: 'swtpm not found: Windows 11 needs a TPM 2.0, which RayOS emulates with swtpm', fix: FIX.swtpm };
  if (facts.swtpmSetupPath === null) return { status: 'missing', detail: 'swtpm_setup not found: it creates each Windows VM\'s TPM state', fix: FIX.swtpm };
  if (!swtpm.tpm2) return { status: 'missing', detail: `${swtpm.path} does not offer TPM 2.0: ${swtpm.problem ?? 'no reason given'}`, fix: `${FIX.swtpm} (and its libtpms0)` };
  return { status: 'ok', detail: `swtpm ${swtpm.version ?? '(version unknown)'} offers TPM 2.0 (${swtpm.path}); swtpm_setup at ${facts.swtpmSetupPath}` };
}

function checkSecureBoot(firmware: FirmwareFact | null, profile: WindowsProfile): Outcome {
  if (firmware === null) return { status: 'warn', detail: 'the OVMF firmware files could not be looked at in time', fix: 'run rayos windows check again' };
  const needed = [profile.firmware.codeFile, profile.firmware.varsTemplateFile];
  const absent = needed.filter((file) => !firmware.present.includes(file));
  if (absent.length > 0) return { status: 'missing', detail: `missing in ${firmware.dir}: ${absent.join(', ')}`, fix: FIX.ovmf };
  return {
    status: 'ok',
    detail: `${profile.firmware.codeFile} (Secure Boot) and ${profile.firmware.varsTemplateFile} (Microsoft keys enrolled) in ${firmware.dir}; each Windows VM keeps its own copy of the variables`,
  };
}

function checkMemory(memory: MemoryFact | null, profile: WindowsProfile): Outcome {
  const need = WINDOWS_11_MINIMUM.memoryMiB;
  if (profile.memoryMiB < need) {
    return { status: 'missing', detail: `the Windows profile gives ${profile.memoryMiB} MiB; Windows 11 needs ${need} MiB`, fix: `set the Windows VM's memory to ${need} MiB or more` };
  }
  const vm = `the VM gets ${profile.memoryMiB} MiB (Windows 11 needs ${need} MiB)`;
  if (memory === null) return { status: 'warn', detail: `${vm}; the host's memory could not be read in time`, fix: 'run rayos windows check again' };
  const host = `the host has ${gib(memory.totalBytes)} (${gib(memory.availableBytes)} available now)`;
  const wanted = (profile.memoryMiB + HOST_MEMORY_HEADROOM_MIB) * MIB;
  const least = (profile.memoryMiB + HOST_MEMORY_MIN_HEADROOM_MIB) * MIB;
  const fix = `use a host with ${gib(wanted)} of memory or more: the VM's ${profile.memoryMiB} MiB plus ${HOST_MEMORY_HEADROOM_MIB} MiB for QEMU, RayOS and the host`;
  if (memory.totalBytes < least) return { status: 'missing', detail: `${vm}, but ${host}: at least ${gib(least)} is needed`, fix };
  if (memory.totalBytes < wanted) return { status: 'warn', detail: `${vm}; ${host}, under the ${gib(wanted)} that leaves room for QEMU, RayOS and the host`, fix };
  return { status: 'ok', detail: `${vm}; ${host}` };
}

function checkCpus(hostCpus: number, profile: WindowsProfile): Outcome {
  const need = WINDOWS_11_MINIMUM.vcpus;
  if (profile.vcpus < need) return { status: 'missing', detail: `the Windows profile gives ${profile.vcpus} vCPU(s); Windows 11 needs ${need}`, fix: `give the Windows VM ${need} vCPUs or more` };
  const vm = `the VM gets ${profile.vcpus} vCPUs (Windows 11 needs ${need})`;
  // Windows counts the vCPUs it is given, so one host CPU still installs: both vCPUs then share it, slowly.
  if (hostCpus < need) return { status: 'warn', detail: `${vm}, but this host has ${hostCpus} CPU: they share it, so Windows will be slow`, fix: `use a host with ${need} or more CPUs` };
  return { status: 'ok', detail: `${vm}; the host has ${hostCpus} CPUs` };
}

function checkDisk(storage: WindowsHostFacts['storage'], profile: WindowsProfile): Outcome {
  if (profile.disk.sizeGiB < WINDOWS_11_MINIMUM.diskGiB) {
    return { status: 'missing', detail: `the Windows profile's disk is ${profile.disk.sizeGiB} GiB; Windows 11 needs ${WINDOWS_11_MINIMUM.diskGiB} GiB`, fix: `give the Windows VM a ${WINDOWS_11_MINIMUM.diskGiB} GiB disk or larger` };
  }
  const elsewhere = 'put Windows VMs on a larger disk: windowsStorage = "/absolute/dir" under [vm] in rayos.toml in the data directory (or RAYOS_VM_WINDOWS_STORAGE)';
  if (!storage.rootExists && storage.setting !== null) {
    return {
      status: 'missing',
      detail: `${storage.setting} = ${storage.root} does not exist (its disk is not attached or not mounted); RayOS never creates it`,
      fix: `attach and mount the disk it is on (or create ${storage.root}), or set ${storage.setting} to "" to keep Windows VMs in the data directory's vm/`,
    };
  }
  if (storage.disk === null) return { status: 'warn', detail: `the free space at ${storage.root} could not be measured in time`, fix: 'run rayos windows check again; if it persists, look for a hung filesystem' };
  // A suspended VM's memory is saved inside its qcow2 too, on top of what Windows wrote.
  const growsTo = profile.disk.sizeGiB + Math.ceil(profile.memoryMiB / 1024);
  const free = `${gib(storage.disk.freeBytes)} free at ${storage.disk.measuredPath}`;
  const grows = `the ${profile.disk.sizeGiB} GiB disk is sparse and grows as Windows writes, up to ${growsTo} GiB with a suspended VM's memory`;
  const fix = `free space on the filesystem holding ${storage.disk.measuredPath}, or ${elsewhere}`;
  if (storage.disk.freeBytes < WINDOWS_DISK_FLOOR_GIB * GIB) return { status: 'missing', detail: `${free}; Windows 11 Setup alone needs about ${WINDOWS_DISK_FLOOR_GIB} GiB (${grows})`, fix };
  if (storage.disk.freeBytes < growsTo * GIB) return { status: 'warn', detail: `${free}: enough to install, but ${grows}`, fix };
  return { status: 'ok', detail: `${free}; ${grows}` };
}

function checkAccel(facts: WindowsHostFacts): Outcome {
  if (!facts.qemuFound || facts.accel?.reason === 'qemu-missing') return { status: 'missing', detail: 'no QEMU to run the Windows VM with', fix: FIX.qemu };
  const slow = 'works, but Windows will be very slow (Setup can take hours)';
  const toAuto = 'set accel = "auto" under [vm] in rayos.toml in the data directory (or RAYOS_VM_ACCEL=auto), so RayOS uses KVM where it runs guests';
  const kvmWorks = facts.accel?.accel === 'kvm';
  if (facts.configuredAccel === 'tcg') {
    return { status: 'warn', detail: `vm.accel = tcg: every VM runs under TCG${kvmWorks ? ', though KVM runs guests here' : ''}; ${slow}`, fix: kvmWorks ? toAuto : facts.accel === null ? toAuto : `${toAuto}, and ${kvmFix(facts.accel.reason)}` };
  }
  if (facts.accel === null) return { status: 'warn', detail: `the KVM probe did not finish in time, so TCG is assumed: ${slow}`, fix: 'run rayos windows check again' };
  if (facts.accel.accel === 'kvm') return { status: 'ok', detail: `KVM runs guests (${facts.accel.detail})` };
  // Configured to KVM where KVM does not run guests: QEMU would refuse to start the VM at all.
  if (facts.configuredAccel === 'kvm') return { status: 'missing', detail: `vm.accel = kvm, but KVM does not run guests here (${facts.accel.reason}: ${facts.accel.detail}), so the VM cannot start`, fix: `${kvmFix(facts.accel.reason)}; or ${toAuto.replace('so RayOS uses KVM where it runs guests', 'so RayOS falls back to TCG')}` };
  return { status: 'warn', detail: `TCG (${facts.accel.reason}: ${facts.accel.detail}): ${slow}`, fix: kvmFix(facts.accel.reason) };
}

function kvmFix(reason: AccelProbeResult['reason']): string {
  switch (reason) {
    case 'dev-kvm-not-accessible':
      return 'sudo usermod -aG kvm $USER, then log in again';
    case 'no-dev-kvm':
    case 'no-vmx-svm':
      return 'turn on hardware virtualization (Intel VT-x or AMD-V) in the firmware settings, or nested virtualization where this host is itself a VM, then sudo modprobe kvm_intel (or kvm_amd)';
    default:
      return 'run rayos doctor for the accelerator probe\'s details; KVM here does not run guests properly';
  }
}
