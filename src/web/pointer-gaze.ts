// Owns "pointer as gaze": while on, where the pointer rests over the desktop is sent to the runtime as low-accuracy gaze samples (30 Hz, batched).
import { byId } from './dom.js';
import type { RuntimeApi } from './runtime-api.js';

const SAMPLE_MS = 33;
const SEND_MS = 200;
/** A pointer is placed more precisely than eyes are tracked, but it is only a proxy for where the person looks. */
const POINTER_TRACKER = { accuracyDeg: 0.5, pxPerDeg: 40 };
const STORAGE_KEY = 'rayos.pointerGaze';

export interface PointerGaze {
  /** Screen (compositor) size and how the desktop maps onto it, from the latest snapshot. */
  setScreen(screen: { width: number; height: number }): void;
}

export function createPointerGaze(api: RuntimeApi): PointerGaze {
  const desktop = byId('desktop');
  const toggle = byId<HTMLButtonElement>('attention-toggle');
  let screen = { width: 1920, height: 1080 };
  let on = sessionStorage.getItem(STORAGE_KEY) !== 'off';
  /** The pointer in compositor pixels while it is over the desktop; null when it is elsewhere (we then know nothing). */
  let at: { x: number; y: number } | null = null;
  let batch: [number, number, number][] = [];

  const show = () => {
    toggle.setAttribute('aria-pressed', String(on));
    toggle.textContent = on ? 'Attention: pointer' : 'Attention: off';
    document.body.dataset['attention'] = on ? 'pointer' : 'off';
  };
  toggle.addEventListener('click', () => {
    on = !on;
    sessionStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    batch = [];
    show();
  });
  show();

  desktop.addEventListener('pointermove', (event) => {
    const box = desktop.getBoundingClientRect();
    // The same mapping the windows use: the whole compositor screen fits the desktop area.
    const scale = Math.min(box.width / screen.width, box.height / screen.height) || 1;
    at = { x: Math.round((event.clientX - box.left) / scale), y: Math.round((event.clientY - box.top) / scale) };
  });
  desktop.addEventListener('pointerleave', () => {
    at = null;
  });

  // Resting still is attention too: sample the last position at a steady rate, not only on movement.
  window.setInterval(() => {
    if (on && at !== null && document.visibilityState === 'visible') batch.push([Date.now(), at.x, at.y]);
  }, SAMPLE_MS);
  window.setInterval(() => {
    if (batch.length === 0) return;
    const samples = batch;
    batch = [];
    void api.call('attentionSamples', {}, { source: 'pointer', tracker: POINTER_TRACKER, samples });
  }, SEND_MS);

  return {
    setScreen(next) {
      screen = next;
    },
  };
}
