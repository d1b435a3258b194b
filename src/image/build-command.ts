// Owns `rayos image build`: the installable image from Debian packages and this checkout, with a progress line per step.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { z } from 'zod';
import { MIB } from './disk-layout.js';
import { buildSystemParts, checkoutVersion, writeInstalledDisk } from './image-build.js';
import { writeMedium } from './medium-writer.js';

/** The checkout this program was compiled from (dist/src/image → the repository root). */
export function checkoutRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'image'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

const BuildArgs = z.object({
  out: z.string().min(1).optional(),
  disk: z.string().min(1).optional(),
  diskSize: z.coerce.number().int().min(13).max(65_536),
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._~^-]{0,63}$/, 'letters, digits and . _ ~ ^ - (no "+")').optional(),
  consoleShell: z.boolean(),
  cache: z.string().min(1).optional(),
});

export function registerBuildCommand(program: Command): void {
  const image = program.command('image').description('build the installable RayOS image');
  image
    .command('build')
    .description('build RayOS for installing: the root image, kernel and boot files; --disk writes a ready-installed disk image')
    .option('--out <file>', 'the installer/USB image to write (default rayos.img)')
    .option('--disk <file>', 'also write a disk image with RayOS already installed (boots by itself under UEFI)')
    .option('--disk-size <GiB>', 'size of the --disk image (sparse)', '13')
    .option('--version <v>', 'the RayOS version to name the boot entry (default: package.json)')
    .option('--console-shell', 'development/test builds: a root shell on the serial console without a password', false)
    .option('--cache <dir>', 'build cache (default <repo>/.cache/image)')
    .action(async (untrustedOptions: Record<string, unknown>) => {
      process.exitCode = await build(untrustedOptions);
    });
}

async function build(untrustedOptions: Record<string, unknown>): Promise<number> {
  const parsed = BuildArgs.safeParse(untrustedOptions);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`RAYOS_CLI_USAGE: --${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message ?? 'invalid'}. See rayos image build --help.\n`);
    return 2;
  }
  const args = parsed.data;
  const repoRoot = checkoutRoot();
  if (repoRoot === null) {
    process.stderr.write('RAYOS_IMAGE_BUILD_FAILED: rayos image build runs from a RayOS checkout (it packs this checkout); run it as ./rayos image build.\n');
    return 1;
  }
  const began = Date.now();
  const progress = (name: string, detail?: string): void => {
    process.stdout.write(`RAYOS_IMAGE:STEP:${name}\n`);
    process.stderr.write(`[image ${((Date.now() - began) / 1000).toFixed(1)} s] ${name}${detail ? `: ${detail}` : ''}\n`);
  };
  const version = args.version ?? (await checkoutVersion(repoRoot));
  const parts = await buildSystemParts({ repoRoot, cacheDir: resolve(args.cache ?? join(repoRoot, '.cache', 'image')), version, consoleShell: args.consoleShell, onProgress: progress });
  if (!parts.ok) {
    process.stderr.write(`${parts.error.code}: ${parts.error.message}\n`);
    return 1;
  }
  const outPath = resolve(args.out ?? 'rayos.img');
  const medium = await writeMedium(parts.value, outPath, (what) => progress('medium', what));
  if (!medium.ok) {
    process.stderr.write(`${medium.error.code}: ${medium.error.message}\n`);
    return 1;
  }
  process.stdout.write(`RAYOS_IMAGE:MEDIUM_WRITTEN:${outPath}\n`);
  if (args.disk !== undefined) {
    const diskPath = resolve(args.disk);
    const disk = await writeInstalledDisk(parts.value, diskPath, args.diskSize * 1024 * MIB, (what) => progress('disk', what));
    if (!disk.ok) {
      process.stderr.write(`${disk.error.code}: ${disk.error.message}\n`);
      return 1;
    }
    process.stdout.write(`RAYOS_IMAGE:DISK_WRITTEN:${diskPath}\n`);
  }
  process.stdout.write(`RAYOS_IMAGE:BUILT:${version}\n`);
  process.stderr.write(
    `Built RayOS ${version} in ${((Date.now() - began) / 1000).toFixed(1)} s: installer image ${outPath} (${Math.round(medium.value.bytes / MIB)} MiB; write it to a USB stick with dd), root image ${Math.round(parts.value.rootImageBytes / MIB)} MiB.\n`,
  );
  return 0;
}
