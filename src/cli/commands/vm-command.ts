// Owns `rayos vm …`: list, show, start, stop, pause, resume, suspend, snapshot, restore, reset, logs, clock, exec, network.
import type { Command } from 'commander';
import type { ClientResult } from '../../client/api.js';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import type { VmView } from '../../contracts/vm.js';
import { action } from '../action.js';
import { integerArg } from '../arg-parsers.js';
import type { CommandContext } from '../context.js';
import { formatUptime, table } from '../format.js';

export function formatVm(vm: VmView): string {
  const guest = vm.guest.ready ? `ready (agent ${vm.guest.agentVersion}, boot ${vm.guest.bootId?.slice(0, 8)}, up ${formatUptime(vm.guest.uptimeMs ?? 0)})` : 'not ready';
  return table([
    ['name', vm.name],
    ['id', vm.id],
    ['kind', vm.kind],
    ['state', `${vm.state}${vm.presentation === null ? '' : ` (${vm.presentation})`}${vm.reason === null ? '' : ` — ${vm.reason}`}`],
    ['desired', vm.desiredState],
    ['on runtime stop', vm.stopProfile],
    ['qemu pid', vm.pid === null ? '-' : `${vm.pid} (${vm.accel})`],
    ['memory, vcpus', `${vm.memoryMiB} MiB, ${vm.vcpus}`],
    ['boots', String(vm.bootCount)],
    ['saved state', vm.savedStateTag ?? '-'],
    ['network', vm.network ? 'on (user mode, 10.0.2.15; the host is 10.0.2.2)' : 'off'],
    ['guest', guest],
    ...vm.disks.map((d) => [`disk ${d.nodeName}`, `${d.path} (${d.format})`]),
  ]).join('\n');
}

/** Prints the VM (or its JSON) after an operation, or the error. */
async function report(ctx: CommandContext, pending: ClientResult<VmView>, done: (vm: VmView) => string): Promise<number> {
  const result = await pending;
  if (!result.ok) return ctx.fail(result.error);
  ctx.output.out(ctx.json ? JSON.stringify(result.value) : done(result.value));
  return EXIT.OK;
}

