// Owns the display service: the authoritative compositor model (one surface per running VM), presentation with policy, screenshots.
//
// Presenting and hiding change only this model (and what the UI shows); they never touch QEMU's lifecycle.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import type { Layout, SurfaceList, SurfaceView } from '../../contracts/display.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { PolicyActor } from '../../contracts/policy.js';
import { VmNameSchema } from '../../contracts/vm.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { DISPLAY_ID } from '../../platform/qemu/qemu-argv.js';
import type { PolicyControl } from '../policy/api.js';
import type { VmSupervisor } from '../vm/api.js';
import * as model from './compositor-state.js';
import type { CompositorStore } from './compositor-store.js';
import { pngSize } from './png-header.js';

/** What the API, the input broker and the conductor may ask of the compositor. */
export interface DisplayControl {
  list(): SurfaceList;
  surface(vm: string): Result<SurfaceView, RayosError>;
  /** Asks policy surface.present (Surface, id = VM name), then presents, focuses and raises the surface. */
  present(vm: string, options: { layout?: Layout | undefined }, actor: PolicyActor): Promise<Result<SurfaceView, RayosError>>;
  /** Asks policy surface.hide, then hides the surface; focus moves to the highest presented one. */
  hide(vm: string, actor: PolicyActor): Promise<Result<SurfaceView, RayosError>>;
  focus(vm: string): Result<SurfaceView, RayosError>;
  /** Takes focus from every surface (nothing receives keys until one is focused again). */
  blur(): SurfaceList;
  move(vm: string, to: { x: number; y: number; width?: number | undefined; height?: number | undefined }): Result<SurfaceView, RayosError>;
  /**
   * The frames of a presented, available surface: its VM's unix VNC socket. Hidden → RAYOS_DISPLAY_NOT_PRESENTED,
   * VM not running → RAYOS_DISPLAY_SURFACE_UNAVAILABLE. The relay calls `relayed()` whenever RFB bytes from QEMU reach
   * a client; the first call after each present leaves RAYOS_PRESENTATION:FIRST_FRAME:<vm>.
   */
  frames(vm: string): Result<FrameSource, RayosError>;
  /** The VM's screen as PNG bytes (QMP screendump into the VM folder, read back, removed). */
  screenshot(vm: string): Promise<Result<Uint8Array, RayosError>>;
}

export interface FrameSource {
  readonly vm: string;
  readonly vncSocket: string;
  relayed(): void;
}

export type DisplayService = Service & { readonly control: DisplayControl };

const SCREENDUMP_TIMEOUT_MS = 10_000;
const LIVE = new Set(['running', 'paused']);

