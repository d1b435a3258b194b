// Owns RayOS's QMP client API: connecting to a QEMU QMP unix socket (greeting, capabilities negotiation) and the QmpClient interface.
//
// QEMU side: -qmp unix:PATH,server=on,wait=off. QEMU serves one client per socket: a second client is
// accepted by the kernel but gets no greeting until the first leaves, so the greeting has a deadline.
import { createConnection, type Socket } from 'node:net';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { QmpArgs, QmpCommandName, QmpResult, SnapshotJobArgs } from './qmp-commands.js';
import type { QmpEvent, QmpEventName, QmpEventOf } from './qmp-events.js';
import { QmpSession } from './qmp-session.js';
import { QMP_MAX_LINE_BYTES, type QmpGreeting } from './qmp-wire.js';

export type * from './qmp-commands.js';
export type { QmpEvent, QmpEventName, QmpEventOf, QmpKnownEvent, QmpTimestamp, QmpUnknownEvent } from './qmp-events.js';
export { isQmpEvent } from './qmp-events.js';
export type { QmpGreeting } from './qmp-wire.js';
export { QMP_MAX_LINE_BYTES } from './qmp-wire.js';

export const DEFAULT_QMP_CONNECT_TIMEOUT_MS = 2_000;
export const DEFAULT_QMP_COMMAND_TIMEOUT_MS = 5_000;
const SOCKET_RETRY_MS = 50;

export interface QmpConnectOptions {
  /** Connecting, the greeting and capabilities negotiation together. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Per command unless the call says otherwise. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Keep retrying this long while the socket is missing or refuses (QEMU still starting). Default 0: fail at once. */
  waitForSocketMs?: number;
  /** Longest line accepted from QEMU; a longer one is RAYOS_QMP_PROTOCOL. Default QMP_MAX_LINE_BYTES (16 MiB). */
  maxLineBytes?: number;
}

export type QmpJobCommand = 'snapshot-save' | 'snapshot-load' | 'snapshot-delete';
export type QmpJobArgs = Omit<SnapshotJobArgs, 'vmstate'> & { vmstate?: string };

export interface QmpCallOptions {
  /** How long to wait for QEMU's reply; default the connection's commandTimeoutMs. */
  timeoutMs?: number;
}

export interface QmpClient {
  readonly greeting: QmpGreeting;
  readonly closed: boolean;
  /** Runs a typed command; QEMU's `error` is RAYOS_QMP_COMMAND_FAILED, a result of the wrong shape RAYOS_QMP_PROTOCOL. */
  execute<C extends QmpCommandName>(command: C, args?: QmpArgs<C>, options?: QmpCallOptions): Promise<Result<QmpResult<C>, RayosError>>;
  /** Runs any command and returns QEMU's `return` value unchecked (untrusted: validate before use). */
  executeUntyped(command: string, args?: Record<string, unknown>, options?: QmpCallOptions): Promise<Result<unknown, RayosError>>;
  /** Every event, in the order QEMU sent it. A listener that throws is ignored. Returns an unsubscribe. */
  onEvent(listener: (event: QmpEvent) => void): () => void;
  /** The next event of that name (and match) from now; RAYOS_QMP_TIMEOUT after timeoutMs, the close reason if the connection ends. */
  waitForEvent<N extends QmpEventName>(
    name: N,
    options: { timeoutMs: number; match?: (event: QmpEventOf<N>) => boolean },
  ): Promise<Result<QmpEventOf<N>, RayosError>>;
  /**
   * Starts a snapshot job and waits until it concludes, then reads its outcome with query-jobs and dismisses it.
   * A failed job is RAYOS_QMP_JOB_FAILED with QEMU's sentence; a refused start is RAYOS_QMP_COMMAND_FAILED.
   * vmstate is required by snapshot-save and snapshot-load and not sent with snapshot-delete.
   */
  runJob(command: QmpJobCommand, args: QmpJobArgs, options: { timeoutMs: number }): Promise<Result<void, RayosError>>;
  /** Called once when the connection ends, whatever the reason (close() included). Returns an unsubscribe. */
  onClose(listener: (reason: RayosError) => void): () => void;
  /** Ends the connection (idempotent); commands still waiting fail with RAYOS_QMP_CLOSED. */
  close(): Promise<void>;
}

