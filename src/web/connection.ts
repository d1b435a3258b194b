// Owns what the page says about the runtime: the connection indicator and toasts for API errors (code and message).
import { byId, h } from './dom.js';
import type { ApiFailure } from './runtime-api.js';

export type ConnectionState = 'connecting' | 'connected' | 'unreachable' | 'reconnecting' | 'unauthorized';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  unreachable: 'Runtime unreachable',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Not authorized',
};

const TOAST_MS = 10_000;

export function setConnection(state: ConnectionState, detail = ''): void {
  const el = byId('connection');
  el.dataset['state'] = state;
  el.title = detail;
  const text = el.querySelector('.connection-text');
  if (text) text.textContent = detail === '' ? LABELS[state] : `${LABELS[state]} — ${detail}`;
}

/** A toast with the RAYOS_* code and its message; the same code is not stacked twice. */
export function showError(failure: Pick<ApiFailure, 'code' | 'message'>, context = ''): void {
  const box = byId('toasts');
  for (const old of box.querySelectorAll<HTMLElement>('.toast')) if (old.dataset['code'] === failure.code) old.remove();
  const close = h('button', { class: 'toast-close', 'aria-label': 'Dismiss', type: 'button', text: '×' });
  const toast = h('div', { class: 'toast', role: 'alert', 'data-code': failure.code }, h('strong', { class: 'toast-code', text: failure.code }), h('span', { class: 'toast-message', text: context === '' ? failure.message : `${context}: ${failure.message}` }), close);
  close.addEventListener('click', () => toast.remove());
  box.append(toast);
  window.setTimeout(() => toast.remove(), TOAST_MS);
}
