// Owns the input channel: a JSON WebSocket whose one focus-holding connection sends keys and pointer events through the input broker.
//
// Every message is checked (size, JSON, shape) before anything else; a bad one gets an error reply and the connection
// stays open. Key and pointer events run in arrival order per connection; focus is checked when one arrives and
// again just before it is routed, so events queued by a connection that lost focus meanwhile are dropped.
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import {
  COMPOSITOR_PATHS,
  COMPOSITOR_WIRE_VERSION,
  INPUT_MAX_MESSAGE_BYTES,
  INPUT_RATE_LIMIT,
  InputClientMessageSchema,
  type InputClientMessage,
  type InputServerMessage,
} from '../contracts/compositor-wire.js';
import type { ErrorCode } from '../contracts/errors.js';
import type { Principal } from '../contracts/policy.js';
import type { InputBroker } from '../services/input/api.js';

/** Events a connection may have waiting for the broker; more is a flood. */
const MAX_QUEUED = 256;
const MAX_BUFFERED_BYTES = 1024 * 1024;
const POLICY_VIOLATION = 1008;

const InputQuery = z.strictObject({ token: z.string().optional() });
type Id = InputClientMessage['id'];

interface FocusArbiter {
  holder: Connection | null;
}
interface Connection {
  focusLost(): void;
}

/** One input focus per broker, shared by the unix-socket and TCP servers: the last connection to claim holds it. */
const arbiters = new WeakMap<InputBroker, FocusArbiter>();
const arbiterOf = (broker: InputBroker): FocusArbiter => {
  let arbiter = arbiters.get(broker);
  if (arbiter === undefined) arbiters.set(broker, (arbiter = { holder: null }));
  return arbiter;
};

/** The client's correlation id, read from a message that did not validate, so its error reply can still carry it. */
function idOf(untrustedMessage: unknown): Id {
  if (typeof untrustedMessage !== 'object' || untrustedMessage === null) return undefined;
  const id = (untrustedMessage as { id?: unknown }).id;
  return (typeof id === 'string' && id.length <= 64) || (typeof id === 'number' && Number.isInteger(id)) ? id : undefined;
}

