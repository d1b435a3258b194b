// Tests `rayos bootmgr list|status|bless|set-next` and `rayos recovery` by running the compiled image program as a child against a temp ESP and efivars.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { EXIT } from '../contracts/exit-codes.js';
import { bootedCounted, efivarBytes, makeFixture, type Fixture } from './bootmgr.test-support.js';

const MAIN = new URL('./image-main.js', import.meta.url).pathname;
const run = promisify(execFile);

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function rayos(args: readonly string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A system that booted rayos-1.1 from its counted file (two tries left), with 1.0 blessed and recovery beside it. */
function booted(): Fixture {
  const fixture = makeFixture(['rayos-1.0.conf', 'rayos-1.1+2-1.conf', 'rayos-recovery.conf']);
  bootedCounted(fixture, 'rayos-1.1+2-1.conf', 'rayos-1.1.conf');
  return fixture;
}

function withBooted(body: (fixture: Fixture, paths: string[]) => Promise<void>): () => Promise<void> {
  return async () => {
    const fixture = booted();
    try {
      await body(fixture, ['--esp', fixture.esp, '--efivars', fixture.efivars]);
    } finally {
      fixture.cleanup();
    }
  };
}

test(
  'bootmgr list prints the entries in boot order with state, tries, the booted one and the next one (and as JSON)',
  withBooted(async (fixture, paths) => {
    const human = await rayos(['bootmgr', 'list', ...paths]);
    assert.equal(human.code, EXIT.OK, human.stderr);
    const lines = human.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ENTRY\s+FILE\s+VERSION\s+STATE\s+TRIES\s+NOW\s+NEXT$/);
    assert.match(lines[1] ?? '', /^rayos-1\.1\.conf\s+rayos-1\.1\+2-1\.conf\s+1\.1\s+indeterminate\s+2 left, 1 done\s+booted\s+next \(boot-order\)$/);
    assert.match(lines[2] ?? '', /^rayos-1\.0\.conf\s+rayos-1\.0\.conf\s+1\.0\s+good\s+blessed$/);
    assert.match(lines[3] ?? '', /^rayos-recovery\.conf\s+rayos-recovery\.conf\s+-\s+good\s+not counted$/);
    assert.equal(lines[4], `ESP: ${fixture.esp}`);
    assert.equal(human.stderr, '');
    // Options may come before the subcommand too.
    const machine = await rayos(['bootmgr', '--json', ...paths, 'list']);
    assert.equal(machine.code, EXIT.OK);
    const listing = JSON.parse(machine.stdout) as { uefi: boolean; selected: string; next: unknown; entries: { id: string; booted: boolean }[] };
    assert.equal(listing.uefi, true);
    assert.equal(listing.selected, 'rayos-1.1.conf');
    assert.deepEqual(listing.next, { id: 'rayos-1.1.conf', reason: 'boot-order' });
    assert.deepEqual(
      listing.entries.map((e) => [e.id, e.booted]),
      [
        ['rayos-1.1.conf', true],
        ['rayos-1.0.conf', false],
        ['rayos-recovery.conf', false],
      ],
    );
  }),
);

test(
  'without UEFI, list still works and says RAYOS_BOOTMGR_NO_UEFI on stderr; status and bless fail with it',
  withBooted(async (fixture) => {
    const paths = ['--esp', fixture.esp, '--efivars', join(fixture.root, 'no-efivars')];
    const listed = await rayos(['bootmgr', 'list', '--json', ...paths]);
    assert.equal(listed.code, EXIT.OK);
    assert.match(listed.stderr, /^RAYOS_BOOTMGR_NO_UEFI: /);
    assert.equal((JSON.parse(listed.stdout) as { uefi: boolean }).uefi, false);
    for (const command of ['status', 'bless']) {
      const result = await rayos(['bootmgr', command, ...paths]);
      assert.equal(result.code, EXIT.FAILURE, command);
      assert.match(result.stderr, /^RAYOS_BOOTMGR_NO_UEFI: .*did not boot through UEFI/, command);
    }
  }),
);

test(
  'bootmgr status says what booted, that it is not blessed yet, what boots next and why; bless changes that',
  withBooted(async (fixture, paths) => {
    const before = await rayos(['bootmgr', 'status', ...paths]);
    assert.equal(before.code, EXIT.OK, before.stderr);
    assert.match(before.stdout, /^Booted: +rayos-1\.1\.conf \(RayOS 1\.1\), indeterminate, 2 left, 1 done$/m);
    assert.match(before.stdout, /^Blessed: +no: run "rayos bootmgr bless"/m);
    assert.match(before.stdout, /^Next: +rayos-1\.1\.conf \(boot-order\)$/m);
    assert.match(before.stdout, /^Why: +rayos-1\.1\.conf is first in boot order with 2 tries left/m);
    assert.match(before.stdout, new RegExp(`^ESP: +${fixture.esp}$`, 'm'));
    const blessed = await rayos(['bootmgr', 'bless', ...paths]);
    assert.equal(blessed.code, EXIT.OK, blessed.stderr);
    assert.match(blessed.stdout, /rayos-1\.1\+2-1\.conf is now rayos-1\.1\.conf/);
    assert.match(blessed.stdout, /^RAYOS_BOOTMGR:BLESSED:rayos-1\.1\.conf$/m);
    assert.ok(fixture.entries().includes('rayos-1.1.conf') && !fixture.entries().includes('rayos-1.1+2-1.conf'));
    const after = await rayos(['bootmgr', 'status', '--json', ...paths]);
    const status = JSON.parse(after.stdout) as { blessed: boolean; bootedId: string; booted: { state: string }; next: { id: string; reason: string } };
    assert.equal(status.blessed, true);
    assert.equal(status.bootedId, 'rayos-1.1.conf');
    assert.equal(status.booted.state, 'good');
    assert.deepEqual([status.next.id, status.next.reason], ['rayos-1.1.conf', 'boot-order']);
    const again = await rayos(['bootmgr', 'bless', ...paths]);
    assert.equal(again.code, EXIT.OK);
    assert.match(again.stdout, /already blessed/);
    assert.match(again.stdout, /^RAYOS_BOOTMGR:ALREADY_BLESSED:rayos-1\.1\.conf$/m);
    const json = await rayos(['bootmgr', 'bless', '--json', ...paths]);
    assert.deepEqual(JSON.parse(json.stdout), {
      id: 'rayos-1.1.conf',
      fileName: 'rayos-1.1.conf',
      renamedFrom: null,
      alreadyBlessed: true,
      via: 'none',
      marker: 'RAYOS_BOOTMGR:ALREADY_BLESSED:rayos-1.1.conf',
    });
  }),
);

