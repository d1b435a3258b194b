// Owns `rayos bootmgr list|status|bless|set-next` and `rayos recovery`: arguments checked with zod, results as text or --json, errors as CODE: message.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { EXIT } from '../contracts/exit-codes.js';
import { formatMarker } from '../contracts/markers.js';
import {
  blessCurrentBoot,
  bootStatus,
  DEFAULT_ESP_CANDIDATES,
  findEsp,
  listBootEntries,
  resolveEsp,
  setNextBoot,
  SYSTEMD_BLESS_BOOT,
  type BootmgrPaths,
  type EntryView,
} from './bootmgr.js';
import { DEFAULT_EFIVARS } from './bootmgr-efivars.js';

const PathOption = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => !value.includes('\0'), 'must not contain a NUL byte');
const OptionsSchema = z.object({ esp: PathOption.optional(), efivars: PathOption.optional(), json: z.boolean().optional() });
const EntrySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[A-Za-z0-9._+~^-]+$/, 'must be an entry id, file name or version (letters, digits and . _ + ~ ^ -)');

interface Context {
  readonly paths: BootmgrPaths;
  readonly json: boolean;
  /** true when neither --esp nor --efivars points somewhere else than this system's own. */
  readonly systemDefaults: boolean;
}

const out = (text: string): void => void process.stdout.write(`${text}\n`);

function fail(error: RayosError, json: boolean): number {
  process.stderr.write(`${error.code}: ${error.message}\n`);
  if (json) out(JSON.stringify({ error: { code: error.code, message: error.message } }));
  return error.code === 'RAYOS_CLI_USAGE' ? EXIT.USAGE : EXIT.FAILURE;
}

function usage(what: string, issue: z.core.$ZodIssue | undefined, help: string): RayosError {
  return rayosError('RAYOS_CLI_USAGE', `${what} ${issue?.message ?? 'is not valid'}; see ${help}.`);
}

type Handler = (ctx: Context, args: string[]) => Promise<number>;

/** Commander calls actions as (...positionals, options, command); options of `bootmgr` reach its subcommands through optsWithGlobals. */
function action(help: string, handler: Handler): (...untrustedArgs: unknown[]) => Promise<void> {
  return async (...untrustedArgs) => {
    const command = untrustedArgs.at(-1) as Command;
    const positionals = untrustedArgs.slice(0, -2).map(String);
    const untrustedOptions: Record<string, unknown> = command.optsWithGlobals();
    const json = untrustedOptions['json'] === true;
    const options = OptionsSchema.safeParse(untrustedOptions);
    if (!options.success) {
      const issue = options.error.issues[0];
      process.exitCode = fail(usage(`--${String(issue?.path[0] ?? 'option')}`, issue, help), json);
      return;
    }
    const efivars = resolve(options.data.efivars ?? DEFAULT_EFIVARS);
    const esp = await resolveEsp(options.data.esp === undefined ? undefined : resolve(options.data.esp));
    if (!esp.ok) {
      process.exitCode = fail(esp.error, json);
      return;
    }
    const systemDefaults = efivars === DEFAULT_EFIVARS && (options.data.esp === undefined || esp.value === (await findEsp(DEFAULT_ESP_CANDIDATES)));
    process.exitCode = await handler({ paths: { esp: esp.value, efivars }, json, systemDefaults }, positionals);
  };
}

function tries(entry: EntryView): string {
  if (entry.triesLeft === null) return entry.kind === 'recovery' ? 'not counted' : 'blessed';
  return `${entry.triesLeft} left, ${entry.triesDone ?? 0} done`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd()).join('\n');
}

const describeEntry = (entry: EntryView): string =>
  `${entry.id} (${entry.kind === 'recovery' ? 'recovery' : `RayOS ${entry.version}`}), ${entry.state}${entry.triesLeft === null ? '' : `, ${tries(entry)}`}`;

async function list(ctx: Context): Promise<number> {
  const listing = await listBootEntries(ctx.paths);
  if (!listing.ok) return fail(listing.error, ctx.json);
  const { value } = listing;
  if (!value.uefi) {
    process.stderr.write(`RAYOS_BOOTMGR_NO_UEFI: ${ctx.paths.efivars} does not exist (no UEFI): the booted entry and a one-shot choice are unknown; NEXT is by boot order alone.\n`);
  }
  if (ctx.json) {
    out(JSON.stringify(value));
    return EXIT.OK;
  }
  if (value.entries.length === 0) {
    out(`No RayOS boot entry in ${value.esp}/loader/entries.`);
    return EXIT.OK;
  }
  const rows = value.entries.map((entry) => [
    entry.id,
    entry.fileName,
    entry.version ?? '-',
    entry.state,
    tries(entry),
    entry.booted ? 'booted' : '',
    entry.next ? `next (${value.next?.reason ?? 'boot-order'})` : '',
  ]);
  out(table([['ENTRY', 'FILE', 'VERSION', 'STATE', 'TRIES', 'NOW', 'NEXT'], ...rows]));
  out(`ESP: ${value.esp}`);
  return EXIT.OK;
}

