// Owns `rayos windows check`: gathers this host's facts concurrently under one time bound and judges them against the Windows profile.
import { stat } from 'node:fs/promises';
import type { WindowsCheckReport } from '../../contracts/api-types.js';
import type { RayosConfig } from '../../contracts/config.js';
import { OVMF_DIR, probeCpuCount, probeDisk, probeFirmware, probeMemory } from '../../platform/host-probe/host-facts.js';
import { findExecutable } from '../../platform/process/run-command.js';
import { DEFAULT_PROBE_DEADLINE_MS, probeAccelerator } from '../../platform/qemu/accel-probe.js';
import { probeSwtpmCapabilities } from '../../platform/swtpm/swtpm-process.js';
import { WINDOWS_PROFILE, windowsProfileSummary } from './windows-profile.js';
import { evaluateWindowsRequirements, type WindowsHostFacts } from './windows-requirements.js';
import { vmStorageRoot } from './vm-storage.js';

export interface RunWindowsCheckOptions {
  /** vm.windowsStorage ('' for the data directory's vm/), vm.qemuBinary (the QEMU the VM would run on) and vm.accel. */
  readonly vmConfig: Pick<RayosConfig['vm'], 'linuxStorage' | 'windowsStorage' | 'qemuBinary' | 'accel'>;
  /** The data directory's vm/ (it need not exist yet). */
  readonly dataVmDir: string;
  /** Bound for the KVM test boot and for each program asked; the check ends soon after. Default 4000. */
  readonly probeDeadlineMs?: number;
  /** PATH-style list to find programs in; default the process PATH. */
  readonly searchPath?: string;
  /** Where Debian's ovmf puts its firmware; default /usr/share/OVMF. */
  readonly ovmfDir?: string;
}

/** How long past the probe deadline a fact may take before the check stops waiting for it. */
const FACT_GRACE_MS = 1500;

export async function runWindowsCheck(options: RunWindowsCheckOptions): Promise<WindowsCheckReport> {
  const deadlineMs = options.probeDeadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  const bound = deadlineMs + FACT_GRACE_MS;
  const search = options.searchPath !== undefined ? { searchPath: options.searchPath } : {};
  const storage = vmStorageRoot('windows', options.vmConfig, options.dataVmDir);

  const [swtpm, swtpmSetupPath, qemuPath, firmware, memory, storageFacts, accel] = await Promise.all([
    within(bound, probeSwtpmCapabilities({ deadlineMs, ...search }), { path: null, tpm2: false, version: null, problem: `no answer within ${bound} ms` }),
    findExecutable('swtpm_setup', options.searchPath),
    findExecutable(options.vmConfig.qemuBinary, options.searchPath),
    within(bound, probeFirmware(options.ovmfDir ?? OVMF_DIR), null),
    within(bound, probeMemory(), null),
    within(bound, storageFactsOf(storage.root), { rootExists: true, disk: null }),
    within(bound, probeAccelerator({ qemuBinary: options.vmConfig.qemuBinary, deadlineMs, ...search }), null),
  ]);
  const facts: WindowsHostFacts = {
    swtpm,
    swtpmSetupPath,
    firmware,
    memory,
    hostCpus: probeCpuCount(),
    storage: { root: storage.root, setting: storage.setting, ...storageFacts },
    qemuFound: qemuPath !== null,
    accel,
    configuredAccel: options.vmConfig.accel,
  };
  return {
    checkedAt: new Date().toISOString(),
    // No QEMU means no accelerator at all; a probe that outlasted its bound left no answer, and TCG always works.
    accel: qemuPath === null ? 'none' : options.vmConfig.accel !== 'auto' ? options.vmConfig.accel : (accel?.accel ?? 'tcg'),
    profile: windowsProfileSummary(WINDOWS_PROFILE),
    storage: { root: storage.root, setting: storage.setting },
    checks: evaluateWindowsRequirements(facts),
  };
}

/** Whether the storage root is there, and the free space where it is (or would be: its nearest existing parent). */
async function storageFactsOf(root: string): Promise<Pick<WindowsHostFacts['storage'], 'rootExists' | 'disk'>> {
  const rootExists = await stat(root).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return { rootExists, disk: await probeDisk(root).catch(() => null) };
}

/** The fact, or the fallback when it is not there in time or fails (a hung filesystem must not stall the report). */
async function within<T, F>(boundMs: number, fact: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((settle) => (timer = setTimeout(() => settle(fallback), boundMs)));
  try {
    return await Promise.race([fact.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}
