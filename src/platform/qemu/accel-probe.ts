// Owns deciding whether guests get KVM or TCG: cheap host checks first, then a real test boot under -accel kvm.
import { open, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, runCommand, type RunCommandResult } from '../process/run-command.js';
import { PROBE_DONE_MARKER, PROBE_STAGE_BYTES, probeFirmwareImage } from './accel-probe-guest.js';

export type Accel = 'kvm' | 'tcg';

/** Why the probe chose what it chose; every value but kvm-runs-guests means TCG. */
export type AccelReason =
  | 'kvm-runs-guests'
  | 'qemu-missing'
  | 'no-dev-kvm'
  | 'dev-kvm-not-accessible'
  | 'no-vmx-svm'
  | 'kvm-qemu-failed'
  | 'kvm-guest-did-not-run'
  | 'kvm-guest-stalled'
  | 'probe-setup-failed';

export interface AccelProbeResult {
  readonly accel: Accel;
  readonly reason: AccelReason;
  /** One sentence for people and logs. */
  readonly detail: string;
  readonly elapsedMs: number;
}

export interface AccelProbeOptions {
  /** Name looked up in searchPath, or a path. Default qemu-system-x86_64. */
  readonly qemuBinary?: string;
  /** The whole probe finishes within this (plus a fraction of a second to reap QEMU). Default 4000. */
  readonly deadlineMs?: number;
  /** PATH-style list to find qemuBinary in; default the process PATH. */
  readonly searchPath?: string;
}

export const DEFAULT_PROBE_DEADLINE_MS = 4000;
const KVM_DEVICE = '/dev/kvm';

export async function probeAccelerator(options: AccelProbeOptions = {}): Promise<AccelProbeResult> {
  const started = performance.now();
  const deadlineMs = options.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
  const tcg = (reason: AccelReason, detail: string): AccelProbeResult => ({
    accel: 'tcg',
    reason,
    detail,
    elapsedMs: Math.round(performance.now() - started),
  });

  const qemu = await findExecutable(options.qemuBinary ?? 'qemu-system-x86_64', options.searchPath);
  if (qemu === null) return tcg('qemu-missing', `${options.qemuBinary ?? 'qemu-system-x86_64'} was not found`);

  const device = await openKvmDevice();
  if (device === 'missing') return tcg('no-dev-kvm', `${KVM_DEVICE} does not exist (no KVM module, or not passed into this container)`);
  if (device !== 'ok') return tcg('dev-kvm-not-accessible', `${KVM_DEVICE} cannot be opened read-write (${device}); add the user to the kvm group`);

  if (!(await cpuHasVirtualization())) {
    return tcg('no-vmx-svm', '/proc/cpuinfo shows neither vmx nor svm: this CPU does not offer hardware virtualization to this system');
  }

  const remaining = deadlineMs - (performance.now() - started);
  const boot = await runProbeGuest({ qemuBinary: qemu, accel: 'kvm', deadlineMs: Math.max(0, remaining) });
  if (boot.stage === 'done') {
    return { accel: 'kvm', reason: 'kvm-runs-guests', detail: `a test guest ran 64-bit code under KVM in ${boot.elapsedMs} ms`, elapsedMs: Math.round(performance.now() - started) };
  }
  if (boot.setupError !== undefined) return tcg('probe-setup-failed', `the test boot could not be prepared: ${boot.setupError}`);
  if (boot.stage === 'none' && !boot.result.timedOut) {
    return tcg('kvm-qemu-failed', `QEMU exited under -accel kvm before the guest ran: ${firstLine(boot.result.stderr) || boot.result.error || `exit ${String(boot.result.code)}`}`);
  }
  if (boot.stage === 'none') return tcg('kvm-guest-did-not-run', `a test guest under KVM printed nothing within ${Math.round(remaining)} ms`);
  return tcg('kvm-guest-stalled', `a test guest under KVM reached ${boot.stage} but did not finish a short 64-bit loop within ${Math.round(remaining)} ms (KVM here does not run guest code at hardware speed)`);
}

/** How far the test guest got: each stage proves the previous ones. */
export type ProbeStage = 'none' | 'real-mode' | 'protected-mode' | 'long-mode' | 'done';

export interface ProbeGuestResult {
  readonly stage: ProbeStage;
  readonly elapsedMs: number;
  readonly result: RunCommandResult;
  readonly setupError?: string;
}

/** Boots the probe firmware under one accelerator until it finishes or the deadline; exported so tests can check TCG reaches done. */
export async function runProbeGuest(options: { qemuBinary: string; accel: Accel; deadlineMs: number }): Promise<ProbeGuestResult> {
  const started = performance.now();
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'rayos-accel-probe-'));
    const firmware = join(dir, 'probe-firmware.bin');
    await writeFile(firmware, probeFirmwareImage());
    const result = await runCommand(
      [
        options.qemuBinary,
        '-accel', options.accel,
        '-machine', 'pc',
        '-m', '16',
        '-nodefaults',
        '-no-user-config',
        '-display', 'none',
        '-no-reboot',
        '-bios', firmware,
        '-chardev', 'stdio,id=dbg',
        '-device', 'isa-debugcon,iobase=0x402,chardev=dbg',
      ],
      {
        deadlineMs: options.deadlineMs,
        maxOutputBytes: 64 * 1024,
        stopWhen: (untrustedStdout) => untrustedStdout.includes(PROBE_DONE_MARKER),
      },
    );
    return { stage: stageOf(result.stdout), elapsedMs: Math.round(performance.now() - started), result };
  } catch (err) {
    return {
      stage: 'none',
      elapsedMs: Math.round(performance.now() - started),
      result: { code: null, signal: null, stdout: '', stderr: '', timedOut: false, stopped: false, truncated: false, durationMs: 0 },
      setupError: err instanceof Error ? err.message : String(err),
    };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function stageOf(untrustedDebugcon: string): ProbeStage {
  if (untrustedDebugcon.includes(PROBE_DONE_MARKER)) return 'done';
  if (untrustedDebugcon.includes(PROBE_STAGE_BYTES.longMode)) return 'long-mode';
  if (untrustedDebugcon.includes(PROBE_STAGE_BYTES.protectedMode)) return 'protected-mode';
  if (untrustedDebugcon.includes(PROBE_STAGE_BYTES.realMode)) return 'real-mode';
  return 'none';
}

async function openKvmDevice(): Promise<'ok' | 'missing' | string> {
  try {
    const handle = await open(KVM_DEVICE, 'r+');
    await handle.close();
    return 'ok';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : (code ?? 'error');
  }
}

async function cpuHasVirtualization(): Promise<boolean> {
  try {
    const untrustedCpuinfo = await readFile('/proc/cpuinfo', 'utf8');
    return /^flags\s*:.*\b(vmx|svm)\b/m.test(untrustedCpuinfo);
  } catch {
    return false;
  }
}

/** The first line of QEMU's stderr, bounded, for a detail sentence. */
function firstLine(untrustedText: string): string {
  return (untrustedText.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 200);
}
