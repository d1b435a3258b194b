// Owns RayOS's link to one VM's guest agent: connect, wait for hello, remember what the guest said, reconnect; the guest clock.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { ExecResult, GuestClock, HelloResult, PingResult } from '../../contracts/guest-agent.js';
import { connectAgent, type AgentClient } from '../../platform/guest-agent/agent-client.js';

/**
 * How often hello is asked again while the guest does not answer. A hello sent before the agent has the port open
 * is lost, so this bounds how late GUEST_READY comes after the agent is up (it matters most after a resume).
 */
const HELLO_INTERVAL_MS = 100;
/** Pings per clock reading: the one with the shortest round trip wins (the least room for queueing on either side). */
const CLOCK_SAMPLES = 5;
/** The agent answers one request at a time, so a ping waits behind a running exec; this bounds that wait. */
const PING_TIMEOUT_MS = 10_000;

/** Host wall-clock time as epoch ms with sub-ms precision (Date.now() has whole ms only). */
const hostNowMs = (): number => performance.timeOrigin + performance.now();

/** A ping with the host times taken just before it was sent and just after its reply was read. */
export interface TimedPing {
  readonly result: PingResult;
  readonly hostBeforeMs: number;
  readonly hostAfterMs: number;
}

export interface GuestLinkOptions {
  readonly socketPath: string;
  readonly readyTimeoutMs: number;
  /** Called once per link when the guest first answers hello. */
  readonly onReady: (hello: HelloResult) => void;
  readonly onGaveUp: (error: RayosError) => void;
}

export class GuestLink {
  private client: AgentClient | null = null;
  private hello: HelloResult | null = null;
  private closed = false;
  private readonly readyWaiters = new Set<(ready: boolean) => void>();

  constructor(private readonly options: GuestLinkOptions) {}

  get ready(): boolean {
    return this.hello !== null && this.client !== null;
  }

  get lastHello(): HelloResult | null {
    return this.hello;
  }

  /** Connects and waits for hello in the background; the VM is usable before its guest is. */
  open(): void {
    void this.connectLoop();
  }

  /** Resolves true once the guest answered hello, false if the link closes or gives up first. */
  whenReady(): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.readyWaiters.add(resolve));
  }

  async refresh(): Promise<Result<HelloResult, RayosError>> {
    if (this.client === null) return err(this.unavailable());
    const hello = await this.client.hello();
    if (hello.ok) this.hello = hello.value;
    return hello;
  }

  async exec(argv: readonly string[], timeoutMs: number): Promise<Result<ExecResult, RayosError>> {
    if (this.client === null || this.hello === null) return err(this.unavailable());
    return this.client.exec([...argv], { timeoutMs });
  }

  async ping(): Promise<Result<TimedPing, RayosError>> {
    if (this.client === null || this.hello === null) return err(this.unavailable());
    const client = this.client;
    const hostBeforeMs = hostNowMs();
    const reply = await client.ping({ timeoutMs: PING_TIMEOUT_MS });
    const hostAfterMs = hostNowMs();
    return reply.ok ? ok({ result: reply.value, hostBeforeMs, hostAfterMs }) : reply;
  }

  /** The guest clock against the host's (see GuestClock), from the best of a few pings. */
  async clock(samples = CLOCK_SAMPLES): Promise<Result<GuestClock, RayosError>> {
    let best: (TimedPing & { realtimeUs: number }) | null = null;
    for (let i = 0; i < samples; i++) {
      const ping = await this.ping();
      if (!ping.ok) return ping;
      const realtimeUs = ping.value.result.realtimeUs;
      if (realtimeUs === undefined) {
        return err(
          rayosError('RAYOS_GUEST_AGENT_PROTOCOL', `The guest agent (${this.hello?.agentVersion ?? 'unknown version'}) does not report its clock in ping (realtimeUs): it predates that. Boot the guest again ("rayos vm stop NAME", then "rayos vm start NAME") so it runs the current agent.`),
        );
      }
      const roundTrip = ping.value.hostAfterMs - ping.value.hostBeforeMs;
      if (best === null || roundTrip < best.hostAfterMs - best.hostBeforeMs) best = { ...ping.value, realtimeUs };
    }
    if (best === null) return err(rayosError('RAYOS_GUEST_AGENT_PROTOCOL', 'A clock reading needs at least one ping.'));
    const guestRealtimeMs = best.realtimeUs / 1000;
    const uncertaintyMs = (best.hostAfterMs - best.hostBeforeMs) / 2;
    return ok({ hostBeforeMs: best.hostBeforeMs, hostAfterMs: best.hostAfterMs, guestRealtimeMs, offsetMs: guestRealtimeMs - (best.hostBeforeMs + uncertaintyMs), uncertaintyMs, samples });
  }

  async shutdown(mode: 'poweroff' | 'reboot'): Promise<Result<unknown, RayosError>> {
    if (this.client === null || this.hello === null) return err(this.unavailable());
    return this.client.shutdown(mode);
  }

  close(): void {
    this.closed = true;
    this.settle(false);
    const client = this.client;
    this.client = null;
    void client?.close();
  }

  private unavailable(): RayosError {
    return rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', 'The guest agent is not connected yet (the guest may still be booting); wait for RAYOS_LINUX:GUEST_READY or check "rayos vm logs".');
  }

  private settle(ready: boolean): void {
    for (const resolve of this.readyWaiters) resolve(ready);
    this.readyWaiters.clear();
  }

  private async connectLoop(): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    let lastError: RayosError | null = null;
    while (!this.closed && Date.now() < deadline) {
      const connected = await connectAgent(this.options.socketPath, { connectTimeoutMs: 2000 });
      if (!connected.ok) {
        lastError = connected.error;
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (this.closed) {
        void connected.value.close();
        return;
      }
      const client = connected.value;
      this.client = client;
      const hello = await client.waitForHello({ deadlineMs: Math.max(1000, deadline - Date.now()), intervalMs: HELLO_INTERVAL_MS });
      if (this.closed) return;
      if (hello.ok) {
        this.hello = hello.value;
        this.settle(true);
        this.options.onReady(hello.value);
        // A dropped link (QEMU restarted the chardev, the guest rebooted the agent) is picked up again.
        client.onClose(() => {
          if (this.client === client) this.client = null;
          if (!this.closed) {
            this.hello = null;
            void this.connectLoop();
          }
        });
        return;
      }
      lastError = hello.error;
      this.client = null;
      void client.close();
    }
    if (!this.closed) {
      this.settle(false);
      this.options.onGaveUp(lastError ?? rayosError('RAYOS_GUEST_AGENT_TIMEOUT', 'The guest agent did not answer in time.'));
    }
  }
}
