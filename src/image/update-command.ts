// Owns `rayos update apply IMAGE`: an A/B update from an installer image, on the command line.
import type { Command } from 'commander';
import { z } from 'zod';
import { findEsp } from './bootmgr.js';
import { applyUpdate } from './system-update.js';

const UpdateArgs = z.object({ esp: z.string().min(1).optional() });

export function registerUpdateCommands(program: Command): void {
  const update = program.command('update').description('A/B updates of an installed RayOS');
  update
    .command('apply')
    .description('write a new RayOS version (its installer image) into the root slot not running; it boots next, and falls back if it never reaches READY')
    .argument('<image>', 'the installer image of the new version (a file, or a disk holding it)')
    .option('--esp <dir>', 'the EFI system partition (default: /efi, /boot/efi or /boot)')
    .action(async (image: string, untrustedOptions: Record<string, unknown>) => {
      const options = UpdateArgs.safeParse(untrustedOptions);
      if (!options.success) {
        process.stderr.write(`RAYOS_CLI_USAGE: ${options.error.issues[0]?.message ?? 'invalid'}. See rayos update apply --help.\n`);
        process.exitCode = 2;
        return;
      }
      const esp = options.data.esp ?? (await findEsp());
      if (esp === null) {
        process.stderr.write('RAYOS_UPDATE_FAILED: No EFI system partition is mounted (/efi, /boot/efi, /boot); pass --esp.\n');
        process.exitCode = 1;
        return;
      }
      const applied = await applyUpdate({ image, esp, progress: (line) => process.stderr.write(`${line}\n`), marker: (line) => process.stdout.write(`${line}\n`) });
      if (!applied.ok) {
        process.stderr.write(`${applied.error.code}: ${applied.error.message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`RayOS ${applied.value.version} is in ${applied.value.slot} and boots next (${applied.value.entry}, three tries). Restart to use it.\n`);
    });
}