async function status(ctx: Context): Promise<number> {
  const result = await bootStatus(ctx.paths);
  if (!result.ok) return fail(result.error, ctx.json);
  const { value } = result;
  if (ctx.json) {
    out(JSON.stringify(value));
    return EXIT.OK;
  }
  const blessed =
    value.blessed === true
      ? 'yes'
      : value.blessed === false
        ? 'no: run "rayos bootmgr bless" once this boot works (RayOS does it itself when it reaches READY)'
        : `unknown: the booted file (${value.bootCountPath ?? '?'}) is no longer on the ESP`;
  out(
    table([
      ['Booted:', value.booted === null ? `${value.bootedId} (no such file in ${value.esp}/loader/entries)` : describeEntry(value.booted)],
      ['Blessed:', blessed],
      ['Next:', value.next === null ? 'nothing' : `${value.next.id} (${value.next.reason})`],
      ['Why:', value.nextWhy],
      ['ESP:', value.esp],
    ]),
  );
  return EXIT.OK;
}

async function blessNow(ctx: Context): Promise<number> {
  const blessProgram = ctx.systemDefaults && existsSync(SYSTEMD_BLESS_BOOT) ? SYSTEMD_BLESS_BOOT : null;
  const result = await blessCurrentBoot({ ...ctx.paths, blessProgram });
  if (!result.ok) return fail(result.error, ctx.json);
  const { value } = result;
  const marker = formatMarker('RAYOS_BOOTMGR', value.alreadyBlessed ? 'ALREADY_BLESSED' : 'BLESSED', [value.id]);
  if (ctx.json) {
    out(JSON.stringify({ ...value, marker }));
    return EXIT.OK;
  }
  out(
    value.alreadyBlessed
      ? `The current boot (${value.id}) is already blessed: nothing to do.`
      : `Blessed the current boot: ${value.renamedFrom ?? ''} is now ${value.fileName}, a good entry${value.via === 'systemd-bless-boot' ? ' (by systemd-bless-boot)' : ''}.`,
  );
  out(marker);
  return EXIT.OK;
}

async function setNext(ctx: Context, untrustedEntry: string, recovery: boolean): Promise<number> {
  const entry = EntrySchema.safeParse(untrustedEntry);
  if (!entry.success) return fail(usage(`The entry "${untrustedEntry.slice(0, 80)}"`, entry.error.issues[0], 'rayos bootmgr set-next --help'), ctx.json);
  const result = await setNextBoot({ ...ctx.paths, entry: entry.data });
  if (!result.ok) return fail(result.error, ctx.json);
  const { id, entry: chosen } = result.value;
  const marker = formatMarker('RAYOS_BOOTMGR', 'NEXT_SET', [id]);
  if (ctx.json) {
    out(JSON.stringify({ id, fileName: chosen.fileName, kind: chosen.kind, version: chosen.version, state: chosen.state, once: true, marker }));
    return EXIT.OK;
  }
  if (recovery) {
    out(`The next boot (only that one) goes to recovery (${id}); the boot after it follows the boot order again.`);
    out('Reboot now with: systemctl reboot');
  } else {
    out(`The next boot (only that one) goes to ${id}; the boot after it follows the boot order again.`);
    if (chosen.state === 'bad') out(`${chosen.fileName} has used up its tries: if that boot reaches READY, it is blessed and good again.`);
  }
  out(marker);
  return EXIT.OK;
}

function addPathOptions(command: Command): Command {
  return command
    .option('--esp <dir>', `the EFI system partition's mount point (default: the first of ${DEFAULT_ESP_CANDIDATES.join(', ')} with loader/entries)`)
    .option('--efivars <dir>', 'the efivarfs mount holding the loader variables', DEFAULT_EFIVARS)
    .option('--json', 'print one JSON object (errors as {"error":{code,message}})');
}

export function registerBootmgrCommands(program: Command): void {
  const bootmgr = addPathOptions(program.command('bootmgr').description('the boot manager (systemd-boot with boot counting): list, status, bless, set-next'));
  bootmgr
    .command('list')
    .description('every RayOS boot entry in boot order: state, tries, the one booted now, the one that boots next')
    .action(action('rayos bootmgr list --help', (ctx) => list(ctx)));
  bootmgr
    .command('status')
    .description('the booted entry, whether this boot is blessed, what boots next and why')
    .action(action('rayos bootmgr status --help', (ctx) => status(ctx)));
  bootmgr
    .command('bless')
    .description('mark the current boot good: its counted entry gets the plain name (RayOS does this when it reaches READY)')
    .action(action('rayos bootmgr bless --help', (ctx) => blessNow(ctx)));
  bootmgr
    .command('set-next')
    .description('boot ENTRY next, once (an entry id, file name, version such as 1.0, or "recovery")')
    .argument('<entry>', 'entry id (rayos-1.0.conf), file name, version (1.0) or recovery')
    .action(action('rayos bootmgr set-next --help', (ctx, [entry]) => setNext(ctx, entry ?? '', false)));
  addPathOptions(program.command('recovery').description('boot the recovery system next (once); later boots follow the boot order')).action(
    action('rayos recovery --help', (ctx) => setNext(ctx, 'recovery', true)),
  );
}
