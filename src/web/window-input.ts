// Owns routing the page's keys and pointer to the focused window's guest through the input socket (not when the intent bar has focus).
import type { InputSocket } from './input-socket.js';

export interface WindowInput {
  /** The VM whose window takes keys now (the last one clicked), or null. */
  setTarget(vm: string | null): void;
  target(): string | null;
  /** Sends pointer events over a window body in guest pixels, read off the live canvas (its size is the guest frame). */
  bindPointer(vm: string, body: HTMLElement, canvasOf: () => HTMLCanvasElement | null): void;
}

/** Keys stay with the page while a text field (the intent bar) has focus. */
const typingInPage = (): boolean => {
  const active = document.activeElement;
  return active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || active?.closest('#intent-form') != null;
};

export function createWindowInput(input: InputSocket): WindowInput {
  let current: string | null = null;

  const onKey = (event: KeyboardEvent) => {
    if (current === null || typingInPage() || event.code === '') return;
    event.preventDefault();
    input.send({ type: 'key', surface: current, code: event.code, down: event.type === 'keydown' });
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('keyup', onKey);

  return {
    setTarget(vm) {
      current = vm;
    },
    target: () => current,
    bindPointer(vm, body, canvasOf) {
      let pending: PointerEvent | null = null;
      const flush = () => {
        const event = pending;
        pending = null;
        const canvas = canvasOf();
        if (event === null || canvas === null || current !== vm) return;
        const box = canvas.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return;
        const x = Math.round(((event.clientX - box.left) * canvas.width) / box.width);
        const y = Math.round(((event.clientY - box.top) * canvas.height) / box.height);
        if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return;
        input.send({ type: 'pointer', surface: vm, x, y, buttons: event.buttons & 7 });
      };
      const onPointer = (event: PointerEvent) => {
        // Moves coalesce to one per animation frame; presses and releases go at once.
        if (event.type === 'pointermove') {
          if (pending === null) window.requestAnimationFrame(flush);
          pending = event;
          return;
        }
        pending = event;
        flush();
      };
      body.addEventListener('pointermove', onPointer);
      body.addEventListener('pointerdown', onPointer);
      body.addEventListener('pointerup', onPointer);
      body.addEventListener('contextmenu', (event) => event.preventDefault());
    },
  };
}
