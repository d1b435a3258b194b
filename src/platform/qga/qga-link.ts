// Owns the host end of the QEMU guest agent (qemu-ga, org.qemu.guest_agent.0): one connection to QEMU's chardev socket, guest-sync-delimited until the agent answers, requests matched to replies by id, guest-shutdown.
import { createConnection, type Socket } from 'node:net';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { QgaReplySchema } from './qga-protocol.js';

/**
 * How often a sync is sent while the agent does not answer. A request written before qemu-ga opens its port waits in
 * the virtio-serial buffer or is dropped; asking again bounds how late readiness is seen after the agent starts.
 */
const SYNC_INTERVAL_MS = 2000;
const RECONNECT_MS = 500;
/** qemu-ga puts 0xFF before its answer to guest-sync-delimited, so a reader can drop half a stale reply before it. */
const SENTINEL = 0xff;
/** A reply longer than this without a line break is not qemu-ga talking; the buffer is dropped. */
const MAX_LINE_BYTES = 64 * 1024;

/** How long one request waits for its reply unless the caller says otherwise. */
export const QGA_REQUEST_TIMEOUT_MS = 10_000;

interface PendingRequest {
  readonly resolve: (reply: Result<unknown, RayosError>) => void;
  readonly timer: NodeJS.Timeout;
}

export interface QgaLinkOptions {
  readonly socketPath: string;
  /** How long to wait for the agent before saying there is none (the link keeps listening after that). */
  readonly readyTimeoutMs: number;
  readonly onReady: () => void;
  readonly onNoAgent: () => void;
}

/**
 * qemu-ga answers {"execute":"guest-sync-delimited","arguments":{"id":N}} with 0xFF then {"return": N}: an id this link
 * sent proves the agent runs now (not a reply left over from an earlier link). Nothing the guest sends is acted on
 * beyond that comparison.
 */
export class QgaLink {
  private socket: Socket | null = null;
  private closed = false;
  private isReady = false;
  private gaveUp = false;
  private readonly sent = new Set<number>();
  private nextId = Math.floor(Math.random() * 1_000_000_000);
  private buffer = Buffer.alloc(0);
  private syncTimer: NodeJS.Timeout | null = null;
  private giveUpTimer: NodeJS.Timeout | null = null;
  /** Requests in flight by their id (qemu-ga echoes a request's "id" in its reply, as QMP does). */
  private readonly pending = new Map<string, PendingRequest>();
  private readonly readyWaiters = new Set<(ready: boolean) => void>();
  private nextRequest = 0;

  constructor(private readonly options: QgaLinkOptions) {}

  get ready(): boolean {
    return this.isReady;
  }

  /** Resolves true once the agent answered a sync, false if the link is closed first. */
  whenReady(): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.readyWaiters.add(resolve));
  }

  private settle(ready: boolean): void {
    for (const resolve of this.readyWaiters) resolve(ready);
    this.readyWaiters.clear();
  }

  open(): void {
    this.giveUpTimer = setTimeout(() => {
      if (this.isReady || this.closed) return;
      this.gaveUp = true;
      this.options.onNoAgent();
    }, this.options.readyTimeoutMs);
    this.connect();
  }

  /** Asks the guest to power off through the agent; false when there is no agent answering to ask. */
  shutdown(): boolean {
    if (!this.isReady || this.socket === null) return false;
    // guest-shutdown never answers on success: the guest goes away.
    this.socket.write(`${JSON.stringify({ execute: 'guest-shutdown', arguments: { mode: 'powerdown' } })}\n`);
    return true;
  }

  /**
   * Sends one agent command and resolves with its "return" value (unvalidated: the caller checks it against the
   * command's schema), or RAYOS_GUEST_EXEC_FAILED with the agent's own words for an "error" reply. Only once the agent
   * answered a sync: before that a request may be read by a stale agent or lost in the port's buffer.
   */
  request(execute: string, untypedArguments: Readonly<Record<string, unknown>>, timeoutMs = QGA_REQUEST_TIMEOUT_MS): Promise<Result<unknown, RayosError>> {
    const socket = this.socket;
    if (!this.isReady || socket === null) {
      return Promise.resolve(err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', 'The QEMU guest agent has not answered yet (the guest may still be booting, or has no qemu-ga running).')));
    }
    const id = `rayos-${++this.nextRequest}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(err(rayosError('RAYOS_GUEST_AGENT_TIMEOUT', `The QEMU guest agent did not answer ${execute} within ${timeoutMs} ms.`, { execute })));
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      socket.write(`${JSON.stringify({ execute, arguments: untypedArguments, id })}\n`);
    });
  }

  close(): void {
    this.closed = true;
    this.failPending('the link was closed');
    this.settle(false);
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    if (this.giveUpTimer !== null) clearTimeout(this.giveUpTimer);
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): void {
    if (this.closed) return;
    const socket = createConnection({ path: this.options.socketPath });
    this.socket = socket;
    socket.on('connect', () => {
      this.sync();
      this.syncTimer = setInterval(() => this.sync(), SYNC_INTERVAL_MS);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.syncTimer !== null) clearInterval(this.syncTimer);
      this.syncTimer = null;
      if (this.socket === socket) this.socket = null;
      this.failPending('the connection to the agent dropped');
      // QEMU's socket is there as long as QEMU is; a dropped connection is tried again until the link is closed.
      if (!this.closed) setTimeout(() => this.connect(), RECONNECT_MS).unref();
    });
  }

  private sync(): void {
    if (this.isReady || this.socket === null) return;
    const id = (this.nextId = (this.nextId + 1) % 2_147_483_647);
    this.sent.add(id);
    this.socket.write(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const sentinel = this.buffer.lastIndexOf(SENTINEL);
    if (sentinel >= 0) this.buffer = this.buffer.subarray(sentinel + 1);
    for (let end = this.buffer.indexOf(0x0a); end >= 0; end = this.buffer.indexOf(0x0a)) {
      const untrustedLine = this.buffer.subarray(0, end).toString('utf8');
      this.buffer = this.buffer.subarray(end + 1);
      this.onLine(untrustedLine);
    }
    if (this.buffer.length > MAX_LINE_BYTES) this.buffer = Buffer.alloc(0);
  }

  private onLine(untrustedLine: string): void {
    let untrusted: unknown;
    try {
      untrusted = JSON.parse(untrustedLine);
    } catch {
      return;
    }
    const parsed = QgaReplySchema.safeParse(untrusted);
    if (!parsed.success) return;
    const reply = parsed.data;
    if (typeof reply.id === 'string') {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      clearTimeout(waiting.timer);
      waiting.resolve('error' in reply ? err(rayosError('RAYOS_GUEST_EXEC_FAILED', `The QEMU guest agent refused: ${reply.error.desc.slice(0, 500)}`)) : ok(reply.return));
      return;
    }
    const value = 'return' in reply ? reply.return : undefined;
    if (typeof value !== 'number' || !this.sent.has(value) || this.isReady) return;
    this.isReady = true;
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    this.syncTimer = null;
    if (this.giveUpTimer !== null) clearTimeout(this.giveUpTimer);
    this.settle(true);
    this.options.onReady();
  }

  private failPending(why: string): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.resolve(err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', `The QEMU guest agent did not answer: ${why}.`)));
      this.pending.delete(id);
    }
  }

  /** True once the wait ran out with no answer (readiness may still come later). */
  get noAgent(): boolean {
    return this.gaveUp && !this.isReady;
  }
}
