// Owns each VM's screen in the page: screenshots fetched as blob URLs (or copied from the live view), fast while presented, slow as a thumbnail, none while unavailable.
import type { RuntimeApi } from './runtime-api.js';

export type FeedRate = 'presented' | 'thumbnail' | 'off';
const INTERVAL_MS: Record<Exclude<FeedRate, 'off'>, number> = { presented: 500, thumbnail: 4000 };

export interface FrameFeed {
  setRate(rate: FeedRate): void;
  /**
   * While the window streams live, frames are copied from its canvas instead of asked of QEMU: a screendump stalls
   * QEMU's main loop for a few milliseconds, and with it any key being injected (bench/compositor: the page-input tail).
   */
  setLiveSource(canvas: (() => HTMLCanvasElement | null) | null): void;
  /** Every <img> here shows the latest frame; attach replaces nothing, so a window and a thumbnail share one feed. */
  attach(img: HTMLImageElement): void;
  detach(img: HTMLImageElement): void;
  stop(): void;
}

export function createFrameFeed(api: RuntimeApi, vm: string): FrameFeed {
  const images = new Set<HTMLImageElement>();
  let rate: FeedRate = 'off';
  let url: string | null = null;
  let timer: number | undefined;
  let running = false;
  let live: (() => HTMLCanvasElement | null) | null = null;

  const fromCanvas = (canvas: HTMLCanvasElement): Promise<Blob | null> => new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  /** Read afresh after an await: setRate may have changed the rate meanwhile. */
  const on = (): boolean => rate !== 'off';

  async function tick(): Promise<void> {
    if (running || rate === 'off') return;
    running = true;
    const canvas = live?.() ?? null;
    const blob = canvas !== null && canvas.width > 0 ? await fromCanvas(canvas) : null;
    const shot = blob !== null ? { ok: true as const, value: blob } : await api.screenshot(vm);
    running = false;
    if (shot.ok && on()) {
      const previous = url;
      url = URL.createObjectURL(shot.value);
      for (const img of images) img.src = url;
      // The old frame stays on screen until the new one decodes, so release it a little later.
      if (previous !== null) window.setTimeout(() => URL.revokeObjectURL(previous), 2000);
    }
    const next = rate as FeedRate;
    if (next !== 'off') {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void tick(), INTERVAL_MS[next]);
    }
  }

  return {
    setRate(next) {
      if (next === rate) return;
      const faster = rate === 'thumbnail' && next === 'presented';
      rate = next;
      window.clearTimeout(timer);
      if (rate !== 'off') timer = window.setTimeout(() => void tick(), faster || url === null ? 0 : INTERVAL_MS[rate]);
    },
    setLiveSource(canvas) {
      live = canvas;
    },
    attach(img) {
      images.add(img);
      if (url !== null) img.src = url;
    },
    detach(img) {
      images.delete(img);
    },
    stop() {
      rate = 'off';
      window.clearTimeout(timer);
      if (url !== null) URL.revokeObjectURL(url);
      url = null;
    },
  };
}
