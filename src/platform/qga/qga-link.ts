// Owns the host end of the QEMU guest agent (qemu-ga, org.qemu.guest_agent.0): one connection to QEMU's chardev socket, guest-sync-delimited until the agent answers, guest-shutdown.
import { createConnection, type Socket } from 'node:net';

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

  constructor(private readonly options: QgaLinkOptions) {}

  get ready(): boolean {
    return this.isReady;
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

  close(): void {
    this.closed = true;
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
    const value = (untrusted as { return?: unknown } | null)?.return;
    if (typeof value !== 'number' || !this.sent.has(value) || this.isReady) return;
    this.isReady = true;
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    this.syncTimer = null;
    if (this.giveUpTimer !== null) clearTimeout(this.giveUpTimer);
    this.options.onReady();
  }

  /** True once the wait ran out with no answer (readiness may still come later). */
  get noAgent(): boolean {
    return this.gaveUp && !this.isReady;
  }
}
