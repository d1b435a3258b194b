// Owns `rayos doctor`: host readiness from the running runtime, or checked locally by the runtime entry when none runs.
import type { Command } from 'commander';
import { err, ok, type Result } from '../../base/result.js';
import { DoctorReportSchema, type DoctorReport } from '../../contracts/api-types.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { daemonMissingMessage, runDaemonCaptured } from '../daemon-entry.js';
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

async function localDoctor(dataDir: string): Promise<Result<DoctorReport, RayosError>> {
  const run = await runDaemonCaptured(['doctor', '--data', dataDir, '--json'], LOCAL_DOCTOR_TIMEOUT_MS);
  if (!run.ok) return err(rayosError('RAYOS_CLI_PROTOCOL', `The local doctor could not run: ${run.error}.`));
  const { code, stdout, stderr } = run.value;
  // The report is the last line; anything before it is not ours to read.
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(lastLine);
  } catch {
    untrusted = undefined;
  }
  const report = DoctorReportSchema.safeParse(untrusted);
  if (report.success) return ok(report.data);
  const lines = stderr.trim().split('\n');
  // Node's crash output puts the useful sentence on the "Error…" line, not at the end.
  const said = (lines.find((l) => /^\w*Error\b|^RAYOS_/.test(l)) ?? lines.slice(-2).join(' ')).trim();
  return err(rayosError('RAYOS_CLI_PROTOCOL', `The local doctor (exit ${code}) printed no report this CLI can read${said === '' ? '' : `: ${said}`}; check that the CLI and runtime are built from the same tree (npx tsc -b).`));
}
