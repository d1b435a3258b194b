// Owns one live QMP connection: id-matched commands with deadlines, the event stream, and ending the connection on close or on a broken stream.
//
// Every failure ends in a returned Result: socket errors, a peer that closes mid-reply and lines that are not
// QMP all end the connection once (onClose fires once) and fail every waiting command with the same reason.
import type { Socket } from 'node:net';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { QmpCallOptions, QmpClient, QmpJobArgs, QmpJobCommand } from './qmp-client.js';
import { QMP_RESULT_SCHEMAS, type QmpArgs, type QmpCommandName, type QmpResult } from './qmp-commands.js';
import { isQmpEvent, type QmpEvent, type QmpEventName, type QmpEventOf } from './qmp-events.js';
import { runQmpJob } from './qmp-jobs.js';
import { parseQmpLine, QmpLineSplitter, type QmpGreeting } from './qmp-wire.js';

export interface QmpSessionOptions {
  readonly socketPath: string;
  readonly commandTimeoutMs: number;
  readonly maxLineBytes: number;
}

interface Pending {
  readonly command: string;
  readonly settle: (result: Result<unknown, RayosError>) => void;
  readonly timer: NodeJS.Timeout;
}

/** How much of an offending line goes into an error's details: enough to recognise it, never megabytes. */
const EXCERPT_CHARS = 200;

