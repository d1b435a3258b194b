// Owns the input broker: keyboard and pointer input, and the conductor's synthetic input, routed only to the presented, focused surface.
//
// Each delivery checks the display model first (hidden → dropped "hidden", not focused → "unfocused"), then asks
// policy input.route with {presented, focused}; a deny drops it ("denied"). A dropped event never reaches the guest
// and leaves RAYOS_INPUT:DROPPED:<vm>:<reason>. Delivery is QMP input-send-event bound to the display (video0).
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import type { DropReason, InputEvent, InputOutcome, SurfaceInputResponse } from '../../contracts/display.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { PolicyActor } from '../../contracts/policy.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { DISPLAY_ID } from '../../platform/qemu/qemu-argv.js';
import type { QmpInputButton, QmpInputEvent } from '../../platform/qmp/qmp-client.js';
import type { DisplayControl } from '../display/api.js';
import type { PolicyControl } from '../policy/api.js';
import type { VmSupervisor } from '../vm/api.js';
import { qcodeOfCode, qcodeOfName, strokesOfText, toAbsolute } from './key-map.js';

export interface InputBroker {
  /** One browser key event (KeyboardEvent.code) for the surface; an unknown code is RAYOS_INPUT_UNKNOWN_KEY and nothing is sent. */
  routeKey(surfaceId: string, key: { code: string; down: boolean }, actor: PolicyActor): Promise<Result<InputOutcome, RayosError>>;
  /** x, y in surface pixels (the guest frame, as a screenshot shows it), clamped, scaled to QEMU's 0..32767; buttons as MouseEvent.buttons. */
  routePointer(surfaceId: string, pointer: { x: number; y: number; buttons: number }, actor: PolicyActor): Promise<Result<InputOutcome, RayosError>>;
  /** Types ASCII text on a US layout (Shift where needed, "\n" is Enter). */
  typeText(vm: string, text: string, actor: PolicyActor): Promise<Result<InputOutcome, RayosError>>;
  /** Presses the keys together in order and releases them in reverse: ["ctrl", "alt", "delete"]. */
  pressKeys(vm: string, keys: readonly string[], actor: PolicyActor): Promise<Result<InputOutcome, RayosError>>;
  /** Moves the pointer to x, y (surface pixels) and clicks the button there. */
  click(vm: string, x: number, y: number, actor: PolicyActor, button?: 'left' | 'right' | 'middle'): Promise<Result<InputOutcome, RayosError>>;
  /** A validated batch (the input route): every key name and character is checked before anything is sent. */
  route(vm: string, events: readonly InputEvent[], actor: PolicyActor): Promise<Result<SurfaceInputResponse, RayosError>>;
}

export type InputService = Service & { readonly broker: InputBroker };

/** MouseEvent.buttons bits, in QEMU's names. */
const BUTTON_BITS: readonly [number, QmpInputButton][] = [
  [1, 'left'],
  [2, 'right'],
  [4, 'middle'],
];
const SEND_TIMEOUT_MS = 5_000;

const key = (qcode: string, down: boolean): QmpInputEvent => ({ type: 'key', data: { down, key: { type: 'qcode', data: qcode } } });
const delivered: InputOutcome = { delivered: true, dropped: null };

