// Owns one HTTP exchange with the runtime (unix socket or loopback TCP): keep-alive, timeout, and connection failures as RayosErrors.
import { Agent, request, type IncomingMessage } from 'node:http';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';

/** Where the runtime listens: its unix socket (no token: the 0600 mode is the authentication) or loopback TCP with the bearer token. */
export type ClientTarget = { readonly socketPath: string } | { readonly url: string; readonly token: string };

export interface RawReply {
  readonly status: number;
  readonly untrustedText: string;
  /** The body as it came (a screenshot is image/png); untrustedText is the same bytes as UTF-8. */
  readonly untrustedBytes: Uint8Array;
  readonly contentType: string;
}

export interface ExchangeOptions {
  readonly method: 'GET' | 'POST';
  /** Path with its query string. */
  readonly path: string;
  readonly body?: unknown;
  readonly timeoutMs: number;
  /** Default application/json. */
  readonly accept?: string;
}

/** Journal pages of 10 000 records fit easily; anything larger is not a reply we asked for. */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** Connection errors meaning nobody listens where we looked. */
const NOBODY_LISTENS = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ENOTDIR', 'EADDRNOTAVAIL', 'EHOSTUNREACH']);

export function describeTarget(target: ClientTarget): string {
  return 'socketPath' in target ? target.socketPath : target.url;
}

export function notRunning(target: ClientTarget, why?: string): RayosError {
  const detail = why === undefined ? '' : ` (${why})`;
  return rayosError('RAYOS_CLI_NOT_RUNNING', `No RayOS runtime answers at ${describeTarget(target)}${detail}; start one with ./rayos up`);
}

/** Maps a socket-level failure to the error a person can act on. */
export function connectionError(target: ClientTarget, error: NodeJS.ErrnoException): RayosError {
  const code = error.code ?? '';
  if (NOBODY_LISTENS.has(code)) return notRunning(target);
  if (code === 'EACCES' || code === 'EPERM') return notRunning(target, `permission denied: the socket belongs to another user; run as that user or use --data`);
  if (code === 'ECONNRESET' || error.message === 'socket hang up') return notRunning(target, 'it closed the connection before answering; it may be stopping');
  return notRunning(target, `${code || 'error'}: ${error.message}`);
}

export class HttpTransport {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(readonly target: ClientTarget) {}

  async exchange(options: ExchangeOptions): Promise<Result<RawReply, RayosError>> {
    const first = await this.once(options);
    // A keep-alive socket the server closed while idle fails on reuse; a GET is safe to send once more on a fresh one.
    if (first.retry && options.method === 'GET') return (await this.once(options)).result;
    return first.result;
  }

  close(): void {
    this.agent.destroy();
  }

  private once(options: ExchangeOptions): Promise<{ retry: boolean; result: Result<RawReply, RayosError> }> {
    const target = this.target;
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    let where: { socketPath: string } | { host: string; port: number };
    if ('socketPath' in target) where = { socketPath: target.socketPath };
    else {
      const url = new URL(target.url);
      where = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
      headers['authorization'] = `Bearer ${target.token}`;
    }

    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Result<RawReply, RayosError>, retry = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ retry, result });
      };
      const req = request({ ...where, method: options.method, path: options.path, headers, agent: this.agent }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy();
            finish(err(rayosError('RAYOS_CLI_PROTOCOL', `The runtime at ${describeTarget(target)} sent a reply larger than ${MAX_REPLY_BYTES} bytes; ask for less (e.g. --limit).`)));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          finish(ok({ status: res.statusCode ?? 0, untrustedText: body.toString('utf8'), untrustedBytes: new Uint8Array(body), contentType: String(res.headers['content-type'] ?? '') }));
        });
        res.on('error', (error: NodeJS.ErrnoException) => finish(err(connectionError(target, error))));
      });
      // One deadline for the whole exchange (connect, send, wait, read), not just socket idleness.
      const timer = setTimeout(() => {
        finish(err(rayosError('RAYOS_CLI_TIMEOUT', `The runtime at ${describeTarget(target)} did not answer ${options.method} ${options.path.split('?')[0]} within ${options.timeoutMs} ms; check it with ./rayos log show, or restart it.`)));
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish(err(connectionError(target, error)), req.reusedSocket && error.code === 'ECONNRESET'));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}
