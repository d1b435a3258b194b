// Owns `rayos guest build`: builds (or takes from the cache) the default Linux subsystem image and installs it in the data dir.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { GUEST_BUILD_ENTRY, runGuestBuild } from '../daemon-entry.js';

export function registerGuestCommand(program: Command): void {
  const guest = program.command('guest').description('the default Linux subsystem image (built from Debian packages)');
  guest
    .command('build')
    .description('build the default Linux guest (Debian kernel, busybox initramfs, RayOS agent) and install it in the data dir; cached by its inputs')
    .option('--json', 'print a JSON summary {key, dir, cached} last')
    .action(
      action(async (ctx) => {
        if (!existsSync(GUEST_BUILD_ENTRY)) {
          ctx.output.err(`The guest builder is not built (no ${GUEST_BUILD_ENTRY}); run ./rayos setup.`);
          return EXIT.FAILURE;
        }
        return runGuestBuild(ctx.dataDir, ctx.json ? ['--json'] : []);
      }),
    );
}
