// Owns `rayos up`: runs the runtime in the foreground as a child process and exits with its exit code.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { runForegroundChild } from '../foreground-child.js';
import { collectSet, integerArg } from '../arg-parsers.js';
import { DAEMON_ENTRY, GUEST_BUILD_ENTRY, daemonMissingMessage, runGuestBuild } from '../daemon-entry.js';

interface UpOptions {
  port?: number;
  set: string[];
  guest: boolean;
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the RayOS runtime in the foreground (Ctrl-C stops it)')
    .option('--port <n>', 'TCP port of the API on 127.0.0.1 (0 picks a free one)', integerArg(0, 65_535))
    .option('--set <key=value>', 'set a config key for this run (repeatable)', collectSet, [])
    .option('--no-guest', 'do not build or install the default Linux guest image first')
    .action(
      action<UpOptions>(async (ctx, options) => {
        const missing = daemonMissingMessage();
        if (missing !== null) {
          ctx.output.err(missing);
          return EXIT.FAILURE;
        }
        if (options.guest && existsSync(GUEST_BUILD_ENTRY)) {
          // Without an image the runtime still runs (RAYOS_LINUX:IMAGE_MISSING); say why rather than stopping.
          const built = await runGuestBuild(ctx.dataDir);
          if (built !== 0) ctx.output.err('rayos up: the default Linux guest could not be built (see above); starting without it. Retry with "rayos guest build".');
        }
        const args = ['run', '--data', ctx.dataDir, ...(options.port === undefined ? [] : ['--port', String(options.port)]), ...options.set.flatMap((s) => ['--set', s])];
        return runForeground(args);
      }),
    );
}

function runForeground(args: string[]): Promise<number> {
  return runForegroundChild(DAEMON_ENTRY, args);
}
