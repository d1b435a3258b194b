// Owns `rayos doctor`: host readiness checks run concurrently under one time bound, each with the exact fix when not ok.
import type { DoctorCheck, DoctorReport } from '../../contracts/api-types.js';
import {
  formatVersion,
  OVMF_DIR,
  probeDisk,
  probeFirmware,
  probeProgram,
  versionAtLeast,
  type ProgramFact,
} from '../../platform/host-probe/host-facts.js';
import { DEFAULT_PROBE_DEADLINE_MS, probeAccelerator, type AccelProbeResult } from '../../platform/qemu/accel-probe.js';

export interface RunDoctorOptions {
  /** The data directory; it need not exist yet (its nearest existing parent is measured). */
  readonly dataDir: string;
  /** Bound for the accelerator test boot and for each program's --version; the doctor ends soon after. Default 4000. */
  readonly probeDeadlineMs?: number;
  /** PATH-style list to find programs in; default the process PATH. Lets a caller ask "what if only these were installed". */
  readonly searchPath?: string;
  /** Where Debian's ovmf puts its firmware; default /usr/share/OVMF. */
  readonly ovmfDir?: string;
}

const GIB = 1024 ** 3;
const DISK_OK_BYTES = 10 * GIB;
const DISK_WARN_BYTES = 2 * GIB;
/** How long past the probe deadline a check may take before the doctor stops waiting for it. */
const CHECK_GRACE_MS = 1500;

const FIX = {
  qemuSystem: 'sudo apt-get install qemu-system-x86',
  qemuImg: 'sudo apt-get install qemu-utils',
  ovmf: 'sudo apt-get install ovmf',
  swtpm: 'sudo apt-get install swtpm swtpm-tools',
  chromium: 'sudo apt-get install chromium',
  node: 'install Node.js 20 LTS or newer (Debian 12 ships 18: use the NodeSource or nodejs.org packages)',
} as const;

export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const deadlineMs = options.probeDeadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  const programOptions = { deadlineMs, ...(options.searchPath !== undefined ? { searchPath: options.searchPath } : {}) };
  const bound = deadlineMs + CHECK_GRACE_MS;

  const qemuFact = probeProgram('qemu-system-x86_64', programOptions);
  let probed: AccelProbeResult | null = null;
  const accelProbe = probeAccelerator(programOptions).then((result) => (probed = result));
  const [node, qemuSystem, qemuImg, ovmf, swtpm, chromium, accel, disk] = await Promise.all([
    bounded('node', 'Node.js', bound, async () => checkNode()),
    bounded('qemu-system', 'QEMU system emulator', bound, async () => checkQemuSystem(await qemuFact)),
    bounded('qemu-img', 'QEMU disk image tool', bound, async () => checkQemuImg(await probeProgram('qemu-img', programOptions))),
    bounded('ovmf', 'UEFI firmware (OVMF)', bound, () => checkOvmf(options.ovmfDir ?? OVMF_DIR)),
    bounded('swtpm', 'TPM 2.0 emulator (swtpm)', bound, async () =>
      checkSwtpm(...(await Promise.all([probeProgram('swtpm', programOptions), probeProgram('swtpm_setup', programOptions)])))),
    bounded('chromium', 'Chromium (kiosk and UI tests)', bound, async () => checkChromium(await probeProgram('chromium', programOptions))),
    bounded('accel', 'Hardware acceleration', bound, async () => checkAccel(await accelProbe, await qemuFact)),
    bounded('disk', 'Free disk space for the data directory', bound, () => checkDisk(options.dataDir)),
  ]);
  // No QEMU that runs means no accelerator at all, whatever the probe would fall back to.
  // A probe that outlasted its bound left no answer: TCG is the choice that always works.
  const accelChoice: DoctorReport['accel'] = qemuSystem.status === 'missing' ? 'none' : ((probed as AccelProbeResult | null)?.accel ?? 'tcg');
  return { checkedAt: new Date().toISOString(), accel: accelChoice, checks: [node, qemuSystem, qemuImg, ovmf, swtpm, chromium, accel, disk] };
}

