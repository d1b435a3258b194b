// Tests the crash archive on real files: a report Node itself wrote, systemd-pstore folders and raw pstore records, corrupt, oversized, linked and compressed files listed as unreadable or skipped, newest first, show by id.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { crashDirOf, listCrashArtifacts, MAX_REPORT_BYTES, panicSummary, showCrashArtifact, type CrashArtifact } from './crash-archive.js';

const PANIC_LINE = 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)';
const DMESG = ['Panic#1 Part1', '<6>[    1.234567] Run /init as init process', `<0>[   12.345700] ${PANIC_LINE}`, '<0>[   12.345800] ---[ end Kernel panic ]---', ''].join('\n');

function dataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A report written by Node itself, for an uncaught exception, as the runtime's process.report settings make it. */
function realReport(crashDir: string, code: string): string {
  mkdirSync(crashDir, { recursive: true });
  const before = new Set(readdirSync(crashDir));
  const child = spawnSync(process.execPath, ['--report-uncaught-exception', `--report-directory=${crashDir}`, '-e', code], { encoding: 'utf8', env: { ...process.env, RAYOS_TEST_SECRET: 'hunter2' } });
  assert.notEqual(child.status, 0);
  const name = readdirSync(crashDir).find((n) => !before.has(n) && n.startsWith('report.') && n.endsWith('.json'));
  assert.ok(name, `node wrote no report: ${child.stderr}`);
  return name;
}

const byId = (artifacts: readonly CrashArtifact[], prefix: string) => artifacts.find((a) => a.id.startsWith(prefix));

test('a missing crash directory is an empty archive, not an error', (t) => {
  const crashDir = crashDirOf(join(dataDir(t), 'nothing-here'));
  assert.deepEqual(listCrashArtifacts(crashDir), { ok: true, value: { crashDir, artifacts: [], warnings: [] } });
});

test('a crash path that is not a directory is RAYOS_CRASH_DIR_UNREADABLE with what to do', (t) => {
  const dir = dataDir(t);
  writeFileSync(join(dir, 'crash'), 'not a folder');
  const listing = listCrashArtifacts(crashDirOf(dir));
  assert.equal(listing.ok, false);
  if (!listing.ok) {
    assert.equal(listing.error.code, 'RAYOS_CRASH_DIR_UNREADABLE');
    assert.match(listing.error.message, /--data/);
  }
});

test('a Node report is a runtime-fatal with event and message; show gives its key parts and never the environment', (t) => {
  const crashDir = crashDirOf(dataDir(t));
  const name = realReport(crashDir, `setTimeout(() => { throw new TypeError('the runtime broke'); }, 1)`);
  const listing = listCrashArtifacts(crashDir);
  assert.ok(listing.ok);
  assert.equal(listing.value.artifacts.length, 1);
  const [artifact] = listing.value.artifacts;
  assert.ok(artifact);
  assert.equal(artifact.id, `runtime-${name.slice('report.'.length, -'.json'.length)}`);
  assert.match(artifact.id, /^[A-Za-z0-9._-]+$/);
  assert.equal(artifact.kind, 'runtime-fatal');
  assert.equal(artifact.readable, true);
  assert.equal(artifact.summary, 'Exception: TypeError: the runtime broke');
  assert.deepEqual(artifact.paths, [join(crashDir, name)]);
  assert.ok(Math.abs(Date.parse(artifact.time) - Date.now()) < 120_000, artifact.time);

  const shown = showCrashArtifact(crashDir, artifact.id);
  assert.ok(shown.ok);
  assert.equal(shown.value.report?.event, 'Exception');
  assert.equal(shown.value.report?.message, 'TypeError: the runtime broke');
  assert.ok((shown.value.report?.javascriptStack.length ?? 0) > 0);
  assert.equal(shown.value.report?.nodeVersion, process.version);
  assert.ok(!JSON.stringify(shown.value).includes('hunter2'), 'environment variables are not shown');
  assert.equal(shown.value.dmesg, undefined);
});