export function registerInputChannel(app: FastifyInstance, deps: { input: InputBroker }, principal: Principal): void {
  const arbiter = arbiterOf(deps.input);

  app.get(COMPOSITOR_PATHS.input, { websocket: true }, (socket: WebSocket, request) => {
    if (!InputQuery.safeParse(request.query).success) return socket.close(POLICY_VIOLATION, 'RAYOS_API_BAD_REQUEST: the only query parameter is token');
    const send = (message: InputServerMessage): void => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(POLICY_VIOLATION, 'RAYOS_API_RATE_LIMITED: the client reads too slowly');
      socket.send(JSON.stringify(message));
    };
    const withId = <T extends object>(id: Id, message: T): T => (id === undefined ? message : { ...message, id });
    const error = (id: Id, code: ErrorCode, message: string): void => send(withId(id, { type: 'error' as const, code, message }));

    /** Keys this connection pressed in a guest and has not released: released for it when it closes or loses focus. */
    const held = new Map<string, { surface: string; code: string }>();
    let closed = false;
    const self: Connection = {
      focusLost: () => {
        send({ type: 'focus-lost' });
        releaseHeld();
      },
    };
    // A closed connection's events that arrived while it held focus still run, unless another connection took focus.
    const holds = (): boolean => arbiter.holder === self || (closed && arbiter.holder === null);
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    let windowStart = 0;
    let windowCount = 0;

    const route = async (message: Extract<InputClientMessage, { type: 'key' | 'pointer' }>): Promise<void> => {
      if (!holds()) return send(withId(message.id, { type: 'dropped' as const, reason: 'not-focus-holder' as const }));
      const actor = { principal };
      const outcome =
        message.type === 'key'
          ? await deps.input.routeKey(message.surface, { code: message.code, down: message.down }, actor)
          : await deps.input.routePointer(message.surface, { x: message.x, y: message.y, buttons: message.buttons }, actor);
      if (!outcome.ok) return error(message.id, outcome.error.code, outcome.error.message);
      if (outcome.value.dropped !== null) return send(withId(message.id, { type: 'dropped' as const, reason: outcome.value.dropped }));
      if (message.type === 'key') {
        const key = `${message.surface}\u0000${message.code}`;
        if (message.down) held.set(key, { surface: message.surface, code: message.code });
        else held.delete(key);
      }
      if (message.id !== undefined) send({ type: 'delivered', id: message.id });
    };

    /** After what is queued, lets go of every key still down, so no key stays stuck in a guest (policy still decides). */
    function releaseHeld(): void {
      queue = queue.then(async () => {
        const keys = [...held.values()];
        held.clear();
        for (const { surface, code } of keys) await deps.input.routeKey(surface, { code, down: false }, { principal }).catch(() => undefined);
      });
    }

    const onMessage = (data: RawData, isBinary: boolean): void => {
      const now = Date.now();
      if (now - windowStart >= INPUT_RATE_LIMIT.windowMs) [windowStart, windowCount] = [now, 0];
      if (++windowCount > INPUT_RATE_LIMIT.max) {
        if (windowCount === INPUT_RATE_LIMIT.max + 1) error(undefined, 'RAYOS_API_RATE_LIMITED', `More than ${INPUT_RATE_LIMIT.max} messages in ${INPUT_RATE_LIMIT.windowMs} ms; the rest of this window is dropped.`);
        return;
      }
      if (isBinary) return error(undefined, 'RAYOS_API_BAD_REQUEST', 'The input channel takes JSON text messages, not binary ones.');
      const untrustedText = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (untrustedText.length > INPUT_MAX_MESSAGE_BYTES) return error(undefined, 'RAYOS_API_BODY_TOO_LARGE', `A message may be at most ${INPUT_MAX_MESSAGE_BYTES} bytes; this one has ${untrustedText.length}.`);
      let untrustedMessage: unknown;
      try {
        untrustedMessage = JSON.parse(untrustedText.toString('utf8'));
      } catch {
        return error(undefined, 'RAYOS_API_BAD_REQUEST', 'The message is not JSON.');
      }
      const parsed = InputClientMessageSchema.safeParse(untrustedMessage);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined || issue.path.length === 0 ? 'message' : issue.path.join('.');
        return error(idOf(untrustedMessage), 'RAYOS_API_BAD_REQUEST', `${where}: ${issue?.message ?? 'invalid'}; expected {type: "key"|"pointer"|"claim"|"release", …}.`);
      }
      const message = parsed.data;
      switch (message.type) {
        case 'claim': {
          const previous = arbiter.holder;
          arbiter.holder = self;
          if (previous !== null && previous !== self) previous.focusLost();
          return send(withId(message.id, { type: 'claimed' as const }));
        }
        case 'release':
          if (arbiter.holder === self) {
            arbiter.holder = null;
            releaseHeld();
          }
          return send(withId(message.id, { type: 'released' as const }));
        default: {
          if (!holds()) return send(withId(message.id, { type: 'dropped' as const, reason: 'not-focus-holder' as const }));
          if (queued >= MAX_QUEUED) return error(message.id, 'RAYOS_API_RATE_LIMITED', `More than ${MAX_QUEUED} input events are waiting; this one is dropped.`);
          queued++;
          queue = queue
            .then(() => route(message))
            .catch((failure: unknown) => error(message.id, 'RAYOS_API_INTERNAL', `The input could not be routed: ${String(failure)}`))
            .finally(() => queued--);
        }
      }
    };

    socket.on('message', onMessage);
    socket.on('close', () => {
      closed = true;
      if (arbiter.holder === self) arbiter.holder = null;
      releaseHeld();
    });
    send({ type: 'hello', protocol: COMPOSITOR_WIRE_VERSION, maxMessageBytes: INPUT_MAX_MESSAGE_BYTES });
  });
}