export function createDisplayService(options: { vms: VmSupervisor; policy: PolicyControl; store: CompositorStore }): DisplayService {
  const { vms, policy, store } = options;
  let state = model.initialCompositor();
  let markers: MarkerWriter | null = null;
  let bus: EventBus | null = null;
  let unsubscribe: (() => void) | null = null;
  /** Surface creation waits for a screendump; one at a time per VM, in the order the VM's states came. */
  const pending = new Map<string, Promise<void>>();
  /** Per VM: how many times it was presented, and the presentation whose first frame was already reported. */
  const presentations = new Map<string, number>();
  const firstFrames = new Map<string, number>();

  const report = (facts: readonly model.CompositorFact[]): void => {
    for (const fact of facts) {
      switch (fact.type) {
        case 'created':
          markers?.emit('RAYOS_PRESENTATION', 'SURFACE_CREATE', fact.vm, `${fact.width}x${fact.height}`);
          bus?.publish('surface.created', { vm: fact.vm, width: fact.width, height: fact.height });
          break;
        case 'unavailable':
          markers?.emit('RAYOS_PRESENTATION', 'SURFACE_UNAVAILABLE', fact.vm);
          bus?.publish('surface.unavailable', { vm: fact.vm });
          break;
        case 'presented':
          presentations.set(fact.vm, (presentations.get(fact.vm) ?? 0) + 1);
          markers?.emit('RAYOS_PRESENTATION', 'PRESENTED', fact.vm);
          bus?.publish('surface.presented', { vm: fact.vm, layout: fact.layout });
          break;
        case 'hidden':
          markers?.emit('RAYOS_PRESENTATION', 'HIDDEN', fact.vm);
          bus?.publish('surface.hidden', { vm: fact.vm, reason: fact.reason });
          break;
        case 'focused':
          markers?.emit('RAYOS_PRESENTATION', 'FOCUSED', fact.vm ?? 'none');
          bus?.publish('surface.focused', { vm: fact.vm });
          break;
        case 'moved': {
          const surface = state.surfaces.get(fact.vm);
          if (surface !== undefined) bus?.publish('surface.moved', { vm: fact.vm, ...model.geometry(state, surface) });
          break;
        }
      }
    }
  };
  const apply = (transition: model.Transition): void => {
    const before = state;
    state = transition.state;
    report(transition.facts);
    if (before.layout !== state.layout || transition.facts.some((f) => f.type === 'moved' || f.type === 'created')) keep();
  };
  /** The arrangement outlives the runtime; losing it is not worth failing a move over, so a failed write is only marked. */
  const keep = (): void => {
    try {
      store.save(model.arrangement(state));
    } catch (error) {
      markers?.emit('RAYOS_PRESENTATION', 'ARRANGEMENT_NOT_SAVED', (error as Error).name);
    }
  };
  const view = (vm: string): Result<SurfaceView, RayosError> => {
    const surface = model.lookup(state, vm);
    return surface.ok ? ok(model.viewOf(state, surface.value)) : surface;
  };
  const checkName = (untrustedVm: string): Result<string, RayosError> => {
    const name = VmNameSchema.safeParse(untrustedVm);
    return name.success ? ok(name.data) : err(rayosError('RAYOS_VM_BAD_NAME', `"${untrustedVm.slice(0, 64)}" is not a VM name: 1–32 of a-z, 0-9 and "-", starting with a letter.`));
  };
  /** Runs a pure transition on the current state and reports it. */
  const transition = (untrustedVm: string, step: (s: model.CompositorState, vm: string) => Result<model.Transition, RayosError>): Result<SurfaceView, RayosError> => {
    const vm = checkName(untrustedVm);
    if (!vm.ok) return vm;
    const next = step(state, vm.value);
    if (!next.ok) return next;
    apply(next.value);
    return view(vm.value);
  };
  /** Checks the transition would work, asks policy, then runs it on the state as it is after the wait. */
  const authorized = async (
    untrustedVm: string,
    action: 'surface.present' | 'surface.hide',
    actor: PolicyActor,
    step: (s: model.CompositorState, vm: string) => Result<model.Transition, RayosError>,
  ): Promise<Result<SurfaceView, RayosError>> => {
    const vm = checkName(untrustedVm);
    if (!vm.ok) return vm;
    const dry = step(state, vm.value);
    if (!dry.ok) return dry;
    const allowed = await policy.authorize({
      principal: actor.principal,
      action,
      resource: { kind: 'Surface', id: vm.value, attrs: { vm: vm.value } },
      context: { ...actor.context, atBoot: false },
    });
    if (!allowed.ok) return allowed;
    return transition(vm.value, step);
  };

  async function screendump(vm: string): Promise<Result<Uint8Array, RayosError>> {
    const handle = vms.qmp(vm);
    if (!handle.ok) return handle;
    const file = join(handle.value.dir, `screendump-${randomBytes(6).toString('hex')}.png`);
    try {
      const dumped = await handle.value.execute('screendump', { filename: file, format: 'png', device: DISPLAY_ID }, { timeoutMs: SCREENDUMP_TIMEOUT_MS });
      if (!dumped.ok) return dumped;
      const bytes = new Uint8Array(await readFile(file));
      const size = pngSize(bytes);
      if (!size.ok) return err(rayosError('RAYOS_DISPLAY_SCREENSHOT_FAILED', `QEMU's screendump of ${vm} is not a usable PNG (${size.error}); see "rayos vm logs ${vm}".`, { vm }));
      state = model.resizeFrame(state, vm, size.value);
      return ok(bytes);
    } catch (error) {
      return err(rayosError('RAYOS_DISPLAY_SCREENSHOT_FAILED', `The screendump of ${vm} could not be read back (${(error as Error).message}).`, { vm }));
    } finally {
      await rm(file, { force: true });
    }
  }

  /** The VM runs: make its surface, sized from the display mode (or 1024x768 when the screendump fails). */
  async function surfaceFor(vm: string): Promise<void> {
    const shown = vms.show(vm);
    if (!shown.ok || !LIVE.has(shown.value.state)) return;
    const dumped = await screendump(vm);
    const frame = dumped.ok ? pngSize(dumped.value) : null;
    const still = vms.show(vm);
    if (!still.ok || !LIVE.has(still.value.state)) return;
    apply(model.addSurface(state, vm, frame?.ok === true ? frame.value : model.DEFAULT_FRAME));
  }
  const onVmState = (vm: string, to: string): void => {
    const previous = pending.get(vm) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (LIVE.has(to)) await surfaceFor(vm);
      else apply(model.markUnavailable(state, vm));
    });
    pending.set(vm, next.catch(() => undefined));
  };

  const control: DisplayControl = {
    list: () => model.listView(state),
    surface: (untrustedVm) => {
      const vm = checkName(untrustedVm);
      if (!vm.ok) return vm;
      return view(vm.value);
    },
    present: (vm, presentOptions, actor) => authorized(vm, 'surface.present', actor, (s, name) => model.present(s, name, presentOptions.layout)),
    hide: (vm, actor) => authorized(vm, 'surface.hide', actor, (s, name) => model.hide(s, name)),
    focus: (vm) => transition(vm, (s, name) => model.focus(s, name)),
    blur: () => {
      apply(model.blur(state));
      return model.listView(state);
    },
    move: (vm, to) => transition(vm, (s, name) => model.move(s, name, to)),
    frames: (untrustedVm) => {
      const surface = control.surface(untrustedVm);
      if (!surface.ok) return surface;
      const { vm, available, presented } = surface.value;
      if (!available) return err(rayosError('RAYOS_DISPLAY_SURFACE_UNAVAILABLE', `${vm} is not running, so it has no frames; "rayos vm start ${vm}" starts it.`, { vm }));
      if (!presented) return err(rayosError('RAYOS_DISPLAY_NOT_PRESENTED', `${vm} is hidden; "rayos show ${vm} desktop" presents it.`, { vm }));
      const handle = vms.qmp(vm);
      if (!handle.ok) return handle;
      const presentation = presentations.get(vm) ?? 0;
      return ok({
        vm,
        vncSocket: handle.value.vncSocket,
        relayed: () => {
          if (firstFrames.get(vm) === presentation || presentations.get(vm) !== presentation) return;
          firstFrames.set(vm, presentation);
          markers?.emit('RAYOS_PRESENTATION', 'FIRST_FRAME', vm);
        },
      });
    },
    screenshot: async (untrustedVm) => {
      const vm = checkName(untrustedVm);
      if (!vm.ok) return vm;
      return screendump(vm.value);
    },
  };

  return {
    name: 'display',
    dependsOn: ['storage', 'policy', 'vm'],
    control,
    async start(ctx: ServiceContext) {
      markers = ctx.markers;
      bus = ctx.bus;
      const loaded = store.load();
      if (loaded.problem !== null) markers.emit('RAYOS_PRESENTATION', 'ARRANGEMENT_IGNORED', 'corrupt');
      state = model.initialCompositor(model.DEFAULT_SCREEN, loaded.saved ?? undefined);
      vms.setPresentationSource((name) => (state.surfaces.get(name)?.presented === true ? 'presented' : 'hidden'));
      unsubscribe = ctx.bus.subscribe((event) => {
        if (event.type !== 'vm.state-changed') return;
        const data = event.data as { vm: string; to: string };
        onVmState(data.vm, data.to);
      });
      // VMs the vm service brought back before this service started.
      for (const vm of vms.list()) if (LIVE.has(vm.state)) onVmState(vm.name, vm.state);
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await Promise.allSettled(pending.values());
    },
    health(): Health {
      const list = model.listView(state);
      const presented = list.surfaces.filter((s) => s.presented).length;
      return { status: 'ok', detail: `${list.surfaces.length} surfaces, ${presented} presented, focus ${list.focused ?? 'none'}, ${list.layout}` };
    },
  };
}