/** Connects, checks QEMU's greeting, negotiates capabilities and resolves once commands may be sent. */
export async function connectQmp(socketPath: string, options: QmpConnectOptions = {}): Promise<Result<QmpClient, RayosError>> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_QMP_CONNECT_TIMEOUT_MS;
  const started = Date.now();
  const left = (): number => Math.max(1, connectTimeoutMs - (Date.now() - started));

  const socket = await openSocket(socketPath, options.waitForSocketMs ?? 0, connectTimeoutMs);
  if (!socket.ok) return socket;
  const session = new QmpSession(socket.value, {
    socketPath,
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_QMP_COMMAND_TIMEOUT_MS,
    maxLineBytes: options.maxLineBytes ?? QMP_MAX_LINE_BYTES,
  });
  const greeting = await session.waitForGreeting(left());
  if (!greeting.ok) {
    await session.close();
    return greeting;
  }
  const negotiated = await session.execute('qmp_capabilities', {}, { timeoutMs: left() });
  if (!negotiated.ok) {
    await session.close();
    return negotiated;
  }
  return ok(session);
}

/** Connects the unix socket, retrying a missing or refusing socket for waitForSocketMs. */
async function openSocket(socketPath: string, waitForSocketMs: number, connectTimeoutMs: number): Promise<Result<Socket, RayosError>> {
  const retryUntil = Date.now() + waitForSocketMs;
  for (;;) {
    const attempt = await connectOnce(socketPath, connectTimeoutMs);
    if (attempt.ok) return attempt;
    const { code } = attempt.error;
    const retriable = code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EAGAIN';
    if (!retriable || Date.now() + SOCKET_RETRY_MS > retryUntil) return err(connectError(socketPath, attempt.error));
    await new Promise((resolve) => setTimeout(resolve, SOCKET_RETRY_MS));
  }
}

function connectOnce(path: string, timeoutMs: number): Promise<Result<Socket, { code: string; message: string }>> {
  return new Promise((resolve) => {
    let socket: Socket;
    try {
      socket = createConnection({ path });
    } catch (error) {
      resolve(err({ code: 'ERROR', message: error instanceof Error ? error.message : String(error) }));
      return;
    }
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(err({ code: 'ETIMEDOUT', message: `connect did not finish within ${timeoutMs} ms` }));
    }, timeoutMs);
    const onError = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(err({ code: error.code ?? 'ERROR', message: error.message }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(ok(socket));
    });
  });
}

function connectError(socketPath: string, cause: { code: string; message: string }): RayosError {
  const details = { socketPath, cause: cause.code };
  if (cause.code === 'ENOENT') {
    return rayosError('RAYOS_QMP_CONNECT', `The QMP socket ${socketPath} does not exist: the VM's QEMU is not running (or not yet listening); start the VM or check its QEMU process.`, details);
  }
  if (cause.code === 'ECONNREFUSED') {
    return rayosError('RAYOS_QMP_CONNECT', `Nothing accepts connections on ${socketPath}: the VM's QEMU has exited or is not a QMP server there; check the QEMU process and its log.`, details);
  }
  if (cause.code === 'ETIMEDOUT') {
    return rayosError('RAYOS_QMP_TIMEOUT', `Connecting to the QMP socket ${socketPath} did not finish (${cause.message}); QEMU may be hung, check its process.`, details);
  }
  return rayosError('RAYOS_QMP_CONNECT', `Cannot connect to the QMP socket ${socketPath} (${cause.message}); check the path (at most 107 bytes) and its permissions.`, details);
}
