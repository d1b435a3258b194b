// Owns installing a built guest image into a data directory: images/linux/<key>/ (hardlinked, atomic) and images/linux/current.
import { copyFile, link, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../src/base/result.js';
import { rayosError, type RayosError } from '../../src/contracts/errors.js';
import { fsyncDirectory, writeFileAtomic } from '../../src/platform/fs/atomic-write.js';
import { GuestManifestSchema, type GuestManifest } from './cache-key.js';

export const IMAGE_FILES = ['vmlinuz', 'initrd.img', 'manifest.json'] as const;

/** <data>/images/linux: one folder per image key, and `current` naming the one to use. */
export const linuxImagesDir = (dataDir: string): string => join(dataDir, 'images', 'linux');

/** What `current` holds: the key of the image to boot and the kernel command line it needs. */
export interface CurrentImage {
  readonly key: string;
  readonly cmdline: string;
}

/** Reads and checks an image folder's manifest.json (the folder may be from another build or damaged). */
export async function readManifest(imageDir: string): Promise<Result<GuestManifest, RayosError>> {
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(await readFile(join(imageDir, 'manifest.json'), 'utf8'));
  } catch (error) {
    return err(rayosError('RAYOS_GUEST_IMAGE_MISSING', `No readable guest image in ${imageDir} (${(error as Error).message}); run "rayos guest build".`));
  }
  const parsed = GuestManifestSchema.safeParse(untrusted);
  if (!parsed.success) return err(rayosError('RAYOS_GUEST_IMAGE_MISSING', `The guest image manifest in ${imageDir} is not valid; run "rayos guest build" again.`));
  return ok(parsed.data);
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    // Another filesystem (EXDEV) or no hardlinks allowed: a copy is as good, only bigger.
    await copyFile(from, to);
  }
}

export interface InstallOutcome {
  readonly key: string;
  /** The installed image folder, <data>/images/linux/<key>. */
  readonly dir: string;
  /** False when that folder was already there (only `current` was written). */
  readonly copied: boolean;
}

/**
 * Puts the image from `sourceDir` (a cache entry) at <data>/images/linux/<key>/ and points `current` at it.
 * The folder appears complete or not at all (built beside it, then renamed); `current` is replaced atomically.
 */
export async function installLinuxGuest(dataDir: string, sourceDir: string): Promise<Result<InstallOutcome, RayosError>> {
  const manifest = await readManifest(sourceDir);
  if (!manifest.ok) return manifest;
  const { key, kernelCmdline } = manifest.value;
  const root = linuxImagesDir(dataDir);
  const target = join(root, key);
  let copied = false;
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const present = await readManifest(target);
    if (!present.ok || present.value.key !== key) {
      const temp = join(root, `.install-${key}-${process.pid}-${Date.now()}`);
      await rm(temp, { recursive: true, force: true });
      await mkdir(temp, { mode: 0o755 });
      try {
        for (const f of IMAGE_FILES) await linkOrCopy(join(sourceDir, f), join(temp, f));
        // A damaged folder under the name (no valid manifest) is replaced; a valid one was kept above.
        await rm(target, { recursive: true, force: true });
        await rename(temp, target);
        fsyncDirectory(root);
        copied = true;
      } finally {
        await rm(temp, { recursive: true, force: true });
      }
    }
    const current: CurrentImage = { key, cmdline: kernelCmdline };
    writeFileAtomic(join(root, 'current'), `${JSON.stringify(current)}\n`);
  } catch (error) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Installing the guest image into ${root} failed: ${(error as Error).message}.`, { dataDir }));
  }
  return ok({ key, dir: target, copied });
}
