// Owns `rayos install` on the command line: flags validated, questions asked on the terminal, errors as stable codes.
import { createInterface, type Interface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { runInstall, type InstallRequest } from './installer.js';

const InstallArgs = z.object({
  target: z.string().min(1, 'name the disk to install on, e.g. --target /dev/sdb'),
  yes: z.boolean(),
  medium: z.string().min(1).optional(),
  linuxStorage: z.string().min(1, 'name a whole disk, e.g. --linux-storage /dev/sdc').optional(),
  windowsStorage: z.string().min(1, 'name a whole disk, e.g. --windows-storage /dev/sdd').optional(),
});

/** A question on the terminal, answered by one line; end of input answers "" (which declines). */
export function terminalAsker(lines: Interface): (question: string) => Promise<string> {
  const pending: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let closed = false;
  lines.on('line', (line) => (waiting.shift() ?? ((l: string) => pending.push(l)))(line));
  lines.on('close', () => {
    closed = true;
    for (const wake of waiting.splice(0)) wake('');
  });
  return (question) => {
    process.stdout.write(question);
    const ready = pending.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (closed) return Promise.resolve('');
    return new Promise((resolve) => waiting.push(resolve));
  };
}

export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('install RayOS onto a disk from the installer medium (asks twice before it wipes anything)')
    .option('--target <disk>', 'the disk to install on (e.g. /dev/sdb); rayos install lists the disks it sees')
    .option('--yes', 'do not ask: wipe the target at once (scripts)', false)
    .option('--medium <disk-or-image>', 'the installer medium (default: the disk this system booted from)')
    .option('--linux-storage <disk>', 'a second whole disk to erase and keep the Linux VMs on (default: the data volume)')
    .option('--windows-storage <disk>', 'a whole disk to erase and keep the Windows VMs on (default: the data volume)')
    .action(async (untrustedOptions: Record<string, unknown>) => {
      const parsed = InstallArgs.safeParse({ ...untrustedOptions, target: untrustedOptions['target'] ?? '' });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        process.stderr.write(`RAYOS_CLI_USAGE: --${String(issue?.path[0] ?? 'target').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message ?? 'invalid'}. See rayos install --help.\n`);
        process.exitCode = 2;
        return;
      }
      const lines = createInterface({ input: process.stdin, terminal: false });
      try {
        const request: InstallRequest = {
          target: parsed.data.target,
          yes: parsed.data.yes,
          ...(parsed.data.medium === undefined ? {} : { medium: parsed.data.medium }),
          ...(parsed.data.linuxStorage === undefined ? {} : { linuxStorage: parsed.data.linuxStorage }),
          ...(parsed.data.windowsStorage === undefined ? {} : { windowsStorage: parsed.data.windowsStorage }),
          ask: terminalAsker(lines),
          say: (line) => process.stderr.write(`${line}\n`),
          marker: (line) => process.stdout.write(`${line}\n`),
        };
        const outcome = await runInstall(request);
        if (!outcome.ok) {
          process.stderr.write(`${outcome.error.code}: ${outcome.error.message}\n`);
          process.exitCode = 1;
          return;
        }
        process.stderr.write(`RayOS ${outcome.value.version} is installed on ${outcome.value.target} in ${outcome.value.seconds.toFixed(1)} s. Remove the installer medium and restart.\n`);
      } finally {
        lines.close();
      }
    });
}
