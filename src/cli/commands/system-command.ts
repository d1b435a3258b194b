// Owns the installed-system commands (`image`, `install`, `bootmgr`, `recovery`, `crash`, `update`): each runs the image program (src/image/image-main.js) as a child, never as an import.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EXIT } from '../../contracts/exit-codes.js';
import { runForegroundChild } from '../foreground-child.js';

/** The compiled image program beside this CLI (dist/src/image/image-main.js). */
export const IMAGE_ENTRY = fileURLToPath(new URL('../../image/image-main.js', import.meta.url));

const SYSTEM_COMMANDS: readonly (readonly [string, string])[] = [
  ['image', 'build the installable RayOS image (rayos image build --help)'],
  ['install', 'install RayOS from this medium onto a disk (rayos install --help)'],
  ['bootmgr', 'the boot manager: list, status, bless, set-next (rayos bootmgr --help)'],
  ['recovery', 'boot into the recovery system next (once)'],
  ['crash', 'crash artifacts kept across reboots: list, show (rayos crash --help)'],
  ['update', 'A/B updates: apply an image to the inactive root slot (rayos update --help)'],
];

export function registerSystemCommands(program: Command): void {
  for (const [name, description] of SYSTEM_COMMANDS) {
    program
      .command(name)
      .description(description)
      .helpOption(false)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .argument('[args...]')
      .action(async (args: string[]) => {
        // The global --data is the CLI's; the image program reads the same directory from RAYOS_DATA.
        const data = (program.opts() as { data?: string }).data;
        process.exitCode = await runImageProgram([name, ...args], data);
      });
  }
}

function runImageProgram(args: string[], dataDir: string | undefined): Promise<number> {
  if (!existsSync(IMAGE_ENTRY)) {
    process.stderr.write(`RAYOS_CLI_NOT_BUILT: the image program is not built (no ${IMAGE_ENTRY}); run "npx tsc -b" or ./rayos setup.\n`);
    return Promise.resolve(EXIT.FAILURE);
  }
  return runForegroundChild(IMAGE_ENTRY, args, dataDir === undefined ? process.env : { ...process.env, RAYOS_DATA: dataDir });
}
