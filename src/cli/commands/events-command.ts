// Owns `rayos events`: the most recent events, one line each, and with --follow the live stream until Ctrl-C.
import type { Command } from 'commander';
import type { RayosClient } from '../../client/api.js';
import type { Result } from '../../base/result.js';
import type { EventsPage } from '../../contracts/api-types.js';
import type { RayosError } from '../../contracts/errors.js';
import type { EventEnvelope } from '../../contracts/events.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { integerArg } from '../arg-parsers.js';
import { followUntilInterrupted } from '../follow.js';
import { formatEvent } from '../format.js';
import { reportStreamEnd } from './stream-end.js';

interface EventsOptions {
  after?: number;
  limit: number;
  follow?: boolean;
}

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('print recent events (seq, time, type, data); --follow keeps streaming until Ctrl-C')
    .option('--after <seq>', 'only events after this sequence number', integerArg(0, Number.MAX_SAFE_INTEGER))
    .option('--limit <n>', 'at most this many (the most recent ones)', integerArg(1, 10_000), 200)
    .option('--follow', 'after printing, stream new events until Ctrl-C')
    .option('--json', 'one EventEnvelope JSON object per line')
    .action(
      action<EventsOptions>(async (ctx, options) => {
        const client = ctx.client();
        const page = await recentEvents(client, options.after, options.limit);
        if (!page.ok) return ctx.fail(page.error);
        const print = (event: EventEnvelope) => ctx.output.out(ctx.json ? JSON.stringify(event) : formatEvent(event));
        page.value.events.forEach(print);
        if (options.follow !== true) return EXIT.OK;
        // Resume right after what was printed, so nothing between the page and the stream is lost or repeated.
        const afterSeq = page.value.events.at(-1)?.seq ?? options.after ?? page.value.lastSeq;
        const end = await followUntilInterrupted((signal) => client.streamEvents({ afterSeq }, print, signal));
        return reportStreamEnd(ctx, end);
      }),
    );
}

/**
 * The API pages forward from afterSeq; without --after the person wants the newest events,
 * so when the first page is not the end, ask again from lastSeq - limit.
 */
export async function recentEvents(client: RayosClient, after: number | undefined, limit: number): Promise<Result<EventsPage, RayosError>> {
  const first = await client.events({ afterSeq: after ?? 0, limit });
  if (!first.ok || after !== undefined) return first;
  const lastShown = first.value.events.at(-1)?.seq ?? 0;
  if (first.value.events.length < limit || lastShown >= first.value.lastSeq) return first;
  return client.events({ afterSeq: Math.max(0, first.value.lastSeq - limit), limit });
}