export function registerVmCommand(program: Command): void {
  const vm = program.command('vm').description('manage the VMs RayOS supervises (the Linux subsystem is "linux")');

  vm.command('list')
    .description('every VM with its state')
    .option('--json', 'print {vms: VmView[]}')
    .action(
      action(async (ctx) => {
        const list = await ctx.client().vms.list();
        if (!list.ok) return ctx.fail(list.error);
        if (ctx.json) ctx.output.out(JSON.stringify(list.value));
        else if (list.value.vms.length === 0) ctx.output.out('No VMs. The Linux subsystem is created on "rayos up" once its image is built ("rayos guest build").');
        else ctx.output.out(table([['NAME', 'KIND', 'STATE', 'PID', 'GUEST', 'BOOTS'], ...list.value.vms.map((v) => [v.name, v.kind, v.state, v.pid === null ? '-' : String(v.pid), v.guest.ready ? 'ready' : '-', String(v.bootCount)])]).join('\n'));
        return EXIT.OK;
      }),
    );

  vm.command('show <name>')
    .description('one VM: identity, state, QEMU process, guest')
    .option('--json', 'print the VmView')
    .action(action(async (ctx, _o, [name]) => report(ctx, ctx.client().vms.show(name!), formatVm)));

  const simple: [string, string, (ctx: CommandContext, name: string) => ClientResult<VmView>, string][] = [
    ['start', 'start a VM hidden: resume its saved state if it has one, else boot its disk', (ctx, n) => ctx.client().vms.start(n), 'started'],
    ['pause', 'stop the vCPUs (RAM is kept)', (ctx, n) => ctx.client().vms.pause(n), 'paused'],
    ['resume', 'continue a paused VM, or resume a suspended one from its saved state', (ctx, n) => ctx.client().vms.resume(n), 'resumed'],
    ['suspend', 'save the whole VM into its disk and stop QEMU; "start" or "resume" brings it back', (ctx, n) => ctx.client().vms.suspend(n), 'suspended'],
  ];
  for (const [verb, description, call, pastTense] of simple) {
    vm.command(`${verb} <name>`)
      .description(description)
      .option('--json', 'print the VmView afterwards')
      .action(action(async (ctx, _o, [name]) => report(ctx, call(ctx, name!), (v) => `${v.name} ${pastTense}: ${v.state}${v.pid === null ? '' : `, QEMU pid ${v.pid}`}.`)));
  }

  vm.command('stop <name>')
    .description('ask the guest to power off (agent, else ACPI); quit QEMU after --timeout')
    .option('--force', 'do not ask the guest; quit QEMU at once')
    .option('--timeout <ms>', 'how long the guest gets to power off', integerArg(1, 600_000), 30_000)
    .option('--json', 'print the VmView afterwards')
    .action(
      action<{ force?: boolean; timeout: number }>(async (ctx, options, [name]) =>
        report(ctx, ctx.client().vms.stop(name!, { force: options.force === true, timeoutMs: options.timeout }), (v) => `${v.name} stopped.`),
      ),
    );

  vm.command('snapshot <name>')
    .description('save a named snapshot (RAM and disk) of a running VM into its disk; without --tag, list them')
    .option('--tag <tag>', 'snapshot name (A-Z a-z 0-9 . _ -)')
    .option('--json', 'print JSON')
    .action(
      action<{ tag?: string }>(async (ctx, options, [name]) => {
        if (options.tag !== undefined) return report(ctx, ctx.client().vms.snapshot(name!, options.tag), (v) => `${v.name}: snapshot ${options.tag} saved.`);
        const list = await ctx.client().vms.snapshots(name!);
        if (!list.ok) return ctx.fail(list.error);
        if (ctx.json) ctx.output.out(JSON.stringify(list.value));
        else if (list.value.snapshots.length === 0) ctx.output.out(`${name} has no snapshots; "rayos vm snapshot ${name} --tag NAME" saves one.`);
        else ctx.output.out(table([['TAG', 'STATE BYTES', 'SAVED'], ...list.value.snapshots.map((s) => [s.tag, String(s.vmStateBytes), s.createdAt])]).join('\n'));
        return EXIT.OK;
      }),
    );

  vm.command('restore <name>')
    .description('load a named snapshot into a running VM (RAM and disk go back to it)')
    .requiredOption('--tag <tag>', 'the snapshot to load')
    .option('--json', 'print the VmView afterwards')
    .action(action<{ tag: string }>(async (ctx, options, [name]) => report(ctx, ctx.client().vms.restore(name!, options.tag), (v) => `${v.name}: restored snapshot ${options.tag}.`)));

  vm.command('reset <name>')
    .description('DESTROY the VM disk and saved state and start it fresh (needs --yes)')
    .option('--yes', 'confirm that the disk and everything on it is lost')
    .option('--json', 'print the VmView afterwards')
    .action(
      action<{ yes?: boolean }>(async (ctx, options, [name]) => {
        if (options.yes !== true) {
          return ctx.fail(rayosError('RAYOS_VM_CONFIRM_REQUIRED', `reset destroys the disk of ${name} and everything on it; run "rayos vm reset ${name} --yes" if you mean it.`));
        }
        return report(ctx, ctx.client().vms.reset(name!), (v) => `${v.name} was reset: fresh disk, now ${v.state}.`);
      }),
    );

  vm.command('logs <name>')
    .description('the last lines of the VM serial console')
    .option('--lines <n>', 'how many lines', integerArg(1, 10_000), 200)
    .option('--json', 'print {name, path, lines}')
    .action(
      action<{ lines: number }>(async (ctx, options, [name]) => {
        const logs = await ctx.client().vms.logs(name!, options.lines);
        if (!logs.ok) return ctx.fail(logs.error);
        ctx.output.out(ctx.json ? JSON.stringify(logs.value) : logs.value.lines.join('\n'));
        return EXIT.OK;
      }),
    );

  vm.command('clock <name>')
    .description("the guest's clock against the host's (best of a few agent pings): offset and how sure that is")
    .option('--json', 'print the GuestClock')
    .action(
      action(async (ctx, _o, [name]) => {
        const clock = await ctx.client().vms.clock(name!);
        if (!clock.ok) return ctx.fail(clock.error);
        const c = clock.value;
        ctx.output.out(ctx.json ? JSON.stringify(c) : `${name} guest clock is ${c.offsetMs >= 0 ? 'ahead of' : 'behind'} the host by ${Math.abs(c.offsetMs).toFixed(1)} ms (± ${c.uncertaintyMs.toFixed(2)} ms, best of ${c.samples} pings).`);
        return EXIT.OK;
      }),
    );

  vm.command('network <name> <state>')
    .description('turn guest networking on or off (QEMU user mode): hot-plugged while the VM runs, else at its next start')
    .option('--json', 'print the VmView afterwards')
    .action(
      action(async (ctx, _o, [name, state]) => {
        if (state !== 'on' && state !== 'off') return ctx.fail(rayosError('RAYOS_CLI_USAGE', `"${state}" is not a network state: use "rayos vm network ${name} on" or "... off".`));
        const enabled = state === 'on';
        return report(ctx, ctx.client().vms.network(name!, enabled), (v) =>
          v.state === 'running'
            ? `${v.name}: network ${state}${enabled ? ' (eth0 10.0.2.15/24, default route via 10.0.2.2, which is the host)' : ' (NIC unplugged)'}.`
            : `${v.name}: network ${state}; ${v.name} is ${v.state}, so this applies at its next start.`,
        );
      }),
    );

  vm.command('exec <name> <command...>')
    .description('run a command in the guest through its agent (the RayOS agent, or qemu-ga in a Windows-profile VM): rayos vm exec linux -- uname -a (exits with its exit code)')
    .option('--timeout <ms>', 'kill the command after this long', integerArg(1, 3_600_000), 30_000)
    .option('--json', 'print {exitCode, stdout, stderr, truncated, timedOut}')
    .action(
      action<{ timeout: number }>(async (ctx, options, [name, ...argv]) => {
        const result = await ctx.client().vms.exec(name!, argv, { timeoutMs: options.timeout });
        if (!result.ok) return ctx.fail(result.error);
        const run = result.value;
        if (ctx.json) {
          ctx.output.out(JSON.stringify(run));
          return EXIT.OK;
        }
        if (run.stdout !== '') process.stdout.write(run.stdout);
        if (run.stderr !== '') process.stderr.write(run.stderr);
        if (run.truncated) ctx.output.err('(output truncated by the guest agent)');
        if (run.timedOut) ctx.output.err(`(killed after ${options.timeout} ms)`);
        // The guest's exit code, so scripts can test it; 0–255 like a shell.
        return run.exitCode & 0xff;
      }),
    );
}
