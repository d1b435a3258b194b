// Owns the page's one /v1/input WebSocket: claim, key and pointer messages out, zod-checked replies in, reconnecting with backoff.
import { COMPOSITOR_PATHS, InputServerMessageSchema, type InputClientMessage, type InputServerMessage } from '../contracts/compositor-wire.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8000;

export interface InputSocket {
  send(message: InputClientMessage): void;
  /** Takes input focus for this page (again after a reconnect, when it held it). */
  claim(): void;
  holdsFocus(): boolean;
}

/** held: this page holds input focus; lost: another connection (tab) claimed it; none: nobody here asked for it. */
export type FocusState = 'held' | 'lost' | 'none';

export interface InputListener {
  focus(state: FocusState): void;
  /** A dropped or error reply, or a broken channel, in words for the status line. */
  problem(text: string): void;
}

export function createInputSocket(token: string | null, listener: InputListener): InputSocket {
  let socket: WebSocket | null = null;
  let open = false;
  let held = false;
  let wantFocus = false;
  let failures = 0;

  const url = (): string => {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    return `${scheme}//${window.location.host}${COMPOSITOR_PATHS.input}${query}`;
  };

  const setHeld = (next: boolean, lost = false) => {
    if (next === held && !lost) return;
    held = next;
    listener.focus(held ? 'held' : lost ? 'lost' : 'none');
  };

  function onReply(message: InputServerMessage): void {
    switch (message.type) {
      case 'hello':
        return;
      case 'claimed':
        return setHeld(true);
      case 'released':
        return setHeld(false);
      case 'focus-lost':
        wantFocus = false;
        return setHeld(false, true);
      case 'delivered':
        return;
      case 'dropped':
        return listener.problem(`Input dropped: ${message.reason}`);
      case 'error':
        return listener.problem(`${message.code}: ${message.message}`);
    }
  }

  function connect(): void {
    const ws = new WebSocket(url());
    socket = ws;
    ws.addEventListener('open', () => {
      open = true;
      failures = 0;
      if (wantFocus) ws.send(JSON.stringify({ type: 'claim' } satisfies InputClientMessage));
    });
    ws.addEventListener('message', (event) => {
      let json: unknown;
      try {
        json = JSON.parse(String(event.data));
      } catch {
        json = undefined;
      }
      const parsed = InputServerMessageSchema.safeParse(json);
      if (parsed.success) onReply(parsed.data);
      else listener.problem('The input channel sent a message outside the contract.');
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      open = false;
      setHeld(false);
      failures += 1;
      if (failures === 1) listener.problem(`Input channel closed (${event.code}${event.reason === '' ? '' : `: ${event.reason}`}) — reconnecting`);
      window.setTimeout(connect, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 5)));
    });
  }
  connect();

  return {
    send(message) {
      if (open && socket !== null) socket.send(JSON.stringify(message));
    },
    claim() {
      wantFocus = true;
      if (open && socket !== null) socket.send(JSON.stringify({ type: 'claim' } satisfies InputClientMessage));
    },
    holdsFocus: () => held,
  };
}
