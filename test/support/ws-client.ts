// Owns the WebSocket client side of compositor tests and benches: connect (unix socket or TCP), await messages and closes.
import { WebSocket, type RawData } from 'ws';
import { InputServerMessageSchema, type InputClientMessage, type InputServerMessage } from '../../src/contracts/compositor-wire.js';

export interface WsClient {
  readonly ws: WebSocket;
  /** Every message received so far (binary ones as Buffers, text ones as strings). */
  readonly received: (Buffer | string)[];
  /** Resolves with the first message (already received from index `from` on, or future) that matches. */
  next(match: (message: Buffer | string) => boolean, timeoutMs?: number, from?: number): Promise<Buffer | string>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** ws+unix URL for a path served on the runtime's unix socket. */
export const unixUrl = (socketPath: string, path: string): string => `ws+unix:${socketPath}:${path}`;

export function connectWs(url: string, headers: Record<string, string> = {}): WsClient {
  const ws = new WebSocket(url, { headers });
  const received: (Buffer | string)[] = [];
  const waiters = new Set<{ match: (m: Buffer | string) => boolean; resolve: (m: Buffer | string) => void }>();
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const message = isBinary ? buffer : buffer.toString('utf8');
    received.push(message);
    for (const waiter of waiters) if (waiter.match(message)) waiter.resolve(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_request, response) => {
      resolve({ code: -(response.statusCode ?? 0), reason: `HTTP ${response.statusCode}` });
      ws.terminate();
    });
  });
  return {
    ws,
    received,
    closed,
    next(match, timeoutMs = 20_000, from = 0) {
      const already = received.slice(from).find(match);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: Buffer | string) => {
            waiters.delete(waiter);
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching WebSocket message within ${timeoutMs} ms; got ${received.length}: ${received.slice(-5).map(String).join(' | ')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

/** The input channel as a client: typed send, and waiting on typed replies after a given point. */
export interface InputClient extends WsClient {
  send(message: InputClientMessage | string): void;
  /** The first reply at or after index `from` of `received` that matches. */
  reply(match: (m: InputServerMessage) => boolean, from?: number, timeoutMs?: number): Promise<InputServerMessage>;
}

export function inputClient(url: string, headers: Record<string, string> = {}): InputClient {
  const client = connectWs(url, headers);
  const parse = (m: Buffer | string): InputServerMessage | null => (typeof m === 'string' ? InputServerMessageSchema.parse(JSON.parse(m)) : null);
  return {
    ...client,
    send: (message) => client.ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    reply: async (match, from = 0, timeoutMs) => {
      const found = await client.next((m) => parse(m) !== null && match(parse(m)!), timeoutMs, from);
      return parse(found)!;
    },
  };
}

/** US-layout key codes (KeyboardEvent.code) for typing text: [code, shift]. Enough for shell commands. */
export function codesOf(text: string): [string, boolean][] {
  const special: Record<string, [string, boolean]> = {
    ' ': ['Space', false],
    '\n': ['Enter', false],
    '-': ['Minus', false],
    '/': ['Slash', false],
    '.': ['Period', false],
    '>': ['Period', true],
    '=': ['Equal', false],
    $: ['Digit4', true],
    '(': ['Digit9', true],
    ')': ['Digit0', true],
    '%': ['Digit5', true],
    '+': ['Equal', true],
    ';': ['Semicolon', false],
    ':': ['Semicolon', true],
  };
  return [...text].map((c) => {
    if (/[a-z]/.test(c)) return [`Key${c.toUpperCase()}`, false];
    if (/[A-Z]/.test(c)) return [`Key${c}`, true];
    if (/[0-9]/.test(c)) return [`Digit${c}`, false];
    const s = special[c];
    if (s === undefined) throw new Error(`no key code for ${JSON.stringify(c)}`);
    return s;
  });
}

/** The key messages (down, up; with Shift around when needed) that type `text` into `surface`. */
export function keyMessages(surface: string, text: string): InputClientMessage[] {
  const out: InputClientMessage[] = [];
  const key = (code: string, down: boolean): InputClientMessage => ({ type: 'key', surface, code, down });
  for (const [code, shift] of codesOf(text)) {
    if (shift) out.push(key('ShiftLeft', true));
    out.push(key(code, true), key(code, false));
    if (shift) out.push(key('ShiftLeft', false));
  }
  return out;
}
