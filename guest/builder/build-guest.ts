// Owns building the default Linux guest image into the cache: resolve inputs → key, then kernel, modules, agent, initramfs, output.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../../src/base/result.js';
import { rayosError, type RayosError } from '../../src/contracts/errors.js';
import { GUEST_AGENT_PORT_NAME } from '../../src/contracts/guest-agent.js';
import { runCommand } from '../../src/platform/process/run-command.js';
import { agentSourceHashes, compileAgent, compilerIdentity } from './agent-compile.js';
import { BUILDER_VERSION, cacheKey, sha256, type GuestInputs, type GuestManifest } from './cache-key.js';
import { aptUpdate, BUSYBOX_PACKAGE, ensureDeb, extractDeb, pruneDebs, resolveGuestPackages, type KernelPackage } from './debian-packages.js';
import { buildInitramfs, INIT_SCRIPT } from './initramfs.js';
import { readManifest } from './install-image.js';
import { extractPvhKernel } from './kernel-image.js';
import { indexModuleTree, planModuleLoad } from '../../src/platform/initramfs/kernel-modules.js';

/**
 * What the guest needs: the virtio PCI transport, its agent port, its disk, ext4 (+ the crc32c it checksums with), input,
 * and virtio_net (+ net_failover, failover) so a NIC RayOS hot-plugs later binds at once (pciehp is built into the
 * Debian kernel). Loading it with no NIC present costs nothing: a fresh guest still has only "lo".
 */
export const GUEST_MODULES = ['virtio_pci', 'virtio_console', 'virtio_blk', 'crc32c_generic', 'ext4', 'virtio_input', 'evdev', 'virtio_net'] as const;

/**
 * The VGA console's driver, loaded by init in the background (never before the agent): bochs (QEMU's std VGA, with
 * drm, drm_kms_helper, ttm and the VRAM helpers) registers a framebuffer that the built-in fbcon takes tty1..63 onto.
 * Needed because the PVH boot leaves vgacon without a text mode to use.
 */
export const GUEST_DISPLAY_MODULES = ['bochs'] as const;

/**
 * Kernel command line, tuned for TCG boots. quiet: serial output is slow. panic=-1: reboot at once rather than
 * hang. 8250.nr_uarts=1: probe one UART, not four. cryptomgr.notests: no crypto self-tests. i8042.*: no PS/2
 * probing. tsc=reliable: no clocksource watchdog. mitigations=off (≈1.2 s under TCG): the guest runs only
 * what RayOS asks, as root, so there is nothing inside it for speculative-execution mitigations to separate.
 */
export const GUEST_KERNEL_CMDLINE =
  'console=ttyS0 quiet panic=-1 8250.nr_uarts=1 cryptomgr.notests i8042.noaux i8042.nomux i8042.nopnp tsc=reliable mitigations=off';

export type BuildStep = 'resolve' | 'kernel-package' | 'modules' | 'agent' | 'initramfs' | 'output' | 'install';

export interface BuildProgress {
  /** A build step begins. */
  step(step: BuildStep, message: string): void;
  /** Anything else worth telling the person watching. */
  info(message: string): void;
}

export interface BuildOptions {
  /** Default: <repo>/.cache/guest */
  readonly cacheDir?: string;
  /** Default: <repo>/guest/agent */
  readonly agentDir?: string;
  readonly progress?: BuildProgress;
}

export interface BuiltGuest {
  readonly key: string;
  /** The cache entry: vmlinuz, initrd.img, manifest.json. */
  readonly dir: string;
  readonly cached: boolean;
  readonly manifest: GuestManifest;
}

/** The repository root, found from this file's location (dist/guest/builder or guest/builder). */
export function repoRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'guest', 'agent', 'rayos-agent.c'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

const silent: BuildProgress = { step: () => {}, info: () => {} };

interface Resolved {
  readonly kernel: KernelPackage;
  readonly busyboxVersion: string;
  readonly inputs: GuestInputs;
  readonly key: string;
}

async function resolveInputs(agentDir: string): Promise<Result<Resolved, RayosError>> {
  const packages = await resolveGuestPackages();
  if (!packages.ok) return packages;
  const { kernel, busyboxVersion } = packages.value;
  const sources = await agentSourceHashes(agentDir);
  if (!sources.ok) return sources;
  const compiler = await compilerIdentity();
  if (!compiler.ok) return compiler;
  const inputs: GuestInputs = {
    builderVersion: BUILDER_VERSION,
    kernelPackage: kernel.name,
    kernelPackageVersion: kernel.version,
    busyboxVersion,
    agentSources: sources.value,
    compiler: compiler.value,
    initScript: INIT_SCRIPT,
    modules: [...GUEST_MODULES],
    displayModules: [...GUEST_DISPLAY_MODULES],
    kernelCmdline: GUEST_KERNEL_CMDLINE,
  };
  return ok({ kernel, busyboxVersion, inputs, key: cacheKey(inputs) });
}

