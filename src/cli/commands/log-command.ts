// Owns `rayos log show` (journal records, filtered — by time, text or runtime boot — optionally followed) and `rayos log note` (append a note).
import { InvalidArgumentError, type Command } from 'commander';
import { err, ok, type Result } from '../../base/result.js';
import type { RayosClient } from '../../client/api.js';
import { BootSelectorSchema, NoteRequestSchema, type BootSpan, type JournalRecord } from '../../contracts/api-types.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { integerArg, nonEmptyArg, sinceArg } from '../arg-parsers.js';
import { followUntilInterrupted } from '../follow.js';
import { formatJournalRecord } from '../format.js';
import { reportStreamEnd } from './stream-end.js';

export interface ShowOptions {
  since?: number;
  grep?: string;
  follow?: boolean;
  limit: number;
  /** "0", "-1", … or a boot id, checked by BootSelectorSchema. */
  boot?: string;
}

function bootArg(untrustedValue: string): string {
  const parsed = BootSelectorSchema.safeParse(untrustedValue.trim());
  if (!parsed.success) throw new InvalidArgumentError('Give 0 (this boot), -1 (the one before), -2, … or a boot id (1, 2, …).');
  return parsed.data;
}

/** The API's largest page. */
const PAGE = 10_000;

export function registerLogCommand(program: Command): void {
  const log = program.command('log').description('read and append to the persistent journal');
  log
    .command('show')
    .description('print journal records (markers, events, notes); --follow keeps streaming new ones until Ctrl-C')
    .option('--since <when>', 'records at or after a duration ago (30s, 10m, 2h, 1d) or an ISO time', sinceArg)
    .option('--grep <text>', 'only records whose JSON contains this text (case-insensitive)', nonEmptyArg)
    .option('--limit <n>', 'at most this many (the most recent ones)', integerArg(1, 1_000_000), 1000)
    .option('--boot <n>', 'only the records of one runtime boot: 0 this one, -1 the one before, … or a boot id', bootArg)
    .option('--follow', 'after printing, stream new records until Ctrl-C')
    .option('--json', 'one JournalRecord JSON object per line')
    .action(
      action<ShowOptions>(async (ctx, options) => {
        if (options.grep !== undefined && options.grep.length > 256) return ctx.fail(rayosError('RAYOS_CLI_USAGE', 'The --grep text may be at most 256 characters; give a shorter one.'));
        const client = ctx.client();
        const print = (record: JournalRecord) => ctx.output.out(ctx.json ? JSON.stringify(record) : formatJournalRecord(record));
        const tail = await journalTail(client, options);
        if (!tail.ok) return ctx.fail(tail.error);
        const { boot } = tail.value;
        // A past boot gets no new records: following it would wait forever.
        if (options.follow === true && boot !== undefined && !boot.current) return ctx.fail(rayosError('RAYOS_CLI_USAGE', `--follow needs the current boot; boot ${boot.id} has ended. Leave out --follow, or use --boot 0.`));
        if (boot !== undefined && !ctx.json) ctx.output.out(bootHeading(boot));
        tail.value.records.forEach(print);
        if (options.follow !== true) return EXIT.OK;
        const { since } = options;
        const end = await followUntilInterrupted((signal) =>
          client.streamJournal(
            { afterSeq: tail.value.cursor, grep: options.grep },
            // The stream knows no --since; when nothing matched yet it replays from the start, so older records are dropped here.
            (record) => (since === undefined || Date.parse(record.at) >= since ? print(record) : undefined),
            signal,
          ),
        );
        return reportStreamEnd(ctx, end);
      }),
    );
  log
    .command('note')
    .description('append a note to the journal; prints its sequence number once it is durable')
    .argument('<message...>', 'the note (several words are joined with spaces)')
    .option('--source <name>', 'who is writing (letters, digits, dot, dash, underscore)', 'cli')
    .option('--json', 'print the acknowledgement ({seq, at}) as JSON')
    .action(
      action<{ source: string }>(async (ctx, options, words) => {
        const note = NoteRequestSchema.safeParse({ source: options.source, message: words.join(' ') });
        if (!note.success) {
          const issue = note.error.issues[0];
          return ctx.fail(rayosError('RAYOS_CLI_USAGE', `The note's ${issue?.path.join('.') || 'input'} is not valid: ${issue?.message ?? 'invalid'}. See rayos log note --help.`));
        }
        const ack = await ctx.client().appendNote(note.data);
        if (!ack.ok) return ctx.fail(ack.error);
        ctx.output.out(ctx.json ? JSON.stringify(ack.value) : `Noted as journal record ${ack.value.seq} (${ack.value.at}).`);
        return EXIT.OK;
      }),
    );
}

/**
 * The API pages forward from afterSeq; the person wants the newest `limit` matches, so page to the end keeping
 * the last ones. cursor is the last sequence seen, where a follow resumes.
 */
export async function journalTail(client: RayosClient, options: ShowOptions): Promise<Result<{ records: JournalRecord[]; cursor: number; boot?: BootSpan }, RayosError>> {
  let kept: JournalRecord[] = [];
  let cursor = 0;
  let boot: BootSpan | undefined;
  for (;;) {
    const page = await client.journal({ sinceMs: options.since, grep: options.grep, afterSeq: cursor, limit: PAGE, ...(options.boot === undefined ? {} : { boot: options.boot }) });
    if (!page.ok) return page;
    boot ??= page.value.boot;
    const { records } = page.value;
    if (records.length === 0) break;
    const last = records.at(-1)?.seq ?? cursor;
    // A runtime that does not move forward would loop forever.
    if (last <= cursor) return err(rayosError('RAYOS_CLI_PROTOCOL', `The journal page after ${cursor} did not move forward (ended at ${last}); check that the CLI and runtime are the same version.`));
    cursor = last;
    kept = kept.concat(records);
    if (kept.length > options.limit) kept = kept.slice(-options.limit);
  }
  // A follow of a boot with no matches yet resumes at that boot's start, not at the journal's.
  if (boot?.firstSeq != null) cursor = Math.max(cursor, boot.firstSeq - 1);
  return ok({ records: kept, cursor, ...(boot === undefined ? {} : { boot }) });
}

/** `-- boot 7 (this boot): started …, ready …, stopped … (SIGTERM) --` above the records of one boot. */
export function bootHeading(boot: BootSpan): string {
  const parts = [`started ${boot.startedAt}`, ...(boot.readyAt === null ? ['never ready'] : [`ready ${boot.readyAt}`])];
  if (boot.stoppedAt !== null) parts.push(`stopped ${boot.stoppedAt} (${boot.stopReason ?? 'no reason'})`);
  else if (!boot.current) parts.push('did not stop cleanly');
  const none = boot.firstSeq === null ? '; it recorded no journal range' : '';
  return `-- boot ${boot.id}${boot.current ? ' (this boot)' : ''}: ${parts.join(', ')}${none} --`;
}
