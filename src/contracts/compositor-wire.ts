// Owns the compositor wire protocol: the frames (VNC) and input WebSocket endpoints, their messages, limits and close codes.
import { z } from 'zod';
import { DropReasonSchema, PointerButtonsSchema } from './display.js';
import { ErrorCodeSchema } from './errors.js';

export const COMPOSITOR_WIRE_VERSION = 1;

/**
 * GET /v1/surfaces/:vm/vnc — WebSocket, binary frames: the VM's RFB (VNC) stream relayed byte for byte, both ways,
 * from its unix VNC socket, only while the surface is presented. One VNC connection per WebSocket; many may view.
 * GET /v1/input — WebSocket, JSON text frames: InputClientMessage in, InputServerMessage out.
 * On TCP both need the bearer token: the Authorization header, or ?token= (browsers cannot set WebSocket headers).
 */
export const COMPOSITOR_PATHS = {
  vnc: '/v1/surfaces/:vm/vnc',
  input: '/v1/input',
} as const;
export const vncPath = (vm: string): string => `/v1/surfaces/${encodeURIComponent(vm)}/vnc`;

/**
 * Why the server closed a frames WebSocket (the close reason text starts with a RAYOS_* code and says more).
 * 4000–4999 are RayOS's own; 1001 when the runtime stops, 1008 when the client reads too slowly.
 */
export const VNC_CLOSE = {
  /** The surface is hidden: refused at connect, or hidden while streaming. */
  hidden: 4001,
  /** The VM does not run (surface unavailable): refused at connect, or the VM stopped while streaming. */
  unavailable: 4002,
  /** QEMU's VNC socket could not be reached, or QEMU closed it. */
  vncClosed: 4003,
  /** No surface with that name (no such VM, or a bad name). */
  notFound: 4004,
  badRequest: 4000,
  slowClient: 1008,
  goingAway: 1001,
} as const;

/** The input channel refuses text frames larger than this (an error reply; the connection stays open). */
export const INPUT_MAX_MESSAGE_BYTES = 4096;
/** At most this many messages per connection per window; the rest are dropped with one RAYOS_API_RATE_LIMITED reply per window. */
export const INPUT_RATE_LIMIT = { max: 400, windowMs: 1000 } as const;

/** Echoed on every reply to the message that carried it (client correlation). */
const CorrelationId = z.union([z.string().max(64), z.number().int()]).optional();
/** A surface id is the VM name; the display service checks it. */
const SurfaceId = z.string().min(1).max(64);
/** Surface pixels; the input broker clamps them to the surface. Beyond this range the message is malformed. */
const PixelCoordinate = z.number().finite().min(-65_536).max(65_536);

export const InputClientMessageSchema = z.discriminatedUnion('type', [
  /** code is KeyboardEvent.code ("KeyA", "Enter", "ShiftLeft"); down true on keydown, false on keyup. */
  z.strictObject({ type: z.literal('key'), id: CorrelationId, surface: SurfaceId, code: z.string().min(1).max(32), down: z.boolean() }),
  /** x, y in surface pixels (the guest frame); buttons as MouseEvent.buttons (bit 0 left, 1 right, 2 middle). */
  z.strictObject({ type: z.literal('pointer'), id: CorrelationId, surface: SurfaceId, x: PixelCoordinate, y: PixelCoordinate, buttons: PointerButtonsSchema }),
  /** Take input focus for this connection; the previous holder gets focus-lost. The last to claim wins. */
  z.strictObject({ type: z.literal('claim'), id: CorrelationId }),
  /** Give input focus up (nobody holds it afterwards). */
  z.strictObject({ type: z.literal('release'), id: CorrelationId }),
]);
export type InputClientMessage = z.infer<typeof InputClientMessageSchema>;

export const INPUT_WIRE_DROP_REASONS = ['not-focus-holder', ...DropReasonSchema.options] as const;
export const InputWireDropReasonSchema = z.enum(INPUT_WIRE_DROP_REASONS);

export const InputServerMessageSchema = z.discriminatedUnion('type', [
  /** First message on every connection. */
  z.strictObject({ type: z.literal('hello'), protocol: z.literal(COMPOSITOR_WIRE_VERSION), maxMessageBytes: z.number().int() }),
  /** This connection now holds input focus (answer to claim). */
  z.strictObject({ type: z.literal('claimed'), id: CorrelationId }),
  /** This connection no longer holds input focus (answer to release). */
  z.strictObject({ type: z.literal('released'), id: CorrelationId }),
  /** Unprompted: another connection claimed input focus. */
  z.strictObject({ type: z.literal('focus-lost') }),
  /** A key or pointer event reached the guest. Sent only when the event carried an id. */
  z.strictObject({ type: z.literal('delivered'), id: CorrelationId }),
  /**
   * A key or pointer event did not reach the guest: this connection does not hold focus, or the broker dropped it
   * (surface hidden, unfocused, or denied by policy; the broker leaves RAYOS_INPUT:DROPPED:<vm>:<reason>).
   */
  z.strictObject({ type: z.literal('dropped'), id: CorrelationId, reason: InputWireDropReasonSchema }),
  /** The message was refused (malformed, oversized, unknown key, unknown surface, rate limited); the connection stays open. */
  z.strictObject({ type: z.literal('error'), id: CorrelationId, code: ErrorCodeSchema, message: z.string() }),
]);
export type InputServerMessage = z.infer<typeof InputServerMessageSchema>;