export function createInputService(options: { vms: VmSupervisor; display: DisplayControl; policy: PolicyControl }): InputService {
  const { vms, display, policy } = options;
  let markers: MarkerWriter | null = null;
  /** The buttons each VM's pointer holds down, so a pointer event sends only the changes. */
  const buttons = new Map<string, number>();
  let sent = 0;
  let droppedCount = 0;

  const unknownKey = (detail: string, index?: number): RayosError =>
    rayosError('RAYOS_INPUT_UNKNOWN_KEY', `Nothing was sent: ${detail}.`, index === undefined ? undefined : { index });

  const drop = (vm: string, reason: DropReason): InputOutcome => {
    droppedCount++;
    markers?.emit('RAYOS_INPUT', 'DROPPED', vm, reason);
    return { delivered: false, dropped: reason };
  };

  /** Why input to the surface would be dropped now, from the model alone; null when it is presented and focused. */
  const modelVeto = (vm: string): Result<DropReason | null, RayosError> => {
    const surface = display.surface(vm);
    if (!surface.ok) return surface;
    if (!surface.value.presented || !surface.value.available) return ok('hidden');
    return ok(surface.value.focused ? null : 'unfocused');
  };

  /**
   * Sends the chunks (each one input-send-event) if the model and policy allow; the model is checked again before
   * every chunk, so input stops the moment the surface is hidden or loses focus.
   */
  const deliver = async (vm: string, chunks: readonly QmpInputEvent[][], actor: PolicyActor): Promise<Result<InputOutcome, RayosError>> => {
    const veto = modelVeto(vm);
    if (!veto.ok) return veto;
    if (veto.value !== null) return ok(drop(vm, veto.value));
    const allowed = await policy.authorize({
      principal: actor.principal,
      action: 'input.route',
      resource: { kind: 'Surface', id: vm, attrs: { vm } },
      context: { ...actor.context, presented: true, focused: true },
    });
    if (!allowed.ok) {
      if (allowed.error.code === 'RAYOS_POLICY_DENIED' || allowed.error.code === 'RAYOS_POLICY_ASK_DECLINED') return ok(drop(vm, 'denied'));
      return allowed;
    }
    const handle = vms.qmp(vm);
    if (!handle.ok) return handle;
    for (const events of chunks) {
      const again = modelVeto(vm);
      if (!again.ok) return again;
      if (again.value !== null) return ok(drop(vm, again.value));
      const done = await handle.value.execute('input-send-event', { device: DISPLAY_ID, events }, { timeoutMs: SEND_TIMEOUT_MS });
      if (!done.ok) return done;
      sent += events.length;
    }
    return ok(delivered);
  };

  /** Surface pixels → absolute axis events, from the guest frame size. */
  const position = (vm: string, x: number, y: number): Result<QmpInputEvent[], RayosError> => {
    const surface = display.surface(vm);
    if (!surface.ok) return surface;
    return ok([
      { type: 'abs', data: { axis: 'x', value: toAbsolute(x, surface.value.frameWidth) } },
      { type: 'abs', data: { axis: 'y', value: toAbsolute(y, surface.value.frameHeight) } },
    ]);
  };

  const plan = {
    key: (code: string, down: boolean): Result<QmpInputEvent[][], RayosError> => {
      const qcode = qcodeOfCode(code);
      return qcode.ok ? ok([[key(qcode.value, down)]]) : err(unknownKey(qcode.error));
    },
    text: (text: string): Result<QmpInputEvent[][], RayosError> => {
      const strokes = strokesOfText(text);
      if (!strokes.ok) return err(unknownKey(strokes.error));
      // One input-send-event per character: Shift (when needed) down, key down, key up, Shift up.
      return ok(strokes.value.map((s) => (s.shift ? [key('shift', true), key(s.qcode, true), key(s.qcode, false), key('shift', false)] : [key(s.qcode, true), key(s.qcode, false)])));
    },
    keys: (names: readonly string[]): Result<QmpInputEvent[][], RayosError> => {
      const qcodes: string[] = [];
      for (const name of names) {
        const qcode = qcodeOfName(name);
        if (!qcode.ok) return err(unknownKey(qcode.error));
        qcodes.push(qcode.value);
      }
      return ok([[...qcodes.map((q) => key(q, true)), ...[...qcodes].reverse().map((q) => key(q, false))]]);
    },
  };

  const routePointer = async (vm: string, pointer: { x: number; y: number; buttons: number }, actor: PolicyActor): Promise<Result<InputOutcome, RayosError>> => {
    const moved = position(vm, pointer.x, pointer.y);
    if (!moved.ok) return moved;
    const before = buttons.get(vm) ?? 0;
    const changes: QmpInputEvent[] = BUTTON_BITS.filter(([bit]) => (before & bit) !== (pointer.buttons & bit)).map(([bit, button]) => ({ type: 'btn', data: { down: (pointer.buttons & bit) !== 0, button } }));
    const outcome = await deliver(vm, [[...moved.value, ...changes]], actor);
    if (outcome.ok && outcome.value.delivered) buttons.set(vm, pointer.buttons & 7);
    return outcome;
  };
  const click = async (vm: string, x: number, y: number, actor: PolicyActor, button: 'left' | 'right' | 'middle' = 'left'): Promise<Result<InputOutcome, RayosError>> => {
    const moved = position(vm, x, y);
    if (!moved.ok) return moved;
    // virtio-tablet keeps a down and an up sent in one call (usb-tablet would lose it).
    return deliver(vm, [[...moved.value, { type: 'btn', data: { down: true, button } }, { type: 'btn', data: { down: false, button } }]], actor);
  };
  const planned = async (vm: string, chunks: Result<QmpInputEvent[][], RayosError>, actor: PolicyActor): Promise<Result<InputOutcome, RayosError>> =>
    chunks.ok ? deliver(vm, chunks.value, actor) : chunks;

  const broker: InputBroker = {
    routeKey: (vm, k, actor) => planned(vm, plan.key(k.code, k.down), actor),
    routePointer,
    typeText: (vm, text, actor) => planned(vm, plan.text(text), actor),
    pressKeys: (vm, keys, actor) => planned(vm, plan.keys(keys), actor),
    click,
    route: async (vm, events, actor) => {
      // Validate the whole batch first: an unknown key anywhere means nothing is sent.
      const plans: (Result<QmpInputEvent[][], RayosError> | null)[] = events.map((e) =>
        e.type === 'key' ? plan.key(e.code, e.down) : e.type === 'text' ? plan.text(e.text) : e.type === 'keys' ? plan.keys(e.keys) : null,
      );
      for (const [index, p] of plans.entries()) if (p !== null && !p.ok) return err({ ...p.error, details: { index } });
      const exists = display.surface(vm);
      if (!exists.ok) return exists;
      const outcomes: InputOutcome[] = [];
      for (const [index, event] of events.entries()) {
        const p = plans[index];
        let outcome: Result<InputOutcome, RayosError>;
        if (event.type === 'pointer') outcome = await routePointer(vm, event, actor);
        else if (event.type === 'click') outcome = await click(vm, event.x, event.y, actor, event.button);
        else outcome = await deliver(vm, p?.ok === true ? p.value : [], actor);
        if (!outcome.ok) return outcome;
        outcomes.push(outcome.value);
      }
      const count = outcomes.filter((o) => o.delivered).length;
      return ok({ delivered: count, dropped: outcomes.length - count, outcomes });
    },
  };

  return {
    name: 'input',
    dependsOn: ['policy', 'vm', 'display'],
    broker,
    async start(ctx: ServiceContext) {
      markers = ctx.markers;
    },
    async stop() {
      buttons.clear();
    },
    health(): Health {
      return { status: 'ok', detail: `${sent} input events sent, ${droppedCount} dropped` };
    },
  };
}
