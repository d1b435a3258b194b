// Tests the pure formatting of status, doctor, events and journal records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DoctorReport, StatusResponse } from '../contracts/api-types.js';
import { compactData, doctorHasMissing, formatDoctor, formatErrorJson, formatEvent, formatJournalRecord, formatStatus, formatUptime, table } from './format.js';

const AT = '2026-01-01T10:00:00.000Z';

test('uptime reads at a glance with at most two units', () => {
  assert.equal(formatUptime(450), '450 ms');
  assert.equal(formatUptime(12_300), '12s');
  assert.equal(formatUptime(192_000), '3m 12s');
  assert.equal(formatUptime(7_500_000), '2h 5m');
  assert.equal(formatUptime(3 * 86_400_000 + 4 * 3_600_000 + 5000), '3d 4h');
});

test('table pads every column but the last', () => {
  assert.deepEqual(table([['a', 'bb', 'c'], ['ccc', 'd', 'e']]), ['a    bb  c', 'ccc  d   e']);
});

test('status shows state, pid, uptime, boot count, data dir, socket, url, versions and one row per service', () => {
  const status: StatusResponse = {
    state: 'ready',
    pid: 4242,
    startedAt: AT,
    uptimeMs: 192_000,
    dataDir: '/d',
    api: { socket: '/d/rayos.sock', url: 'http://127.0.0.1:7420' },
    versions: { rayos: '0.1.0', node: 'v20.20.2' },
    services: [
      { name: 'storage', state: 'running', dependsOn: [], health: { status: 'ok' }, startedAt: AT, startMs: 12.4 },
      { name: 'api', state: 'failed', dependsOn: ['storage'], health: { status: 'failed', detail: 'port in use' }, startedAt: null, startMs: null },
    ],
    bootCount: 3,
  };
  const lines = formatStatus(status).split('\n');
  assert.equal(lines[0], `RayOS is ready — pid 4242, up 3m 12s, boot #3 (started ${AT})`);
  assert.ok(lines.includes('Data dir  /d'));
  assert.ok(lines.includes('Socket    /d/rayos.sock'));
  assert.ok(lines.some((l) => l.startsWith('URL       http://127.0.0.1:7420')));
  assert.ok(lines.includes('Versions  rayos 0.1.0, node v20.20.2'));
  const header = lines.findIndex((l) => l.startsWith('SERVICE'));
  assert.match(lines[header + 1] ?? '', /^storage +running +ok +12 ms +-$/);
  assert.match(lines[header + 2] ?? '', /^api +failed +failed \(port in use\) +- +storage$/);
  assert.match(formatStatus({ ...status, api: { socket: '/s', url: null } }), /URL +\(no TCP listener\)/);
});

test('doctor prints one aligned line per check, the fix for what is not ok, and ends with the accelerator', () => {
  const report: DoctorReport = {
    checkedAt: AT,
    accel: 'tcg',
    checks: [
      { id: 'qemu', title: 'QEMU', status: 'ok', detail: 'QEMU 7.2.x', fix: 'ignored when ok' },
      { id: 'swtpm', title: 'swtpm', status: 'missing', detail: 'swtpm not found', fix: 'apt-get install swtpm swtpm-tools' },
      { id: 'kvm', title: 'KVM', status: 'warn', detail: '/dev/kvm missing' },
    ],
  };
  const lines = formatDoctor(report).split('\n');
  assert.deepEqual(lines.slice(0, 3), [
    'OK      qemu   QEMU 7.2.x',
    'MISSING swtpm  swtpm not found → fix: apt-get install swtpm swtpm-tools',
    'WARN    kvm    /dev/kvm missing',
  ]);
  assert.match(lines[3] ?? '', /^Accelerator: TCG/);
  assert.equal(lines.length, 4);
  assert.equal(doctorHasMissing(report), true);
  assert.equal(doctorHasMissing({ ...report, checks: [report.checks[0]!] }), false);
});

test('compact data is key=value, quoting only what needs it, on one line', () => {
  assert.equal(compactData({ service: 'storage', durationMs: 12, reason: 'two words', nested: { a: [1] }, text: 'a\nb' }), 'service=storage durationMs=12 reason="two words" nested={"a":[1]} text="a\\nb"');
  assert.equal(compactData({}), '');
});

test('an event line is seq, time, type, data', () => {
  assert.equal(formatEvent({ seq: 12, at: AT, type: 'service.started', data: { service: 'api', durationMs: 3 } }), `    12  ${AT}  service.started  service=api durationMs=3`);
  assert.equal(formatEvent({ seq: 1, at: AT, type: 'runtime.ready', data: {} }), `     1  ${AT}  runtime.ready`);
});

test('journal lines: markers as their line, events as type + data, notes as source: message, unknown shapes whole', () => {
  const marker = formatJournalRecord({ seq: 3, at: AT, type: 'marker', data: { area: 'RAYOS_BOOT_MARKER', event: 'READY', args: [], line: 'RAYOS_BOOT_MARKER:READY' } });
  assert.equal(marker, `     3  ${AT}  RAYOS_BOOT_MARKER:READY`);
  assert.match(formatJournalRecord({ seq: 4, at: AT, type: 'marker', data: { area: 'RAYOS_VM', event: 'STARTED', args: ['linux'] } }), /RAYOS_VM:STARTED:linux$/);
  assert.match(formatJournalRecord({ seq: 5, at: AT, type: 'event', data: { seq: 9, type: 'service.started', data: { service: 'api' } } }), /  service\.started service=api$/);
  assert.match(formatJournalRecord({ seq: 6, at: AT, type: 'note', data: { source: 'cli', message: 'hello\nthere' } }), /  cli: hello\\nthere$/);
  assert.match(formatJournalRecord({ seq: 7, at: AT, type: 'note', data: { weird: true } }), /  note weird=true$/);
});

test('errors print as {"error":{code,message}} under --json', () => {
  assert.equal(formatErrorJson({ code: 'RAYOS_CLI_NOT_RUNNING', message: 'm', details: { x: 1 } }), '{"error":{"code":"RAYOS_CLI_NOT_RUNNING","message":"m"}}');
});
