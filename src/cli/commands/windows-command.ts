// Owns `rayos windows …`: the Windows subsystem's commands (check now; provisioning builds on it).
import type { Command } from 'commander';
import { WindowsCheckReportSchema } from '../../contracts/api-types.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { daemonMissingMessage, runDaemonReport } from '../daemon-entry.js';
import { doctorHasMissing, formatWindowsCheck } from '../format.js';

/** The KVM probe is bounded at 4 s and the whole check soon after; this only catches a runtime entry that hangs. */
const LOCAL_CHECK_TIMEOUT_MS = 90_000;

export function registerWindowsCommand(program: Command): void {
  const windows = program.command('windows').description('the Windows subsystem: a Windows 11 VM RayOS manages (you supply the installation image)');
  windows
    .command('check')
    .description("check what Windows 11 needs (TPM 2.0, Secure Boot, memory, CPUs, disk, acceleration) against RayOS's Windows profile and this host")
    .option('--json', 'print the WindowsCheckReport as JSON')
    .action(
      action(async (ctx) => {
        // A host check, not a question for a runtime: the runtime entry runs it in a short-lived process, whether or not one is up.
        const missing = daemonMissingMessage();
        if (missing !== null) {
          ctx.output.err(missing);
          return EXIT.FAILURE;
        }
        const result = await runDaemonReport(['windows-check', '--data', ctx.dataDir, '--json'], WindowsCheckReportSchema, 'Windows check', LOCAL_CHECK_TIMEOUT_MS);
        if (!result.ok) return ctx.fail(result.error);
        ctx.output.out(ctx.json ? JSON.stringify(result.value) : formatWindowsCheck(result.value));
        return doctorHasMissing(result.value) ? EXIT.DOCTOR_MISSING : EXIT.OK;
      }),
    );
}
