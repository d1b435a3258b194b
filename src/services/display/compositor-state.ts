// Owns the compositor model as a pure state machine: surfaces, presentation, focus, z-order and layouts (no I/O).
//
//                    add (VM runs)                present (focus + raise)
//   (none) ─────────────────────────▶ hidden ◀───────────────────────────▶ presented
//                                       ▲          hide (focus → next)      │    ▲
//                                       │                        VM stopped │    │ VM runs again (focus
//                                       │                                   ▼    │ if nobody has it)
//                                       └──────── hide ─────────── presented, unavailable
//   A hidden surface whose VM stops stays hidden and unavailable; it comes back hidden.
//
// Invariants: at most one surface is focused and it is presented and available; focusing raises it to the top of
// the z-order; hiding (or losing) the focused surface moves focus to the highest presented one, or to none.
// A presented window whose VM stops stays on screen (the page says the VM is stopped) rather than vanishing under
// the person's eyes; it recovers when the VM runs again.
// Layouts decide where presented surfaces show: floating keeps each surface's own rectangle (set by move),
// fullscreen gives the focused one the whole screen, side-by-side tiles presented ones left to right by z.
import { err, ok, type Result } from '../../base/result.js';
import type { Layout, SurfaceList, SurfaceView } from '../../contracts/display.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Surface {
  readonly vm: string;
  /** The floating rectangle (set on creation and by move). */
  readonly rect: Rect;
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly z: number;
  readonly presented: boolean;
  readonly available: boolean;
}

export interface CompositorState {
  readonly surfaces: ReadonlyMap<string, Surface>;
  readonly focused: string | null;
  readonly layout: Layout;
  readonly screen: { readonly width: number; readonly height: number };
  readonly topZ: number;
  /** Where windows were before this runtime started (kept across restarts): a surface made for one of these VMs opens there. */
  readonly remembered: ReadonlyMap<string, Rect>;
}

/** What a transition did, for the service to turn into markers and events. */
export type CompositorFact =
  | { type: 'created'; vm: string; width: number; height: number }
  | { type: 'unavailable'; vm: string }
  | { type: 'presented'; vm: string; layout: Layout }
  | { type: 'hidden'; vm: string; reason: 'requested' }
  | { type: 'focused'; vm: string | null }
  | { type: 'moved'; vm: string };

export interface Transition {
  readonly state: CompositorState;
  readonly facts: readonly CompositorFact[];
}

export const DEFAULT_SCREEN = { width: 1920, height: 1080 } as const;
export const DEFAULT_FRAME = { width: 1024, height: 768 } as const;
/** Where a new surface opens in the floating layout, cascading so that two do not sit exactly on top of each other. */
const CASCADE = 32;

export function initialCompositor(screen: { width: number; height: number } = DEFAULT_SCREEN, saved?: { layout: Layout; rects: ReadonlyMap<string, Rect> }): CompositorState {
  return { surfaces: new Map(), focused: null, layout: saved?.layout ?? 'floating', screen: { ...screen }, topZ: 0, remembered: new Map(saved?.rects ?? []) };
}

/** The arrangement worth keeping: the layout and every window's floating rectangle (remembered ones included). */
export function arrangement(state: CompositorState): { layout: Layout; rects: ReadonlyMap<string, Rect> } {
  const rects = new Map(state.remembered);
  for (const surface of state.surfaces.values()) rects.set(surface.vm, surface.rect);
  return { layout: state.layout, rects };
}

function notFound(state: CompositorState, vm: string): RayosError {
  const known = [...state.surfaces.keys()].join(', ') || 'none';
  return rayosError('RAYOS_DISPLAY_SURFACE_NOT_FOUND', `There is no surface for ${vm} (surfaces: ${known}); a VM gets one when it runs ("rayos vm start ${vm}").`, { vm });
}

/** The surface of the VM, or RAYOS_DISPLAY_SURFACE_NOT_FOUND naming the ones there are. */
export function lookup(state: CompositorState, vm: string): Result<Surface, RayosError> {
  const surface = state.surfaces.get(vm);
  if (surface === undefined) return err(notFound(state, vm));
  return ok(surface);
}

