// Owns the public face of the default Linux guest builder: build (cached), install into a data dir, make a data disk.
import { type Result } from '../../src/base/result.js';
import { type RayosError } from '../../src/contracts/errors.js';
import { buildLinuxGuest, type BuildOptions, type BuiltGuest } from './build-guest.js';
import { installLinuxGuest, type InstallOutcome } from './install-image.js';

export { buildLinuxGuest, GUEST_KERNEL_CMDLINE, GUEST_MODULES, repoRoot } from './build-guest.js';
export type { BuildOptions, BuildProgress, BuildStep, BuiltGuest } from './build-guest.js';
export { installLinuxGuest, linuxImagesDir, readManifest, IMAGE_FILES } from './install-image.js';
export type { CurrentImage, InstallOutcome } from './install-image.js';
export { linuxGuestQemuArgs, type LinuxGuestQemuOptions } from './qemu-args.js';
export { GuestManifestSchema, type GuestManifest } from './cache-key.js';

export interface BuildAndInstallOutcome {
  readonly built: BuiltGuest;
  readonly installed: InstallOutcome;
}

/** Builds (or takes from the cache) and installs into <dataDir>/images/linux/<key>/, pointing `current` at it. */
export async function buildAndInstallLinuxGuest(dataDir: string, options: BuildOptions = {}): Promise<Result<BuildAndInstallOutcome, RayosError>> {
  const built = await buildLinuxGuest(options);
  if (!built.ok) return built;
  options.progress?.step('install', `Installing ${built.value.key} into ${dataDir}`);
  const installed = await installLinuxGuest(dataDir, built.value.dir);
  if (!installed.ok) return installed;
  return { ok: true, value: { built: built.value, installed: installed.value } };
}
