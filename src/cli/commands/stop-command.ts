// Owns `rayos stop`: ask the runtime to stop, then wait (bounded) until it no longer answers and its process is gone.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RayosClient } from '../../client/api.js';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';

const STOP_WAIT_MS = 30_000;
const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerStopCommand(program: Command): void {
  program
    .command('stop')
    .description('stop the runtime (services stop in reverse order) and wait until it is gone')
    .option('--json', 'print the outcome as JSON')
    .action(
      action(async (ctx) => {
        const client = ctx.client();
        // Status first: it names the pid to wait for, and says NOT_RUNNING plainly when there is nothing to stop.
        const status = await client.status();
        if (!status.ok) return ctx.fail(status.error);
        const { pid } = status.value;
        const stop = await client.stop();
        if (!stop.ok) return ctx.fail(stop.error);
        const deadline = Date.now() + STOP_WAIT_MS;
        const gone = (await untilSilent(client, deadline)) && (await untilExited(pid, deadline));
        if (!gone) {
          return ctx.fail(rayosError('RAYOS_CLI_TIMEOUT', `The runtime (pid ${pid}) accepted the stop but is still there after ${STOP_WAIT_MS / 1000} s; see ./rayos log show --since 5m, or end it with kill ${pid}.`));
        }
        ctx.output.out(ctx.json ? JSON.stringify({ stopped: true, pid }) : `RayOS runtime (pid ${pid}) stopped.`);
        return EXIT.OK;
      }),
    );
}

/** True once the socket stops answering; any other answer (including errors while it closes) means "not yet". */
async function untilSilent(client: RayosClient, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const status = await client.status();
    if (!status.ok && status.error.code === 'RAYOS_CLI_NOT_RUNNING') return true;
    await sleep(POLL_MS);
  }
  return false;
}

/** The API closes before the last services stop; the lock is released only when the process ends. */
async function untilExited(pid: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await sleep(POLL_MS);
  }
  return false;
}

/** An exited child its parent has not reaped yet is a zombie: it counts as gone. */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may itself contain ") ".
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
