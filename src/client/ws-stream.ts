// Owns one WebSocket stream from the runtime: connect (unix or TCP), validate every message, end on abort or on the runtime's close.
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { z } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, RayosErrorSchema, type ErrorCode, type RayosError } from '../contracts/errors.js';
import { connectionError, describeTarget, notRunning, type ClientTarget } from './http-transport.js';
import { describeIssues, parseJson, protocolError, readReply } from './reply.js';

/** How a stream ended when nothing went wrong: the caller aborted it, or the runtime closed it normally (it is stopping). */
export interface StreamEnd {
  readonly reason: 'aborted' | 'closed';
}

export interface StreamRequest<T> {
  readonly target: ClientTarget;
  /** Route path with its query string. */
  readonly path: string;
  readonly schema: z.ZodType<T>;
  readonly onMessage: (value: T) => void;
  readonly signal: AbortSignal;
  readonly handshakeTimeoutMs: number;
}

const NORMAL_CLOSURE = 1000;
const GOING_AWAY = 1001;
/** A close frame without a status: the server closed on purpose (fastify closing its websockets on shutdown sends this). */
const NO_STATUS = 1005;
/** The runtime closes with "RAYOS_<CODE>: message" as the reason when it refuses or cuts a stream. */
const CLOSE_REASON = /^(RAYOS_[A-Z0-9_]+): ?(.*)$/s;
/** A runtime that does not answer our close is cut off after this long. */
const CLOSE_GRACE_MS = 1000;

export function openStream<T>(request: StreamRequest<T>): Promise<Result<StreamEnd, RayosError>> {
  const { target, path, schema, signal } = request;
  if (signal.aborted) return Promise.resolve(ok({ reason: 'aborted' }));

  return new Promise((resolve, reject) => {
    let settled = false;
    let opened = false;
    let aborted = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const socket = createSocket(target, path, request.handshakeTimeoutMs);
    const onAbort = () => {
      aborted = true;
      if (socket.readyState === WebSocket.CLOSED) return settle(ok({ reason: 'aborted' }));
      socket.close(NORMAL_CLOSURE, 'client done');
      graceTimer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    function settle(result: Result<StreamEnd, RayosError>) {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    }
    function fail(error: RayosError) {
      settle(err(error));
      socket.terminate();
    }

    socket.on('open', () => {
      opened = true;
    });
    // A refused upgrade (401, 404, 429…) carries the runtime's error body.
    socket.on('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const reply = readReply(RayosErrorSchema, { status: res.statusCode ?? 0, untrustedText: Buffer.concat(chunks).toString('utf8') }, `the stream ${path.split('?')[0]}`);
        fail(reply.ok ? protocolError(`the stream ${path.split('?')[0]}`, `HTTP ${res.statusCode}`) : reply.error);
        req.destroy();
      });
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (settled) return;
      if (isBinary) return fail(protocolError(`the stream ${path}`, 'a binary message'));
      const parsed = parseJson(rawText(data));
      if (!parsed.ok) return fail(protocolError(`the stream ${path}`, `a message that is not JSON: ${parsed.error}`));
      const checked = schema.safeParse(parsed.value);
      if (!checked.success) return fail(protocolError(`the stream ${path}`, describeIssues(checked.error)));
      try {
        request.onMessage(checked.data);
      } catch (error) {
        // The caller's own bug: not an expected outcome, so it is thrown, after the socket is let go.
        settled = true;
        signal.removeEventListener('abort', onAbort);
        socket.terminate();
        reject(error);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (aborted || settled) return;
      if (opened) return; // 'close' follows and says how it ended.
      if (/handshake has timed out/i.test(error.message)) {
        return fail(rayosError('RAYOS_CLI_TIMEOUT', `The runtime at ${describeTarget(target)} did not open the stream within ${request.handshakeTimeoutMs} ms; check it with ./rayos status.`));
      }
      fail(error.code === undefined ? notRunning(target, error.message) : connectionError(target, error));
    });
    socket.on('close', (code: number, reasonBuffer: Buffer) => {
      clearTimeout(graceTimer);
      if (aborted) return settle(ok({ reason: 'aborted' }));
      const reason = reasonBuffer.toString('utf8');
      const coded = CLOSE_REASON.exec(reason);
      if (coded) return settle(err(rayosError(coded[1] as ErrorCode, coded[2] ?? '')));
      if (code === NORMAL_CLOSURE || code === GOING_AWAY || code === NO_STATUS) return settle(ok({ reason: 'closed' }));
      settle(err(notRunning(target, `the stream was cut off (WebSocket close ${code}${reason === '' ? '' : `: ${reason}`}); the runtime may have stopped`)));
    });
  });
}

function createSocket(target: ClientTarget, path: string, handshakeTimeoutMs: number): WebSocket {
  const common = { handshakeTimeout: handshakeTimeoutMs, perMessageDeflate: false };
  if ('socketPath' in target) {
    // ws's unix form is ws+unix://SOCKET:PATH, split at the first ':'. A data dir with ':', '#', '?' or '%' would
    // break that, so SOCKET is percent-encoded there and the connection itself is made to the exact path.
    const socketPath = target.socketPath;
    const encoded = socketPath.split('/').map(encodeURIComponent).join('/');
    return new WebSocket(`ws+unix://${encoded}:${path}`, { ...common, createConnection: () => connect({ path: socketPath }) });
  }
  const url = new URL(path, target.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // The header, not ?token=: tokens in URLs end up in logs.
  return new WebSocket(url, { ...common, headers: { authorization: `Bearer ${target.token}` } });
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(new Uint8Array(data)).toString('utf8');
}
