// Owns `rayos doctor`: host readiness from the running runtime, or checked locally by the runtime entry when none runs.
import type { Command } from 'commander';
import type { Result } from '../../base/result.js';
import { DoctorReportSchema, type DoctorReport } from '../../contracts/api-types.js';
import type { RayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { daemonMissingMessage, runDaemonReport } from '../daemon-entry.js';
import { doctorHasMissing, formatDoctor } from '../format.js';

const LOCAL_DOCTOR_TIMEOUT_MS = 90_000;

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check host readiness: QEMU, OVMF, swtpm, qemu-img, KVM or TCG, Chromium, disk space')
    .option('--json', 'print the DoctorReport as JSON')
    .action(
      action(async (ctx) => {
        const remote = await ctx.client().doctor();
        let report: DoctorReport;
        if (remote.ok) report = remote.value;
        else if (remote.error.code === 'RAYOS_CLI_NOT_RUNNING') {
          // No runtime: the same checks, run by the runtime entry in a short-lived process.
          const missing = daemonMissingMessage();
          if (missing !== null) {
            ctx.output.err(missing);
            return EXIT.FAILURE;
          }
          const local = await localDoctor(ctx.dataDir);
          if (!local.ok) return ctx.fail(local.error);
          report = local.value;
          if (!ctx.json) ctx.output.err('(no runtime is running: checked this host directly)');
        } else return ctx.fail(remote.error);
        ctx.output.out(ctx.json ? JSON.stringify(report) : formatDoctor(report));
        return doctorHasMissing(report) ? EXIT.DOCTOR_MISSING : EXIT.OK;
      }),
    );
}

function localDoctor(dataDir: string): Promise<Result<DoctorReport, RayosError>> {
  return runDaemonReport(['doctor', '--data', dataDir, '--json'], DoctorReportSchema, 'doctor', LOCAL_DOCTOR_TIMEOUT_MS);
}
