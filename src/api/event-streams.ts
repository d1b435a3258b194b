// Owns the WebSocket streams: live events and live journal records, each after an optional replay, with backpressure.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { STREAM_ROUTES } from '../contracts/api-routes.js';
import type { JournalRecord } from '../contracts/api-types.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { Storage } from '../services/storage/api.js';

/** A client this far behind is cut off rather than letting the runtime buffer without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const POLICY_VIOLATION = 1008;

const EventsStreamQuery = z.object({ afterSeq: z.coerce.number().int().min(0).optional(), token: z.string().optional() }).strict();
const JournalStreamQuery = z
  .object({ afterSeq: z.coerce.number().int().min(0).default(0), grep: z.string().max(256).optional(), token: z.string().optional() })
  .strict();

export function registerStreams(app: FastifyInstance, deps: { bus: EventBus; storage: Storage }): void {
  app.get(STREAM_ROUTES.events.path, { websocket: true }, (socket, request) => {
    const query = EventsStreamQuery.safeParse(request.query);
    if (!query.success) return socket.close(POLICY_VIOLATION, 'RAYOS_API_BAD_REQUEST: afterSeq must be a whole number');
    const send = sender(socket);
    const unsubscribe = deps.bus.subscribe((event) => send(event), query.data.afterSeq === undefined ? {} : { afterSeq: query.data.afterSeq });
    socket.on('close', unsubscribe);
  });

  app.get(STREAM_ROUTES.journal.path, { websocket: true }, (socket, request) => {
    const query = JournalStreamQuery.safeParse(request.query);
    if (!query.success) return socket.close(POLICY_VIOLATION, 'RAYOS_API_BAD_REQUEST: afterSeq must be a whole number, grep at most 256 characters');
    const send = sender(socket);
    const needle = query.data.grep?.toLowerCase();
    const matches = (record: JournalRecord) => needle === undefined || JSON.stringify(record).toLowerCase().includes(needle);
    // Subscribe before reading the backlog so nothing appended in between is lost; the seq cursor drops duplicates.
    let cursor = query.data.afterSeq;
    let live: JournalRecord[] | null = [];
    const deliver = (record: JournalRecord) => {
      if (record.seq <= cursor) return;
      cursor = record.seq;
      if (matches(record)) send(record);
    };
    const unsubscribe = deps.storage.subscribeJournal((record) => (live === null ? deliver(record) : live.push(record)));
    socket.on('close', unsubscribe);
    void (async () => {
      for (;;) {
        const page = await deps.storage.readJournal({ afterSeq: cursor, limit: 1000 });
        page.forEach(deliver);
        if (page.length < 1000) break;
      }
      const pending = live ?? [];
      live = null;
      pending.forEach(deliver);
    })().catch((error: unknown) => socket.close(1011, `RAYOS_API_INTERNAL: ${String(error).slice(0, 100)}`));
  });
}

function sender(socket: WebSocket): (message: unknown) => void {
  return (message) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(POLICY_VIOLATION, 'RAYOS_API_RATE_LIMITED: the client reads too slowly');
    socket.send(JSON.stringify(message));
  };
}
