// Owns a window's live picture: a view-only noVNC RFB on the surface's VNC WebSocket, why it closed, and reconnecting with backoff.
import RFB from '@novnc/novnc';
import { VNC_CLOSE, vncPath } from '../contracts/compositor-wire.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8000;

export interface LiveView {
  /** Connects while wanted (presented and available), drops the stream otherwise. */
  setWanted(wanted: boolean): void;
  /** The RFB canvas, once the stream has connected. */
  canvas(): HTMLCanvasElement | null;
  stop(): void;
}

/** What the window says when the stream ends, by the close code the server gave. */
function why(vm: string, code: number, reason: string): string {
  switch (code) {
    case VNC_CLOSE.hidden:
      return `${vm} is hidden — it keeps running`;
    case VNC_CLOSE.unavailable:
      return `${vm} is stopped — it comes back when the VM runs`;
    case VNC_CLOSE.vncClosed:
      return `the VNC stream of ${vm} closed — reconnecting`;
    case VNC_CLOSE.notFound:
      return `there is no surface ${vm}`;
    case VNC_CLOSE.goingAway:
      return 'RayOS is stopping';
    default:
      return reason === '' ? `the live view of ${vm} closed (${code}) — reconnecting` : reason;
  }
}

export function createLiveView(vm: string, token: string | null, host: HTMLElement, onState: (live: boolean, note: string) => void): LiveView {
  let rfb: RFB | null = null;
  let wanted = false;
  let live = false;
  let failures = 0;
  let timer: number | undefined;

  const url = (): string => {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    return `${scheme}//${window.location.host}${vncPath(vm)}${query}`;
  };

  function connect(): void {
    window.clearTimeout(timer);
    if (!wanted || rfb !== null) return;
    onState(false, `connecting to ${vm}…`);
    // Our own socket, so the close code and reason (which noVNC does not pass on) reach the window.
    const socket = new WebSocket(url());
    socket.binaryType = 'arraybuffer';
    const view = new RFB(host, socket, { shared: true });
    view.viewOnly = true; // RayOS, not noVNC, routes input (input-socket.ts).
    view.scaleViewport = true;
    view.focusOnClick = false;
    view.background = '#000';
    rfb = view;
    view.addEventListener('connect', () => {
      failures = 0;
      live = true;
      onState(true, '');
    });
    socket.addEventListener('close', (event) => {
      if (rfb !== view) return;
      rfb = null;
      live = false;
      view.disconnect();
      onState(false, why(vm, event.code, event.reason));
      if (!wanted) return;
      failures += 1;
      timer = window.setTimeout(connect, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 5)));
    });
  }

  function drop(): void {
    window.clearTimeout(timer);
    const view = rfb;
    rfb = null;
    live = false;
    view?.disconnect();
  }

  return {
    setWanted(next) {
      if (next === wanted) return;
      wanted = next;
      if (wanted) {
        failures = 0;
        connect();
      } else drop();
    },
    canvas: () => (live ? host.querySelector('canvas') : null),
    stop() {
      wanted = false;
      drop();
    },
  };
}
