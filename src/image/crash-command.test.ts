// Tests `crash list|show` as a person runs them: the compiled image program as a child, on real files in a temp data directory ($RAYOS_DATA or --data), text and JSON, unknown ids and corrupt reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { z } from 'zod';

const IMAGE_MAIN = fileURLToPath(new URL('./image-main.js', import.meta.url));

const ArtifactSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  kind: z.enum(['kernel-panic', 'runtime-fatal']),
  time: z.iso.datetime(),
  summary: z.string(),
  paths: z.array(z.string()),
  readable: z.boolean(),
});
const ListingSchema = z.object({ crashDir: z.string(), artifacts: z.array(ArtifactSchema), warnings: z.array(z.string()) }).strict();

function imageProgram(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [IMAGE_MAIN, ...args], { encoding: 'utf8', env: { ...process.env, RAYOS_DATA: '', ...env }, timeout: 30_000 });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A data directory with a kernel panic kept by systemd-pstore (older) and a corrupt runtime report (newer). */
function archive(t: TestContext): string {
  const data = mkdtempSync(join(tmpdir(), 'rayos-crashcli-'));
  t.after(() => rmSync(data, { recursive: true, force: true }));
  const panicDir = join(data, 'crash', 'pstore', '1700000000');
  mkdirSync(panicDir, { recursive: true });
  writeFileSync(join(panicDir, 'dmesg.txt'), 'Panic#1 Part1\n<0>[    9.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n');
  const report = join(data, 'crash', 'report.20260102.030405.77.0.001.json');
  writeFileSync(report, '{"header": ');
  utimesSync(report, 1_800_000_000, 1_800_000_000);
  return data;
}

test('crash list --json: every artifact, newest first, a corrupt report listed as unreadable (the command does not fail)', (t) => {
  const data = archive(t);
  const listed = imageProgram(['crash', 'list', '--data', data, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const listing = ListingSchema.parse(JSON.parse(listed.stdout));
  assert.equal(listing.crashDir, join(data, 'crash'));
  assert.deepEqual(
    listing.artifacts.map((a) => [a.id, a.kind, a.readable]),
    [
      ['runtime-20260102.030405.77.0.001', 'runtime-fatal', false],
      ['kernel-1700000000', 'kernel-panic', true],
    ],
  );
  assert.equal(listing.artifacts[1]?.summary, 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b');
  assert.equal(listing.artifacts[1]?.time, '2023-11-14T22:13:20.000Z');
});

test('crash list reads $RAYOS_DATA when --data is not given, and prints a table', (t) => {
  const data = archive(t);
  const listed = imageProgram(['crash', 'list'], { RAYOS_DATA: data });
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^ID +KIND +TIME +SUMMARY$/);
  assert.match(lines[1] ?? '', /^runtime-20260102\.030405\.77\.0\.001 +runtime-fatal +2027-01-15T08:00:00\.000Z +unreadable: not JSON/);
  assert.match(lines[2] ?? '', /^kernel-1700000000 +kernel-panic +2023-11-14T22:13:20\.000Z +Kernel panic - not syncing: Attempted to kill init!/);
});

test('crash list on a data directory with no crash folder says so', (t) => {
  const data = mkdtempSync(join(tmpdir(), 'rayos-crashcli-'));
  t.after(() => rmSync(data, { recursive: true, force: true }));
  const listed = imageProgram(['crash', 'list', '--data', data]);
  assert.equal(listed.code, 0);
  assert.equal(listed.stdout, `No crash artifacts in ${join(data, 'crash')}.\n`);
});

test('crash show ID prints the whole dmesg; --json gives the artifact with it', (t) => {
  const data = archive(t);
  const shown = imageProgram(['crash', 'show', 'kernel-1700000000', '--data', data]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^id: kernel-1700000000\nkind: kernel-panic\n/);
  assert.ok(shown.stdout.endsWith('Panic#1 Part1\n<0>[    9.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n'), shown.stdout);
  const json = imageProgram(['crash', 'show', 'kernel-1700000000', '--data', data, '--json']);
  const detail = ArtifactSchema.extend({ dmesg: z.string() }).parse(JSON.parse(json.stdout));
  assert.match(detail.dmesg, /Attempted to kill init!/);
});

test('crash show with an unknown id exits 1 with RAYOS_CRASH_NOT_FOUND and what to do', (t) => {
  const data = archive(t);
  const shown = imageProgram(['crash', 'show', 'kernel-0', '--data', data]);
  assert.equal(shown.code, 1);
  assert.equal(shown.stdout, '');
  assert.match(shown.stderr, /^RAYOS_CRASH_NOT_FOUND: No crash artifact "kernel-0" in .*rayos crash list/);
});
