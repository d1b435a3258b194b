// Owns running one QMP snapshot job to its end: start, wait for "concluded", read its outcome with query-jobs, dismiss it.
//
// QEMU 7.2 sends JOB_STATUS_CHANGE created/running *before* the command's reply and, for a quick job,
// may send concluded before it too; so the listener is in place before the command is sent.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { QmpClient, QmpJobArgs, QmpJobCommand } from './qmp-client.js';
import type { QmpArgs } from './qmp-commands.js';
import { isQmpEvent } from './qmp-events.js';

type JobOutcome = 'concluded' | 'timeout' | RayosError;

export async function runQmpJob(
  client: QmpClient,
  command: QmpJobCommand,
  args: QmpJobArgs,
  options: { timeoutMs: number },
): Promise<Result<void, RayosError>> {
  const jobId = args['job-id'];
  const details = { command, jobId, tag: args.tag };
  const deadline = Date.now() + options.timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());

  let outcome: JobOutcome | null = null;
  let wake: (() => void) | null = null;
  const settle = (value: JobOutcome): void => {
    outcome ??= value;
    wake?.();
  };
  const offEvent = client.onEvent((event) => {
    if (isQmpEvent(event, 'JOB_STATUS_CHANGE') && event.data.id === jobId && event.data.status === 'concluded') settle('concluded');
  });
  const offClose = client.onClose((reason) => settle(reason));
  let timer: NodeJS.Timeout | undefined;
  try {
    const started = await startJob(client, command, args, left());
    if (!started.ok) {
      // Unanswered is not refused: the job may exist in QEMU, so it is dismissed when it ends.
      if (started.error.code === 'RAYOS_QMP_TIMEOUT') dismissWhenConcluded(client, jobId);
      return started;
    }
    if (outcome === null) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(() => settle('timeout'), left());
      });
    }
  } finally {
    clearTimeout(timer);
    offEvent();
    offClose();
  }

  const final = outcome as JobOutcome | null;
  if (final === null || final === 'timeout') {
    dismissWhenConcluded(client, jobId);
    return err(
      rayosError(
        'RAYOS_QMP_TIMEOUT',
        `QEMU's ${command} job ${jobId} did not finish within ${options.timeoutMs} ms; it may still be running (RayOS dismisses it when it ends). Give it longer, or check the VM's disk space and load.`,
        details,
      ),
    );
  }
  if (final !== 'concluded') return err(final);

  // The job's outcome is only in query-jobs; its events say "concluded" whether it worked or not.
  const jobs = await client.execute('query-jobs');
  if (!jobs.ok) return jobs;
  const job = jobs.value.find((candidate) => candidate.id === jobId);
  // A leftover concluded job only blocks its id; the job's own outcome is what the caller asked for.
  await client.execute('job-dismiss', { id: jobId });
  if (job === undefined) {
    return err(
      rayosError(
        'RAYOS_QMP_JOB_FAILED',
        `QEMU's ${command} job ${jobId} concluded but QEMU no longer lists it, so its outcome is unknown (something else dismissed it); check the snapshots with "info snapshots" and retry.`,
        details,
      ),
    );
  }
  if (job.error !== undefined) {
    return err(rayosError('RAYOS_QMP_JOB_FAILED', `QEMU's ${command} job for snapshot "${args.tag}" failed: ${job.error}. ${hint(command)}`, { ...details, qemuError: job.error }));
  }
  return ok(undefined);
}

/** Sends the job command with only the arguments QEMU 7.2 accepts for it. */
function startJob(client: QmpClient, command: QmpJobCommand, args: QmpJobArgs, timeoutMs: number): Promise<Result<unknown, RayosError>> {
  const { 'job-id': jobId, tag, devices, vmstate } = args;
  if (command === 'snapshot-delete') return client.execute(command, { 'job-id': jobId, tag, devices }, { timeoutMs });
  // QEMU refuses a save or load without vmstate (GenericError), which is the answer the caller should see.
  const full = { 'job-id': jobId, tag, devices, ...(vmstate === undefined ? {} : { vmstate }) } as QmpArgs<'snapshot-save'>;
  return client.execute(command, full, { timeoutMs });
}

function hint(command: QmpJobCommand): string {
  switch (command) {
    case 'snapshot-save':
      return 'Use a tag that does not exist yet, writable qcow2 block nodes, and a vmstate node among them.';
    case 'snapshot-load':
      return 'Check that the snapshot exists on every listed node ("info snapshots") and that the VM was started with the same devices.';
    case 'snapshot-delete':
      return 'Check that the snapshot exists on every listed node ("info snapshots").';
  }
}

/** After a timeout the job goes on in QEMU; dismiss it when it concludes so its id can be used again. */
function dismissWhenConcluded(client: QmpClient, jobId: string): void {
  if (client.closed) return;
  const off = client.onEvent((event) => {
    if (!isQmpEvent(event, 'JOB_STATUS_CHANGE') || event.data.id !== jobId || event.data.status !== 'concluded') return;
    off();
    void client.execute('job-dismiss', { id: jobId });
  });
  // The job may have concluded between the timeout and now: query once, dismiss if so.
  void client.execute('query-jobs').then((jobs) => {
    if (jobs.ok && jobs.value.some((job) => job.id === jobId && job.status === 'concluded')) {
      off();
      void client.execute('job-dismiss', { id: jobId });
    }
  });
}
