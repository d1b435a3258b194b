// Owns the optional attention overlay: while on, each window glows with how much of the person's attention the runtime's live field gives it.
import { byId } from './dom.js';
import type { RuntimeApi } from './runtime-api.js';

const POLL_MS = 300;
const STORAGE_KEY = 'rayos.attentionOverlay';

export function createAttentionOverlay(api: RuntimeApi): void {
  const toggle = byId<HTMLButtonElement>('attention-overlay');
  let on = sessionStorage.getItem(STORAGE_KEY) === 'on';
  let timer: number | undefined;

  const clear = () => {
    for (const win of document.querySelectorAll<HTMLElement>('.surface-window')) {
      win.style.removeProperty('--attention');
      delete win.dataset['attention'];
    }
  };
  async function poll(): Promise<void> {
    const read = await api.call('attentionRead');
    if (!on) return;
    if (read.ok) {
      const byId = new Map(read.value.objects.map((o) => [o.id, o.p]));
      for (const win of document.querySelectorAll<HTMLElement>('.surface-window')) {
        const p = byId.get(win.dataset['vm'] ?? '') ?? 0;
        win.style.setProperty('--attention', p.toFixed(2));
        win.dataset['attention'] = `${Math.round(p * 100)}%`;
      }
    }
    timer = window.setTimeout(() => void poll(), POLL_MS);
  }
  const show = () => {
    toggle.setAttribute('aria-pressed', String(on));
    document.body.classList.toggle('attention-overlay', on);
    window.clearTimeout(timer);
    if (on) void poll();
    else clear();
  };
  toggle.addEventListener('click', () => {
    on = !on;
    sessionStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    show();
  });
  show();
}