function available(state: CompositorState, vm: string): Result<Surface, RayosError> {
  const surface = lookup(state, vm);
  if (!surface.ok || surface.value.available) return surface;
  return err(rayosError('RAYOS_DISPLAY_SURFACE_UNAVAILABLE', `The surface of ${vm} is unavailable because ${vm} is not running; start it with "rayos vm start ${vm}".`, { vm }));
}

function withSurface(state: CompositorState, surface: Surface, patch: Partial<CompositorState> = {}): CompositorState {
  const surfaces = new Map(state.surfaces);
  surfaces.set(surface.vm, surface);
  return { ...state, ...patch, surfaces };
}

/** The highest presented, available surface other than `except`, or null. */
function topPresented(state: CompositorState, except: string | null): string | null {
  let best: Surface | null = null;
  for (const s of state.surfaces.values()) {
    if (s.vm === except || !s.presented || !s.available) continue;
    if (best === null || s.z > best.z) best = s;
  }
  return best?.vm ?? null;
}

/** Changes a surface (hide or VM stop) and moves focus on if it had it and no longer may. */
function takeDown(state: CompositorState, surface: Surface, change: Partial<Surface>): Transition {
  const changed = { ...surface, ...change };
  const facts: CompositorFact[] = [];
  if (surface.presented && !changed.presented) facts.push({ type: 'hidden', vm: surface.vm, reason: 'requested' });
  let next = withSurface(state, changed);
  if (state.focused === surface.vm) {
    const focus = topPresented(next, surface.vm);
    next = { ...next, focused: focus };
    facts.push({ type: 'focused', vm: focus });
  }
  return { state: next, facts };
}

/**
 * A VM runs: a new surface appears hidden; an unavailable one becomes available again with the current frame size,
 * still presented if it was (and then focused when nothing else has focus: the person was looking at it).
 */
export function addSurface(state: CompositorState, vm: string, frame: { width: number; height: number }): Transition {
  const existing = state.surfaces.get(vm);
  if (existing?.available === true) {
    if (existing.frameWidth === frame.width && existing.frameHeight === frame.height) return { state, facts: [] };
    return { state: withSurface(state, { ...existing, frameWidth: frame.width, frameHeight: frame.height }), facts: [] };
  }
  const offset = (state.surfaces.size % 8) * CASCADE;
  const rect = existing?.rect ?? state.remembered.get(vm) ?? { x: offset, y: offset, width: frame.width, height: frame.height };
  const topZ = state.topZ + 1;
  const presented = existing?.presented === true;
  const surface: Surface = { vm, rect, frameWidth: frame.width, frameHeight: frame.height, z: existing?.z ?? topZ, presented, available: true };
  const facts: CompositorFact[] = [{ type: 'created', vm, width: frame.width, height: frame.height }];
  let next = withSurface(state, surface, existing === undefined ? { topZ } : {});
  if (presented) {
    facts.push({ type: 'presented', vm, layout: state.layout });
    if (state.focused === null) {
      next = { ...next, focused: vm };
      facts.push({ type: 'focused', vm });
    }
  }
  return { state: next, facts };
}

/**
 * The guest changed its display mode (a boot switches from VGA text to its framebuffer): the frame size follows, and so
 * does the floating rectangle while it still has the old frame's size (the person never resized it), within the screen.
 */
export function resizeFrame(state: CompositorState, vm: string, frame: { width: number; height: number }): CompositorState {
  const surface = state.surfaces.get(vm);
  if (surface === undefined || (surface.frameWidth === frame.width && surface.frameHeight === frame.height)) return state;
  const untouched = surface.rect.width === surface.frameWidth && surface.rect.height === surface.frameHeight;
  const rect = untouched ? { ...surface.rect, width: Math.min(frame.width, state.screen.width), height: Math.min(frame.height, state.screen.height) } : surface.rect;
  return withSurface(state, { ...surface, rect, frameWidth: frame.width, frameHeight: frame.height });
}

/** The VM stopped (or failed, or is being suspended): its surface is unavailable until it runs again, and loses focus; a presented one stays presented. */
export function markUnavailable(state: CompositorState, vm: string): Transition {
  const surface = state.surfaces.get(vm);
  if (surface === undefined || !surface.available) return { state, facts: [] };
  const down = takeDown(state, surface, { available: false });
  return { state: down.state, facts: [...down.facts, { type: 'unavailable', vm }] };
}

