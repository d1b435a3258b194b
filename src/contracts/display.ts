// Owns the compositor and input shapes shared by the display and input services, the API, the client and the CLI.
import { z } from 'zod';

export const LAYOUTS = ['floating', 'fullscreen', 'side-by-side'] as const;
export const LayoutSchema = z.enum(LAYOUTS);
export type Layout = z.infer<typeof LayoutSchema>;

/** Coordinates and sizes in compositor pixels; generous bounds, no negatives for sizes. */
const Coordinate = z.number().int().min(-16_384).max(16_384);
const Extent = z.number().int().min(1).max(16_384);

/**
 * One surface per VM (its id is the VM name). x, y, width, height: where the compositor shows it (the layout decides);
 * frameWidth × frameHeight: the guest display mode. available: false while the VM does not run.
 */
export const SurfaceViewSchema = z.object({
  id: z.string(),
  vm: z.string(),
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  frameWidth: z.number().int(),
  frameHeight: z.number().int(),
  z: z.number().int(),
  presented: z.boolean(),
  focused: z.boolean(),
  available: z.boolean(),
});
export type SurfaceView = z.infer<typeof SurfaceViewSchema>;

export const SurfaceListSchema = z.object({
  layout: LayoutSchema,
  screen: z.object({ width: z.number().int(), height: z.number().int() }),
  focused: z.string().nullable(),
  surfaces: z.array(SurfaceViewSchema),
});
export type SurfaceList = z.infer<typeof SurfaceListSchema>;

/** Any string: the display service checks the name itself (RAYOS_VM_BAD_NAME / RAYOS_DISPLAY_SURFACE_NOT_FOUND). */
export const SurfaceParamsSchema = z.object({ vm: z.string().max(256) });
export const SurfacePresentRequestSchema = z.strictObject({ layout: LayoutSchema.optional() });
export const SurfaceMoveRequestSchema = z.strictObject({ x: Coordinate, y: Coordinate, width: Extent.optional(), height: Extent.optional() });
export const EmptyRequestSchema = z.strictObject({});

/** MouseEvent.buttons: bit 0 left, bit 1 right, bit 2 middle. */
export const PointerButtonsSchema = z.number().int().min(0).max(7);

/** What the input route accepts: browser-shaped key and pointer events, and the conductor's synthetic input. */
export const InputEventSchema = z.discriminatedUnion('type', [
  /** code is KeyboardEvent.code ("KeyA", "Enter", "ShiftLeft"). */
  z.strictObject({ type: z.literal('key'), code: z.string().min(1).max(32), down: z.boolean() }),
  /** x, y in surface pixels (clamped to the surface). */
  z.strictObject({ type: z.literal('pointer'), x: z.number().finite(), y: z.number().finite(), buttons: PointerButtonsSchema.default(0) }),
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(4096) }),
  /** Pressed together in order, released in reverse: ["ctrl", "alt", "delete"]. */
  z.strictObject({ type: z.literal('keys'), keys: z.array(z.string().min(1).max(32)).min(1).max(8) }),
  z.strictObject({ type: z.literal('click'), x: z.number().finite(), y: z.number().finite(), button: z.enum(['left', 'right', 'middle']).default('left') }),
]);
export type InputEvent = z.infer<typeof InputEventSchema>;
export type InputEventInput = z.input<typeof InputEventSchema>;

export const MAX_INPUT_EVENTS = 256;
export const SurfaceInputRequestSchema = z.strictObject({ events: z.array(InputEventSchema).min(1).max(MAX_INPUT_EVENTS) });

export const DROP_REASONS = ['hidden', 'unfocused', 'denied'] as const;
export const DropReasonSchema = z.enum(DROP_REASONS);
export type DropReason = z.infer<typeof DropReasonSchema>;

/** What happened to one input event: delivered to the guest, or dropped (never reaching it) and why. */
export const InputOutcomeSchema = z.object({ delivered: z.boolean(), dropped: DropReasonSchema.nullable() });
export type InputOutcome = z.infer<typeof InputOutcomeSchema>;
export const SurfaceInputResponseSchema = z.object({ delivered: z.number().int(), dropped: z.number().int(), outcomes: z.array(InputOutcomeSchema) });
export type SurfaceInputResponse = z.infer<typeof SurfaceInputResponseSchema>;

/** A screenshot travels as image/png bytes; in the route table it is only named. */
export const PngResponseSchema = z.instanceof(Uint8Array);
