// Owns how the CLI prints runtime answers for people: pure functions from API shapes to lines.
import type { DoctorCheck, DoctorReport, JournalRecord, StatusResponse, WindowsCheckReport } from '../contracts/api-types.js';
import type { RayosError } from '../contracts/errors.js';
import type { EventEnvelope } from '../contracts/events.js';

/** "450 ms", "12s", "3m 12s", "2h 5m", "3d 4h": two units at most, enough to read at a glance. */
export function formatUptime(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Pads every column but the last to its widest cell. */
export function table(rows: readonly (readonly string[])[], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + gap))).join('').trimEnd());
}

/** Newlines would break the one-line-per-record promise. */
const oneLine = (text: string): string => text.replace(/\r?\n/g, '\\n');

/** key=value pairs; strings bare when that is unambiguous, everything else as JSON. */
export function compactData(data: Readonly<Record<string, unknown>>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : oneLine(JSON.stringify(value) ?? String(value))}`)
    .join(' ');
}

export function formatStatus(status: StatusResponse): string {
  const versions = Object.entries(status.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const head = [
    `RayOS is ${status.state} — pid ${status.pid}, up ${formatUptime(status.uptimeMs)}, boot #${status.bootCount} (started ${status.startedAt})`,
    ...table([
      ['Data dir', status.dataDir],
      ['Socket', status.api.socket],
      ['URL', status.api.url === null ? '(no TCP listener)' : `${status.api.url} (bearer token in ${status.dataDir}/api-token)`],
      ['Versions', versions === '' ? '-' : versions],
    ]),
  ];
  const services = table([
    ['SERVICE', 'STATE', 'HEALTH', 'STARTED IN', 'DEPENDS ON'],
    ...status.services.map((s) => [
      s.name,
      s.state,
      s.health.detail === undefined ? s.health.status : `${s.health.status} (${oneLine(s.health.detail)})`,
      s.startMs === null ? '-' : `${Math.round(s.startMs)} ms`,
      s.dependsOn.length === 0 ? '-' : s.dependsOn.join(', '),
    ]),
  ]);
  return [...head, '', ...(status.services.length === 0 ? ['(no services registered)'] : services)].join('\n');
}

const DOCTOR_LABEL = { ok: 'OK', warn: 'WARN', missing: 'MISSING' } as const;
const ACCEL_LINE = {
  kvm: 'Accelerator: KVM — guests run with hardware virtualization',
  tcg: 'Accelerator: TCG — no usable KVM; guests run under software emulation (everything works, only slower)',
  none: 'Accelerator: none — QEMU cannot run guests here; install what is MISSING above',
} as const;

/** One line per check: STATUS, id, detail, and the fix when not ok (doctor and windows check alike). */
function formatChecks(checks: readonly DoctorCheck[]): string[] {
  const idWidth = Math.max(0, ...checks.map((c) => c.id.length)) + 2;
  return checks.map((c) => {
    const fix = c.status !== 'ok' && c.fix !== undefined ? ` → fix: ${c.fix}` : '';
    return `${DOCTOR_LABEL[c.status].padEnd(8)}${c.id.padEnd(idWidth)}${oneLine(c.detail)}${fix}`;
  });
}

export function formatDoctor(report: DoctorReport): string {
  return [...formatChecks(report.checks), ACCEL_LINE[report.accel]].join('\n');
}

export const doctorHasMissing = (report: { readonly checks: readonly DoctorCheck[] }): boolean => report.checks.some((c) => c.status === 'missing');

export function formatWindowsCheck(report: WindowsCheckReport): string {
  const p = report.profile;
  const head = [
    `Windows profile: ${p.machine}, ${p.memoryMiB} MiB, ${p.vcpus} vCPUs, ${p.diskGiB} GiB qcow2 disk (${p.diskBus}), ${oneLine(p.firmware)}, TPM ${p.tpm}, network ${p.network ? 'on' : 'off'}`,
    `Windows VMs are kept in ${report.storage.root}${report.storage.setting === null ? " (the data directory's vm/)" : ` (${report.storage.setting})`}`,
    '',
  ];
  const verdict = doctorHasMissing(report)
    ? 'Not ready for Windows 11: install or fix what is MISSING above.'
    : report.checks.some((c) => c.status === 'warn')
      ? 'Ready for Windows 11, with the warnings above.'
      : 'Ready for Windows 11.';
  return [...head, ...formatChecks(report.checks), '', verdict].join('\n');
}

export function formatEvent(event: EventEnvelope): string {
  const data = compactData(event.data);
  return `${String(event.seq).padStart(6)}  ${event.at}  ${event.type}${data === '' ? '' : `  ${data}`}`;
}

/** Markers as their line, events as type + data, notes as "source: message". */
export function journalBody(record: JournalRecord): string {
  const d = record.data;
  if (record.type === 'marker') {
    if (typeof d['line'] === 'string') return d['line'];
    if (typeof d['area'] === 'string' && typeof d['event'] === 'string') return [d['area'], d['event'], ...(Array.isArray(d['args']) ? d['args'].map(String) : [])].join(':');
  }
  if (record.type === 'event' && typeof d['type'] === 'string') {
    const data = typeof d['data'] === 'object' && d['data'] !== null ? compactData(d['data'] as Record<string, unknown>) : '';
    return `${d['type']}${data === '' ? '' : ` ${data}`}`;
  }
  if (record.type === 'note' && typeof d['message'] === 'string') {
    const extra = typeof d['data'] === 'object' && d['data'] !== null ? compactData(d['data'] as Record<string, unknown>) : '';
    return `${typeof d['source'] === 'string' ? d['source'] : '?'}: ${oneLine(d['message'])}${extra === '' ? '' : `  ${extra}`}`;
  }
  // A shape this CLI does not know (a newer runtime): show it whole rather than hide it.
  return `${record.type} ${compactData(d)}`;
}

export function formatJournalRecord(record: JournalRecord): string {
  return `${String(record.seq).padStart(6)}  ${record.at}  ${journalBody(record)}`;
}

export const formatErrorLine = (error: RayosError): string => `${error.code}: ${error.message}`;
export const formatErrorJson = (error: RayosError): string => JSON.stringify({ error: { code: error.code, message: error.message } });