test(
  'bootmgr set-next VERSION writes the one-shot variable and list shows it as next',
  withBooted(async (fixture, paths) => {
    const set = await rayos(['bootmgr', 'set-next', '1.0', ...paths]);
    assert.equal(set.code, EXIT.OK, set.stderr);
    assert.match(set.stdout, /next boot \(only that one\) goes to rayos-1\.0\.conf/);
    assert.match(set.stdout, /^RAYOS_BOOTMGR:NEXT_SET:rayos-1\.0\.conf$/m);
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-1.0.conf', 7));
    const listed = await rayos(['bootmgr', 'list', ...paths]);
    assert.match(listed.stdout, /^rayos-1\.0\.conf .*next \(one-shot\)$/m);
    assert.match(listed.stdout, /^rayos-1\.1\.conf .*booted$/m);
    const json = await rayos(['bootmgr', 'set-next', 'rayos-1.1+2-1.conf', '--json', ...paths]);
    assert.deepEqual(JSON.parse(json.stdout), {
      id: 'rayos-1.1+2-1.conf',
      fileName: 'rayos-1.1+2-1.conf',
      kind: 'system',
      version: '1.1',
      state: 'indeterminate',
      once: true,
      marker: 'RAYOS_BOOTMGR:NEXT_SET:rayos-1.1+2-1.conf',
    });
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-1.1+2-1.conf', 7));
  }),
);

test(
  'rayos recovery sets the recovery entry for the next boot only and says how to reboot',
  withBooted(async (fixture, paths) => {
    const result = await rayos(['recovery', ...paths]);
    assert.equal(result.code, EXIT.OK, result.stderr);
    assert.match(result.stdout, /next boot \(only that one\) goes to recovery \(rayos-recovery\.conf\); the boot after it follows the boot order again/);
    assert.match(result.stdout, /^Reboot now with: systemctl reboot$/m);
    assert.match(result.stdout, /^RAYOS_BOOTMGR:NEXT_SET:rayos-recovery\.conf$/m);
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-recovery.conf', 7));
    const status = JSON.parse((await rayos(['bootmgr', 'status', '--json', ...paths])).stdout) as { next: { id: string; reason: string }; nextWhy: string };
    assert.deepEqual([status.next.id, status.next.reason], ['rayos-recovery.conf', 'one-shot']);
    assert.match(status.nextWhy, /LoaderEntryOneShot names rayos-recovery\.conf/);
  }),
);

test(
  'bad input: an unknown entry (exit 1, lists the choices), a malformed one or a missing argument (exit 2), no ESP (exit 1)',
  withBooted(async (fixture, paths) => {
    const unknown = await rayos(['bootmgr', 'set-next', '2.0', ...paths]);
    assert.equal(unknown.code, EXIT.FAILURE);
    assert.equal(unknown.stderr, 'RAYOS_BOOTMGR_UNKNOWN_ENTRY: No boot entry "2.0": choose one of rayos-1.1.conf (version 1.1), rayos-1.0.conf (version 1.0), recovery.\n');
    assert.equal(unknown.stdout, '');
    const unknownJson = await rayos(['bootmgr', 'set-next', '2.0', '--json', ...paths]);
    assert.equal((JSON.parse(unknownJson.stdout) as { error: { code: string } }).error.code, 'RAYOS_BOOTMGR_UNKNOWN_ENTRY');
    const malformed = await rayos(['bootmgr', 'set-next', '../x', ...paths]);
    assert.equal(malformed.code, EXIT.USAGE);
    assert.match(malformed.stderr, /^RAYOS_CLI_USAGE: The entry "\.\.\/x" must be an entry id, file name or version/);
    const missing = await rayos(['bootmgr', 'set-next', ...paths]);
    assert.equal(missing.code, EXIT.USAGE);
    assert.match(missing.stderr, /^RAYOS_CLI_USAGE: missing required argument 'entry'/);
    const emptyEsp = await rayos(['bootmgr', 'list', '--esp', '', '--efivars', fixture.efivars]);
    assert.equal(emptyEsp.code, EXIT.USAGE);
    assert.match(emptyEsp.stderr, /^RAYOS_CLI_USAGE: --esp must not be empty/);
    const unknownCommand = await rayos(['bootmgr', 'frobnicate', ...paths]);
    assert.equal(unknownCommand.code, EXIT.USAGE);
    const noEsp = await rayos(['recovery', '--esp', fixture.efivars, '--efivars', fixture.efivars]);
    assert.equal(noEsp.code, EXIT.FAILURE);
    assert.match(noEsp.stderr, /^RAYOS_BOOTMGR_NO_ESP: .* has no loader\/entries directory: pass --esp/);
    assert.equal(fixture.rawVar('LoaderEntryOneShot'), null, 'nothing was written by any of these');
  }),
);
