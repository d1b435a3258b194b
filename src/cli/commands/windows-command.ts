// Owns `rayos windows …`: the Windows subsystem's commands: check (a host report) and provision (through the runtime).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { rayosError } from '../../contracts/errors.js';
import { WindowsCheckReportSchema } from '../../contracts/api-types.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import type { CommandContext } from '../context.js';
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

  windows
    .command('provision')
    .description('make the Windows VM once from your Windows 11 installation image (64 GiB sparse disk, Secure Boot UEFI variables, TPM 2.0) and boot its installer, hidden until you present it')
    .option('--iso <path>', 'the Windows installation ISO (RayOS never ships Windows)')
    .option('--drivers <path>', 'a driver ISO (e.g. virtio-win) attached beside the installer')
    .option('--replace', 'DESTROY an existing Windows VM (its disk, UEFI variables and TPM state) and make it again; needs --yes')
    .option('--yes', 'confirm --replace')
    .option('--no-start', 'only make the VM; "rayos vm start windows" boots the installer later')
    .option('--hidden', 'boot the installer without presenting it ("rayos show windows desktop" presents it)')
    .option('--json', 'print the WindowsProvisionResult')
    .action(
      action<{ iso?: string; drivers?: string; replace?: boolean; yes?: boolean; start: boolean; hidden?: boolean }>(async (ctx, options) => {
        if (options.iso === undefined) {
          return ctx.fail(rayosError('RAYOS_WINDOWS_ISO_MISSING', 'Provisioning needs the Windows installation image: "rayos windows provision --iso PATH" (RayOS never ships Windows; download the Windows 11 ISO from Microsoft).'));
        }
        if (options.replace === true && options.yes !== true) {
          return ctx.fail(
            rayosError('RAYOS_VM_CONFIRM_REQUIRED', '--replace destroys the Windows VM: its system disk (Windows and everything installed on it), its UEFI variables and its TPM state (BitLocker keys, Windows activation). Add --yes if you mean it.'),
          );
        }
        // The runtime reads the files, from its own working directory: relative paths are made absolute here.
        const result = await ctx.client().vms.provisionWindows({
          iso: resolve(options.iso),
          ...(options.drivers === undefined ? {} : { drivers: resolve(options.drivers) }),
          replace: options.replace === true,
          confirm: options.replace === true && options.yes === true,
          start: options.start,
        });
        if (!result.ok) return ctx.fail(result.error);
        const r = result.value;
        // The person provisions to install: the installer is presented (policy decides) unless asked to stay hidden.
        let shown: string;
        if (r.vm.state !== 'running' || options.hidden === true) shown = `Present it to install Windows: rayos show ${r.vm.name} desktop`;
        else {
          const presented = await presentWhenItHasASurface(ctx, r.vm.name);
          shown = presented.ok ? `Presented: install Windows in its window in the RayOS UI (the address "rayos up" printed).` : `Not presented (${presented.error.code}: ${presented.error.message}); "rayos show ${r.vm.name} desktop" presents it.`;
        }
        ctx.output.out(
          ctx.json
            ? JSON.stringify(r)
            : [
                `${r.vm.name} ${r.replaced ? 'was replaced' : 'is provisioned'}: ${r.vm.memoryMiB} MiB, ${r.vm.vcpus} vCPUs, Secure Boot, TPM 2.0; now ${r.vm.state}${r.vm.reason === null ? '' : ` (${r.vm.reason})`}.`,
                `installer: ${r.iso}${r.drivers === null ? '' : `, drivers: ${r.drivers}`} (attached to its first boot only)`,
                `disk: ${r.files.disk}`,
                `UEFI variables: ${r.files.vars}`,
                `TPM state: ${r.files.tpmState}`,
                shown,
              ].join('\n'),
        );
        return EXIT.OK;
      }),
    );
}

/** How long a just-started VM may take to get its surface (the display service makes it from the first display mode). */
const SURFACE_WAIT_MS = 15_000;

/** Presents the VM's surface, waiting a bounded while for the display service to make it for a VM that just started. */
async function presentWhenItHasASurface(ctx: CommandContext, vm: string): ReturnType<ReturnType<CommandContext['client']>['surfaces']['present']> {
  const deadline = Date.now() + SURFACE_WAIT_MS;
  for (;;) {
    const presented = await ctx.client().surfaces.present(vm);
    const waiting = !presented.ok && (presented.error.code === 'RAYOS_DISPLAY_SURFACE_NOT_FOUND' || presented.error.code === 'RAYOS_DISPLAY_SURFACE_UNAVAILABLE');
    if (!waiting || Date.now() > deadline) return presented;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