test('a throw Node decorated with its source line is summarised by the error, not the location', (t) => {
  const crashDir = crashDirOf(dataDir(t));
  realReport(crashDir, `throw new RangeError('at top level')`);
  const listing = listCrashArtifacts(crashDir);
  assert.ok(listing.ok);
  assert.equal(listing.value.artifacts[0]?.summary, 'Exception: RangeError: at top level ([eval]:1)');
});

test('corrupt, wrong-shaped and oversized reports are listed as unreadable; a symlinked one is not followed', (t) => {
  const crashDir = crashDirOf(dataDir(t));
  mkdirSync(crashDir);
  writeFileSync(join(crashDir, 'report.20260101.000000.1.0.001.json'), '{"header": {"event": "Exc');
  writeFileSync(join(crashDir, 'report.20260101.000000.2.0.001.json'), JSON.stringify({ header: { event: 42 } }));
  writeFileSync(join(crashDir, 'report.20260101.000000.3.0.001.json'), '');
  truncateSync(join(crashDir, 'report.20260101.000000.3.0.001.json'), MAX_REPORT_BYTES + 1);
  const secret = join(crashDir, '..', 'secret.json');
  writeFileSync(secret, JSON.stringify({ header: { event: 'Exception', trigger: 'Exception' }, javascriptStack: { message: 'from a link' } }));
  symlinkSync(secret, join(crashDir, 'report.20260101.000000.4.0.001.json'));

  const listing = listCrashArtifacts(crashDir);
  assert.ok(listing.ok);
  const summaries = Object.fromEntries(listing.value.artifacts.map((a) => [a.id, a]));
  assert.deepEqual(Object.keys(summaries).sort(), ['runtime-20260101.000000.1.0.001', 'runtime-20260101.000000.2.0.001', 'runtime-20260101.000000.3.0.001']);
  assert.match(summaries['runtime-20260101.000000.1.0.001']?.summary ?? '', /^unreadable: not JSON/);
  assert.match(summaries['runtime-20260101.000000.2.0.001']?.summary ?? '', /^unreadable: not a Node diagnostic report \(header\.event/);
  assert.match(summaries['runtime-20260101.000000.3.0.001']?.summary ?? '', /^unreadable: \d+ bytes, over the \d+-byte limit/);
  for (const artifact of listing.value.artifacts) assert.equal(artifact.readable, false);
  const shown = showCrashArtifact(crashDir, 'runtime-20260101.000000.1.0.001');
  assert.ok(shown.ok);
  assert.equal(shown.value.readable, false);
});

test('kernel panics from systemd-pstore folders and raw pstore records; newest first; show gives the dmesg text', (t) => {
  const crashDir = crashDirOf(dataDir(t));
  const pstore = join(crashDir, 'pstore');
  // systemd-pstore: <seconds>/ with the records and the dmesg.txt it put together.
  mkdirSync(join(pstore, '1700000000'), { recursive: true });
  writeFileSync(join(pstore, '1700000000', 'dmesg-efi-170000000001001'), DMESG);
  writeFileSync(join(pstore, '1700000000', 'dmesg.txt'), DMESG);
  // Only records, no dmesg.txt.
  mkdirSync(join(pstore, '1700000500'));
  writeFileSync(join(pstore, '1700000500', 'dmesg-efi-170000050001001'), DMESG.replace('VFS: Unable to mount root fs', 'Attempted to kill init!'));
  // Raw /sys/fs/pstore names, times from the files.
  writeFileSync(join(pstore, 'dmesg-efi-1700000000101'), DMESG.replace('VFS', 'Fatal exception'));
  utimesSync(join(pstore, 'dmesg-efi-1700000000101'), 1_700_001_000, 1_700_001_000);
  writeFileSync(join(pstore, 'dmesg-efi_pstore-1700002000201'), '<4>[ 3.0] BUG: unable to handle page fault for address: 0000000000001234\n');
  utimesSync(join(pstore, 'dmesg-efi_pstore-1700002000201'), 1_700_002_000, 1_700_002_000);
  writeFileSync(join(pstore, 'dmesg-ramoops-0.enc.z'), Buffer.from([0x78, 0x9c, 0x01]));
  utimesSync(join(pstore, 'dmesg-ramoops-0.enc.z'), 1_600_000_000, 1_600_000_000);
  // Not a crash: the previous boot's console, and an empty folder.
  writeFileSync(join(pstore, 'console-ramoops-0'), 'hello');
  mkdirSync(join(pstore, 'empty'));

  const listing = listCrashArtifacts(crashDir);
  assert.ok(listing.ok);
  const { artifacts } = listing.value;
  assert.deepEqual(
    artifacts.map((a) => [a.id, a.kind, a.time]),
    [
      ['kernel-dmesg-efi_pstore-1700002000201', 'kernel-panic', '2023-11-14T22:46:40.000Z'],
      ['kernel-dmesg-efi-1700000000101', 'kernel-panic', '2023-11-14T22:30:00.000Z'],
      ['kernel-1700000500', 'kernel-panic', '2023-11-14T22:21:40.000Z'],
      ['kernel-1700000000', 'kernel-panic', '2023-11-14T22:13:20.000Z'],
      ['kernel-dmesg-ramoops-0.enc.z', 'kernel-panic', '2020-09-13T12:26:40.000Z'],
    ],
  );
  assert.equal(byId(artifacts, 'kernel-1700000000')?.summary, PANIC_LINE);
  assert.deepEqual(byId(artifacts, 'kernel-1700000000')?.paths, [join(pstore, '1700000000', 'dmesg.txt')]);
  assert.deepEqual(byId(artifacts, 'kernel-1700000500')?.paths, [join(pstore, '1700000500', 'dmesg-efi-170000050001001')]);
  assert.equal(byId(artifacts, 'kernel-1700000500')?.summary, 'Kernel panic - not syncing: Attempted to kill init! on unknown-block(0,0)');
  assert.equal(byId(artifacts, 'kernel-dmesg-efi-')?.summary, 'Kernel panic - not syncing: Fatal exception: Unable to mount root fs on unknown-block(0,0)');
  assert.equal(byId(artifacts, 'kernel-dmesg-efi_pstore')?.summary, 'no panic line; BUG: unable to handle page fault for address: 0000000000001234');
  const compressed = byId(artifacts, 'kernel-dmesg-ramoops');
  assert.equal(compressed?.readable, false);
  assert.match(compressed?.summary ?? '', /^unreadable: .*compressed/);

  const shown = showCrashArtifact(crashDir, 'kernel-1700000000');
  assert.ok(shown.ok);
  assert.equal(shown.value.dmesg, DMESG);
  assert.equal(shown.value.report, undefined);
});

test('an id that is not in the archive, or not an id at all, is RAYOS_CRASH_NOT_FOUND saying to run crash list', (t) => {
  const crashDir = crashDirOf(dataDir(t));
  mkdirSync(crashDir);
  for (const id of ['kernel-nope', '../../etc/passwd', '']) {
    const shown = showCrashArtifact(crashDir, id);
    assert.equal(shown.ok, false, id);
    if (!shown.ok) {
      assert.equal(shown.error.code, 'RAYOS_CRASH_NOT_FOUND');
      assert.match(shown.error.message, /rayos crash list/);
    }
  }
});

test('the panic summary drops the log prefix and stays one line', () => {
  assert.equal(panicSummary(`<0>[ 1.0] ${PANIC_LINE}\r\nmore`), PANIC_LINE);
  assert.equal(panicSummary('nothing here'), 'no panic line in this dmesg record');
  assert.equal(panicSummary(`Kernel panic - not syncing: ${'x'.repeat(1000)}`).length, 300);
});