/** Presents the surface (idempotent), focuses it and raises it; a layout given becomes the compositor's layout. */
export function present(state: CompositorState, vm: string, layout?: Layout): Result<Transition, RayosError> {
  const surface = available(state, vm);
  if (!surface.ok) return surface;
  const topZ = state.topZ + 1;
  const next = withSurface(state, { ...surface.value, presented: true, z: topZ }, { topZ, focused: vm, layout: layout ?? state.layout });
  const facts: CompositorFact[] = [];
  if (!surface.value.presented || layout !== undefined) facts.push({ type: 'presented', vm, layout: next.layout });
  if (state.focused !== vm) facts.push({ type: 'focused', vm });
  return ok({ state: next, facts });
}

/** Hides the surface (idempotent); QEMU is not touched. */
export function hide(state: CompositorState, vm: string): Result<Transition, RayosError> {
  const surface = lookup(state, vm);
  if (!surface.ok) return surface;
  if (!surface.value.presented) return ok({ state, facts: [] });
  return ok(takeDown(state, surface.value, { presented: false }));
}

/** Focuses a presented surface and raises it. */
export function focus(state: CompositorState, vm: string): Result<Transition, RayosError> {
  const surface = available(state, vm);
  if (!surface.ok) return surface;
  if (!surface.value.presented) {
    return err(rayosError('RAYOS_DISPLAY_NOT_PRESENTED', `The surface of ${vm} is hidden, so it cannot take focus; present it first ("rayos show ${vm} desktop").`, { vm }));
  }
  const topZ = state.topZ + 1;
  const next = withSurface(state, { ...surface.value, z: topZ }, { topZ, focused: vm });
  return ok({ state: next, facts: state.focused === vm ? [] : [{ type: 'focused', vm }] });
}

/** No surface has focus (the person clicked the empty desktop): keys go nowhere until a window is chosen again. */
export function blur(state: CompositorState): Transition {
  if (state.focused === null) return { state, facts: [] };
  return { state: { ...state, focused: null }, facts: [{ type: 'focused', vm: null }] };
}

/** Sets the surface's floating rectangle and switches the compositor to the floating layout. */
export function move(state: CompositorState, vm: string, to: { x: number; y: number; width?: number | undefined; height?: number | undefined }): Result<Transition, RayosError> {
  const surface = lookup(state, vm);
  if (!surface.ok) return surface;
  const rect: Rect = { x: to.x, y: to.y, width: to.width ?? surface.value.rect.width, height: to.height ?? surface.value.rect.height };
  return ok({ state: withSurface(state, { ...surface.value, rect }, { layout: 'floating' }), facts: [{ type: 'moved', vm }] });
}

/** Where the layout shows a surface. */
export function geometry(state: CompositorState, surface: Surface): Rect {
  if (!surface.presented || state.layout === 'floating') return surface.rect;
  const { width, height } = state.screen;
  if (state.layout === 'fullscreen') return state.focused === surface.vm ? { x: 0, y: 0, width, height } : surface.rect;
  const tiles = [...state.surfaces.values()].filter((s) => s.presented && s.available).sort((a, b) => a.z - b.z);
  const index = tiles.findIndex((s) => s.vm === surface.vm);
  const tile = Math.floor(width / Math.max(1, tiles.length));
  return { x: index * tile, y: 0, width: tile, height };
}

export function viewOf(state: CompositorState, surface: Surface): SurfaceView {
  const rect = geometry(state, surface);
  return {
    id: surface.vm,
    vm: surface.vm,
    ...rect,
    frameWidth: surface.frameWidth,
    frameHeight: surface.frameHeight,
    z: surface.z,
    presented: surface.presented,
    focused: state.focused === surface.vm,
    available: surface.available,
  };
}

/** Every surface, bottom of the z-order first. */
export function listView(state: CompositorState): SurfaceList {
  const surfaces = [...state.surfaces.values()].sort((a, b) => a.z - b.z).map((s) => viewOf(state, s));
  return { layout: state.layout, screen: { ...state.screen }, focused: state.focused, surfaces };
}