export class QmpSession implements QmpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: QmpEvent) => void>();
  private readonly closeListeners = new Set<(reason: RayosError) => void>();
  private readonly splitter: QmpLineSplitter;
  private readonly socketClosed: Promise<void>;
  private endReason: RayosError | null = null;
  private greetingValue: QmpGreeting | null = null;
  private greetingWaiter: ((result: Result<QmpGreeting, RayosError>) => void) | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly options: QmpSessionOptions,
  ) {
    this.splitter = new QmpLineSplitter(options.maxLineBytes);
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.end(this.closedError(`the connection failed (${error.message})`)));
    socket.on('close', () => this.end(this.closedError('QEMU closed the connection (it exited, or dropped this client)')));
  }

  /** Set before connectQmp hands the session out; never read earlier. */
  get greeting(): QmpGreeting {
    if (this.greetingValue === null) throw new Error('QmpSession.greeting read before the greeting arrived');
    return this.greetingValue;
  }

  get closed(): boolean {
    return this.endReason !== null;
  }

  /** Resolves with QEMU's greeting, RAYOS_QMP_TIMEOUT when none comes in time, or the reason the connection ended. */
  waitForGreeting(timeoutMs: number): Promise<Result<QmpGreeting, RayosError>> {
    if (this.greetingValue !== null) return Promise.resolve(ok(this.greetingValue));
    if (this.endReason !== null) return Promise.resolve(err(this.endReason));
    return new Promise((settle) => {
      const timer = setTimeout(() => {
        this.greetingWaiter = null;
        settle(
          err(
            rayosError(
              'RAYOS_QMP_TIMEOUT',
              `QEMU accepted the connection on ${this.options.socketPath} but sent no QMP greeting within ${timeoutMs} ms: another client probably holds this socket (QEMU serves one client per QMP socket), or QEMU is hung; use the VM's other QMP socket, or check its QEMU process.`,
              { socketPath: this.options.socketPath, timeoutMs },
            ),
          ),
        );
      }, timeoutMs);
      this.greetingWaiter = (result) => {
        clearTimeout(timer);
        this.greetingWaiter = null;
        settle(result);
      };
    });
  }

  async execute<C extends QmpCommandName>(command: C, args?: QmpArgs<C>, options: QmpCallOptions = {}): Promise<Result<QmpResult<C>, RayosError>> {
    const reply = await this.executeUntyped(command, args as Record<string, unknown> | undefined, options);
    if (!reply.ok) return reply;
    const parsed = QMP_RESULT_SCHEMAS[command].safeParse(reply.value);
    if (!parsed.success) {
      return err(
        rayosError(
          'RAYOS_QMP_PROTOCOL',
          `QEMU answered ${command} with a result of an unexpected shape; RayOS supports QEMU 7.2, check the QEMU version of this VM.`,
          { command, issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) },
        ),
      );
    }
    return ok(parsed.data as QmpResult<C>);
  }

  executeUntyped(command: string, args?: Record<string, unknown>, options: QmpCallOptions = {}): Promise<Result<unknown, RayosError>> {
    if (this.endReason !== null) return Promise.resolve(err(this.afterEnd(command)));
    const id = this.nextId++;
    let line: string;
    try {
      line = `${JSON.stringify(args === undefined ? { execute: command, id } : { execute: command, arguments: args, id })}\n`;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return Promise.resolve(err(rayosError('RAYOS_QMP_COMMAND_FAILED', `The arguments of ${command} cannot be sent as JSON (${why}); pass plain data.`, { command })));
    }
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    return new Promise((settle) => {
      const timer = setTimeout(() => {
        // Forget the id: a late reply to it is ignored like any id we are not waiting for.
        this.pending.delete(id);
        settle(
          err(
            rayosError(
              'RAYOS_QMP_TIMEOUT',
              `QEMU did not answer ${command} within ${timeoutMs} ms; QEMU may be hung or overloaded: check its process, or retry with a longer timeout.`,
              { command, timeoutMs, socketPath: this.options.socketPath },
            ),
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { command, settle, timer });
      this.socket.write(line);
    });
  }

  onEvent(listener: (event: QmpEvent) => void): () => void {
    // Wrapped so one function subscribed twice gets two independent subscriptions.
    const entry = (event: QmpEvent): void => listener(event);
    this.eventListeners.add(entry);
    return () => {
      this.eventListeners.delete(entry);
    };
  }

  waitForEvent<N extends QmpEventName>(
    name: N,
    options: { timeoutMs: number; match?: (event: QmpEventOf<N>) => boolean },
  ): Promise<Result<QmpEventOf<N>, RayosError>> {
    if (this.endReason !== null) return Promise.resolve(err(this.afterEnd(`waiting for ${name}`)));
    return new Promise((settle) => {
      let done = false;
      const finish = (result: Result<QmpEventOf<N>, RayosError>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        offEvent();
        offClose();
        settle(result);
      };
      const offEvent = this.onEvent((event) => {
        if (isQmpEvent(event, name) && (options.match === undefined || options.match(event))) finish(ok(event));
      });
      const offClose = this.onClose((reason) => finish(err(reason)));
      const timer = setTimeout(
        () =>
          finish(
            err(
              rayosError('RAYOS_QMP_TIMEOUT', `QEMU sent no ${name} event within ${options.timeoutMs} ms; check the VM's state (query-status) and retry or give it longer.`, {
                event: name,
                timeoutMs: options.timeoutMs,
              }),
            ),
          ),
        options.timeoutMs,
      );
    });
  }

  runJob(command: QmpJobCommand, args: QmpJobArgs, options: { timeoutMs: number }): Promise<Result<void, RayosError>> {
    return runQmpJob(this, command, args, options);
  }

  onClose(listener: (reason: RayosError) => void): () => void {
    if (this.endReason !== null) {
      const reason = this.endReason;
      queueMicrotask(() => callSafely(listener, reason));
      return () => {};
    }
    const entry = (reason: RayosError): void => listener(reason);
    this.closeListeners.add(entry);
    return () => {
      this.closeListeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.end(this.closedError('RayOS closed the connection'));
    await this.socketClosed;
  }

  private onData(chunk: Buffer): void {
    if (this.endReason !== null) return;
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) {
      if (this.endReason !== null) return;
      this.onLine(line);
    }
    if (overflow && this.endReason === null) {
      this.protocolFailure(`a line longer than ${this.options.maxLineBytes} bytes`, '');
    }
  }

  private onLine(untrustedLine: string): void {
    const message = parseQmpLine(untrustedLine);
    if (message.kind === 'invalid') {
      this.protocolFailure(message.why, untrustedLine);
      return;
    }
    if (message.kind === 'greeting') {
      if (this.greetingValue !== null) {
        this.protocolFailure('a second greeting', untrustedLine);
        return;
      }
      this.greetingValue = message.greeting;
      this.greetingWaiter?.(ok(message.greeting));
      return;
    }
    if (this.greetingValue === null) {
      this.protocolFailure('a message before its greeting', untrustedLine);
      return;
    }
    if (message.kind === 'event') {
      for (const listener of [...this.eventListeners]) callSafely(listener, message.event);
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (pending === undefined) return; // a late reply to a command that timed out
    this.pending.delete(message.id as number);
    clearTimeout(pending.timer);
    if (message.kind === 'return') {
      pending.settle(ok(message.untrustedValue));
      return;
    }
    pending.settle(
      err(
        rayosError('RAYOS_QMP_COMMAND_FAILED', `QEMU refused ${pending.command}: ${message.desc} (${message.errorClass}); check the arguments and the VM's state.`, {
          command: pending.command,
          class: message.errorClass,
          desc: message.desc,
        }),
      ),
    );
  }

  private protocolFailure(why: string, untrustedLine: string): void {
    this.end(
      rayosError(
        'RAYOS_QMP_PROTOCOL',
        `QEMU sent ${why} on ${this.options.socketPath}; RayOS dropped the connection because the stream can no longer be trusted. Reconnect; if it happens again, check that this is a QEMU 7.2 QMP socket.`,
        { socketPath: this.options.socketPath, excerpt: untrustedLine.slice(0, EXCERPT_CHARS) },
      ),
    );
  }

  private closedError(why: string): RayosError {
    return rayosError('RAYOS_QMP_CLOSED', `The QMP connection to ${this.options.socketPath} ended: ${why}. Reconnect, or check whether the VM's QEMU is still running.`, {
      socketPath: this.options.socketPath,
    });
  }

  private afterEnd(what: string): RayosError {
    const reason = this.endReason;
    return rayosError('RAYOS_QMP_CLOSED', `Cannot run ${what}: the QMP connection to ${this.options.socketPath} is closed (${reason?.message ?? 'closed'}). Reconnect first.`, {
      socketPath: this.options.socketPath,
      cause: reason?.code,
    });
  }

  /** Ends the connection once: every waiter and close listener hears the same reason. */
  private end(reason: RayosError): void {
    if (this.endReason !== null) return;
    this.endReason = reason;
    this.socket.destroy();
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.settle(err(reason));
    }
    this.pending.clear();
    this.greetingWaiter?.(err(reason));
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.eventListeners.clear();
    for (const listener of listeners) callSafely(listener, reason);
  }
}

/** Listeners are RayOS code, but one that throws must not take the connection (or the runtime) down with it. */
function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch {
    // Swallowed on purpose: the stream goes on for the other listeners.
  }
}
