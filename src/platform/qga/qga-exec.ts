// Owns running a command in a guest through qemu-ga: guest-exec, then guest-exec-status until it exits or the time is up.
import { err, ok, type Result } from '../../base/result.js';
import type { ExecResult } from '../../contracts/guest-agent.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { QgaExecStartedSchema, QgaExecStatusSchema } from './qga-protocol.js';
import type { QgaLink } from './qga-link.js';

/** Status polls start fast (most commands end in milliseconds) and back off to this. */
const POLL_MAX_MS = 500;
const POLL_FIRST_MS = 20;

const protocolError = (what: string): RayosError => rayosError('RAYOS_GUEST_AGENT_PROTOCOL', `The QEMU guest agent answered ${what} with something that is not its protocol.`);

/**
 * qemu-ga has no way to kill what it started (7.2 has no guest-exec-kill): a command still running when the time is up
 * is reported timedOut and left to finish in the guest. Exit by signal N reads as 128 + N, as a shell says it.
 */
export async function qgaExec(link: QgaLink, argv: readonly string[], timeoutMs: number): Promise<Result<ExecResult, RayosError>> {
  const [path, ...args] = argv;
  if (path === undefined || path === '') return err(rayosError('RAYOS_GUEST_EXEC_FAILED', 'exec needs a command: rayos vm exec NAME -- COMMAND [ARGS…]'));
  const started = await link.request('guest-exec', { path, arg: args, 'capture-output': true });
  if (!started.ok) return started;
  const untrustedStarted = QgaExecStartedSchema.safeParse(started.value);
  if (!untrustedStarted.success) return err(protocolError('guest-exec'));
  const pid = untrustedStarted.data.pid;
  const deadline = Date.now() + timeoutMs;
  for (let wait = POLL_FIRST_MS; ; wait = Math.min(POLL_MAX_MS, wait * 2)) {
    const polled = await link.request('guest-exec-status', { pid });
    if (!polled.ok) return polled;
    const status = QgaExecStatusSchema.safeParse(polled.value);
    if (!status.success) return err(protocolError('guest-exec-status'));
    if (status.data.exited) {
      const exitCode = status.data.exitcode ?? (status.data.signal === undefined ? -1 : 128 + status.data.signal);
      return ok({
        exitCode,
        stdout: Buffer.from(status.data['out-data'] ?? '', 'base64').toString('utf8'),
        stderr: Buffer.from(status.data['err-data'] ?? '', 'base64').toString('utf8'),
        truncated: status.data['out-truncated'] === true || status.data['err-truncated'] === true,
        timedOut: false,
      });
    }
    if (Date.now() >= deadline) return ok({ exitCode: -1, stdout: '', stderr: '', truncated: false, timedOut: true });
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(1, deadline - Date.now()))));
  }
}