async function cachedEntry(imagesDir: string, key: string): Promise<BuiltGuest | null> {
  const dir = join(imagesDir, key);
  const manifest = await readManifest(dir);
  if (!manifest.ok || manifest.value.key !== key) return null;
  if (!existsSync(join(dir, 'vmlinuz')) || !existsSync(join(dir, 'initrd.img'))) return null;
  return { key, dir, cached: true, manifest: manifest.value };
}

/** Builds the image for the current Debian packages and agent sources, or returns the cached one with the same inputs. */
export async function buildLinuxGuest(options: BuildOptions = {}): Promise<Result<BuiltGuest, RayosError>> {
  const progress = options.progress ?? silent;
  const root = repoRoot();
  if ((options.cacheDir === undefined || options.agentDir === undefined) && root === null) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', 'Cannot find the RayOS repository (guest/agent/rayos-agent.c) from the builder; pass cacheDir and agentDir.'));
  }
  const cacheDir = options.cacheDir ?? join(root as string, '.cache', 'guest');
  const agentDir = options.agentDir ?? join(root as string, 'guest', 'agent');
  const imagesDir = join(cacheDir, 'images');
  const downloadsDir = join(cacheDir, 'downloads');
  try {
    await mkdir(imagesDir, { recursive: true });
    await mkdir(join(cacheDir, 'tmp'), { recursive: true });
  } catch (error) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Cannot use the guest cache ${cacheDir}: ${(error as Error).message}.`));
  }

  let updated = false;
  for (;;) {
    progress.step('resolve', 'Finding the Debian kernel and busybox versions and hashing the build inputs');
    const resolved = await resolveInputs(agentDir);
    if (!resolved.ok) {
      if (updated || process.getuid?.() !== 0) return resolved;
      progress.info('apt has no usable package lists; running "apt-get update" once');
      const update = await aptUpdate();
      if (!update.ok) return update;
      updated = true;
      continue;
    }
    const { kernel, busyboxVersion, key } = resolved.value;
    const hit = await cachedEntry(imagesDir, key);
    if (hit !== null) {
      progress.info(`Image ${key} is in the cache (${hit.dir}); nothing to build`);
      return ok(hit);
    }
    progress.step('kernel-package', `Getting ${kernel.name} ${kernel.version} and ${BUSYBOX_PACKAGE} ${busyboxVersion} (first time: about 70 MB from Debian)`);
    const kdeb = await ensureDeb(kernel.name, kernel.version, downloadsDir);
    const bdeb = kdeb.ok ? await ensureDeb(BUSYBOX_PACKAGE, busyboxVersion, downloadsDir) : kdeb;
    if (!kdeb.ok || !bdeb.ok) {
      // Stale package lists name versions the mirror no longer has: refresh once (as root), then start over.
      if (updated || process.getuid?.() !== 0) return kdeb.ok ? (bdeb as Result<never, RayosError>) : kdeb;
      progress.info('The download failed; running "apt-get update" once and trying again');
      const update = await aptUpdate();
      if (!update.ok) return update;
      updated = true;
      continue;
    }
    const built = await buildFromDebs(resolved.value, kdeb.value.path, bdeb.value.path, { cacheDir, agentDir, imagesDir, progress });
    if (built.ok) {
      await pruneDebs(kernel.name, kernel.version, downloadsDir);
      await pruneDebs(BUSYBOX_PACKAGE, busyboxVersion, downloadsDir);
      await pruneImages(imagesDir, key);
    }
    return built;
  }
}

/** Older cache entries go once a new one is built (installed copies are hardlinks, so they stay intact). */
async function pruneImages(imagesDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(imagesDir).catch(() => [] as string[])) {
    if (entry !== keep && !entry.startsWith('.')) await rm(join(imagesDir, entry), { recursive: true, force: true });
  }
}

interface BuildContext {
  readonly cacheDir: string;
  readonly agentDir: string;
  readonly imagesDir: string;
  readonly progress: BuildProgress;
}

async function buildFromDebs(resolved: Resolved, kernelDeb: string, busyboxDeb: string, ctx: BuildContext): Promise<Result<BuiltGuest, RayosError>> {
  const { kernel, key } = resolved;
  const work = await mkdtemp(join(ctx.cacheDir, 'tmp', `build-${key}-`));
  try {
    const kdir = join(work, 'kernel');
    const bdir = join(work, 'busybox');
    for (const [deb, dir] of [[kernelDeb, kdir], [busyboxDeb, bdir]] as const) {
      const x = await extractDeb(deb, dir);
      if (!x.ok) return x;
    }
    const vmlinuz = join(kdir, 'boot', `vmlinuz-${kernel.kernelVersion}`);
    const modulesDir = [join(kdir, 'lib', 'modules', kernel.kernelVersion), join(kdir, 'usr', 'lib', 'modules', kernel.kernelVersion)].find((d) => existsSync(d));
    if (!existsSync(vmlinuz) || modulesDir === undefined) {
      return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `${kernel.name} does not hold boot/vmlinuz-${kernel.kernelVersion} and its modules; is it a Debian kernel image package?`));
    }

    ctx.progress.step('modules', `Choosing kernel modules: ${GUEST_MODULES.join(', ')} and what they need`);
    const tree = indexModuleTree(modulesDir);
    const plan = planModuleLoad(GUEST_MODULES, tree.catalog);
    if (!plan.ok) return plan;
    for (const m of plan.value.order) {
      if (m.vermagic !== null && !m.vermagic.startsWith(`${kernel.kernelVersion} `)) {
        return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Module ${m.name} was built for "${m.vermagic}", not ${kernel.kernelVersion}.`));
      }
    }
    // The display modules' own closure, less what the boot modules already loaded, in a valid order of its own.
    const all = planModuleLoad([...GUEST_MODULES, ...GUEST_DISPLAY_MODULES], tree.catalog);
    if (!all.ok) return all;
    const bootNames = new Set(plan.value.order.map((m) => m.name));
    const displayOrder = all.value.order.filter((m) => !bootNames.has(m.name));
    for (const m of displayOrder) {
      if (m.vermagic !== null && !m.vermagic.startsWith(`${kernel.kernelVersion} `)) {
        return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Module ${m.name} was built for "${m.vermagic}", not ${kernel.kernelVersion}.`));
      }
    }
    const unresolvedSoft = [...new Set([...plan.value.unresolvedSoft, ...all.value.unresolvedSoft])].sort();
    if (unresolvedSoft.length > 0) ctx.progress.info(`Soft dependencies left to the kernel: ${unresolvedSoft.join(', ')}`);
    ctx.progress.info(`Load order: ${plan.value.order.map((m) => m.name).join(' ')}; display, in the background: ${displayOrder.map((m) => m.name).join(' ')}`);

    ctx.progress.step('agent', 'Compiling the RayOS guest agent (static)');
    const agentPath = join(work, 'rayos-agent');
    const compiled = await compileAgent(ctx.agentDir, agentPath);
    if (!compiled.ok) return compiled;
    const agent = await readFile(agentPath);

    ctx.progress.step('initramfs', 'Writing the initramfs (busybox, init, agent, modules)');
    const busyboxPath = join(bdir, 'bin', 'busybox');
    const list = await runCommand([busyboxPath, '--list-full'], { deadlineMs: 30_000 });
    if (list.code !== 0) {
      return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Cannot list the busybox applets (${list.errorMessage ?? `exit ${list.code}`}); the builder runs busybox-static on this x86_64 host.`));
    }
    const modules = [];
    for (const m of plan.value.order) modules.push({ name: m.name, data: await readFile(tree.pathOf(m.name) as string) });
    const displayModules = [];
    for (const m of displayOrder) displayModules.push({ name: m.name, data: await readFile(tree.pathOf(m.name) as string) });
    const initrd = buildInitramfs({
      busybox: await readFile(busyboxPath),
      applets: list.stdout.split('\n').map((s) => s.trim()).filter((s) => s !== ''),
      agent,
      modules,
      displayModules,
    });

    ctx.progress.step('output', `Writing the image ${key}`);
    const out = join(work, 'out');
    await mkdir(out);
    const fast = await extractPvhKernel(vmlinuz, work);
    if (fast.ok) await writeFile(join(out, 'vmlinuz'), fast.elf);
    else {
      ctx.progress.info(`Using the compressed kernel as is (${fast.reason}); boots are several seconds slower under TCG`);
      await copyFile(vmlinuz, join(out, 'vmlinuz'));
    }
    await writeFile(join(out, 'initrd.img'), initrd);
    const manifest: GuestManifest = {
      key,
      builderVersion: BUILDER_VERSION,
      kernelPackage: kernel.name,
      kernelPackageVersion: kernel.version,
      kernelVersion: kernel.kernelVersion,
      kernelFormat: fast.ok ? 'elf-pvh' : 'bzimage',
      busyboxVersion: resolved.busyboxVersion,
      agentSha256: sha256(agent),
      modules: plan.value.order.map((m) => m.name),
      displayModules: displayOrder.map((m) => m.name),
      kernelCmdline: GUEST_KERNEL_CMDLINE,
      agentPort: GUEST_AGENT_PORT_NAME,
      builtAt: new Date().toISOString(),
      files: { kernel: 'vmlinuz', initrd: 'initrd.img' },
    };
    await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const dir = join(ctx.imagesDir, key);
    try {
      await rename(out, dir);
    } catch (error) {
      // Another build of the same inputs finished first: its entry is as good as ours.
      const other = await cachedEntry(ctx.imagesDir, key);
      if (other !== null) return ok(other);
      if (!existsSync(dir)) throw error;
      // A damaged entry (an interrupted copy by hand, a deleted file) under our key: replace it.
      await rm(dir, { recursive: true, force: true });
      await rename(out, dir);
    }
    return ok({ key, dir, cached: false, manifest });
  } catch (error) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Building the guest image failed: ${(error as Error).message}.`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