/** Runs one check; a check that throws or outlasts the bound becomes a warn instead of stalling the report. */
async function bounded(id: string, title: string, boundMs: number, run: () => Promise<Omit<DoctorCheck, 'id' | 'title'>>): Promise<DoctorCheck> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Omit<DoctorCheck, 'id' | 'title'>>((settle) => {
    timer = setTimeout(
      () => settle({ status: 'warn', detail: `the check did not finish within ${boundMs} ms`, fix: 'run rayos doctor again; if it persists, look for a hung program or filesystem' }),
      boundMs,
    );
  });
  try {
    const outcome = await Promise.race([
      run().catch((err: unknown) => ({
        status: 'warn' as const,
        detail: `the check failed: ${err instanceof Error ? err.message : String(err)}`,
        fix: 'run rayos doctor again; report the message if it persists',
      })),
      late,
    ]);
    return { id, title, ...outcome };
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = Omit<DoctorCheck, 'id' | 'title'>;

function checkNode(): Outcome {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { status: 'ok', detail: `Node.js ${process.versions.node}` }
    : { status: 'missing', detail: `Node.js ${process.versions.node} found, 20 or newer needed`, fix: FIX.node };
}

/** Common shape for a program that must exist and answer --version. */
function programOutcome(fact: ProgramFact, fix: string, minimum?: { major: number; minor: number }): Outcome {
  if (fact.path === null) return { status: 'missing', detail: `${fact.name} not found`, fix };
  if (fact.version === null) {
    return { status: 'warn', detail: `${fact.path} found but its version is unknown (${fact.problem ?? 'no output'})`, fix };
  }
  if (minimum !== undefined && !versionAtLeast(fact.version, minimum.major, minimum.minor)) {
    return { status: 'missing', detail: `${fact.name} ${formatVersion(fact.version)} found, ${minimum.major}.${minimum.minor} or newer needed`, fix };
  }
  return { status: 'ok', detail: `${fact.versionLine} (${fact.path})` };
}

function checkQemuSystem(fact: ProgramFact): Outcome {
  return programOutcome(fact, FIX.qemuSystem, { major: 7, minor: 2 });
}

function checkQemuImg(fact: ProgramFact): Outcome {
  return programOutcome(fact, FIX.qemuImg, { major: 7, minor: 2 });
}

async function checkOvmf(dir: string): Promise<Outcome> {
  const firmware = await probeFirmware(dir);
  if (firmware.missing.length === 0) return { status: 'ok', detail: `${firmware.present.join(', ')} in ${dir}` };
  return { status: 'missing', detail: `missing in ${dir}: ${firmware.missing.join(', ')}`, fix: FIX.ovmf };
}

function checkSwtpm(swtpm: ProgramFact, setup: ProgramFact): Outcome {
  const outcomes = [programOutcome(swtpm, FIX.swtpm), programOutcome(setup, FIX.swtpm)];
  const worst = outcomes.find((o) => o.status === 'missing') ?? outcomes.find((o) => o.status === 'warn');
  if (worst !== undefined) return worst;
  return { status: 'ok', detail: outcomes.map((o) => o.detail).join('; ') };
}

function checkChromium(fact: ProgramFact): Outcome {
  const outcome = programOutcome(fact, FIX.chromium);
  // Hosted RayOS serves its compositor to any browser: Chromium is needed only for the installed kiosk and UI tests.
  if (outcome.status === 'missing') return { ...outcome, status: 'warn', detail: 'chromium not found: needed for the installed kiosk and the UI tests, not for rayos up' };
  return outcome;
}

function checkAccel(probe: AccelProbeResult, qemu: ProgramFact): Outcome {
  if (qemu.path === null || probe.reason === 'qemu-missing') {
    return { status: 'missing', detail: 'no QEMU to run guests with', fix: FIX.qemuSystem };
  }
  if (probe.accel === 'kvm') return { status: 'ok', detail: `KVM runs guests (${probe.detail})` };
  // TCG is fully supported, only slower: not a fault, but say why, and how to get KVM where that is possible.
  const hint = probe.reason === 'dev-kvm-not-accessible' ? '; for KVM: sudo usermod -aG kvm $USER, then log in again' : '';
  return { status: 'ok', detail: `TCG will be used: ${probe.reason} (${probe.detail})${hint}` };
}

async function checkDisk(dataDir: string): Promise<Outcome> {
  const disk = await probeDisk(dataDir);
  const free = `${(disk.freeBytes / GIB).toFixed(1)} GiB free of ${(disk.totalBytes / GIB).toFixed(1)} GiB at ${disk.measuredPath}`;
  if (disk.freeBytes >= DISK_OK_BYTES) return { status: 'ok', detail: free };
  const fix = `free space on the filesystem holding ${disk.measuredPath}, or choose another data directory with --data DIR (or RAYOS_DATA)`;
  if (disk.freeBytes >= DISK_WARN_BYTES) return { status: 'warn', detail: `${free}; guest disks need 10 GiB or more`, fix };
  return { status: 'missing', detail: `${free}; at least 2 GiB is needed`, fix };
}
