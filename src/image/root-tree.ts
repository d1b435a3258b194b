// Owns debootstrapped Debian trees cached by their inputs: the root of an installed RayOS (minbase + systemd + kernel + QEMU/OVMF/swtpm + disk tools), and any other tree a caller names by its packages.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';

export const ROOT_SUITE = 'bookworm';
/** Bump when what the builder does to a tree changes, so old cache entries are not reused. */
export const ROOT_TREE_VERSION = 1;

/**
 * What the installed system needs beyond minbase: systemd as PID 1 with boot counting (systemd-boot's bootctl and
 * systemd-bless-boot), the kernel (its initramfs-tools image finds root by PARTUUID), the VM stack RayOS drives, and the
 * disk tools `rayos install` and `rayos update` use. Node.js is not here: Debian 12's is too old; the image carries
 * the very node binary RayOS was built and tested with.
 */
export const ROOT_PACKAGES: readonly string[] = [
  'systemd',
  'systemd-sysv',
  'systemd-boot',
  'udev',
  'kmod',
  'linux-image-amd64',
  'qemu-system-x86',
  'qemu-utils',
  'ovmf',
  'swtpm',
  'swtpm-tools',
  'e2fsprogs',
  'dosfstools',
  'mtools',
  'fdisk',
  'procps',
  'iproute2',
];

export interface RootTreeOptions {
  /** Trees are kept under <cacheDir>/<subdir> (default rootfs); only the newest key is kept there. */
  readonly cacheDir: string;
  /** Debian mirror; default: the host's (from /etc/apt), else deb.debian.org. */
  readonly mirror?: string;
  readonly onProgress?: (line: string) => void;
}

export interface RootTree {
  readonly dir: string;
  readonly key: string;
  readonly cached: boolean;
  readonly kernelVersion: string;
}

/** The mirror apt on this host uses for the main suite (the only one that is reachable from a closed network). */
export async function hostMirror(): Promise<string> {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    try {
      const text = await readFile(file, 'utf8');
      const deb822 = /^URIs:\s*(\S+)/m.exec(text);
      if (deb822?.[1] && !deb822[1].includes('security')) return deb822[1];
      const classic = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
      if (classic?.[1]) return classic[1];
    } catch {
      // Not there: try the next one.
    }
  }
  return 'http://deb.debian.org/debian';
}

/** What a tree is made of; the key covers every field. */
export interface DebianTreeSpec {
  /** Folder under the cache dir, one per kind of tree (each keeps only its newest). */
  readonly subdir: string;
  readonly packages: readonly string[];
  /** Bump when what the builder does to the tree changes. */
  readonly version: number;
}

const ROOT_TREE_SPEC: DebianTreeSpec = { subdir: 'rootfs', packages: ROOT_PACKAGES, version: ROOT_TREE_VERSION };

export function rootTreeKey(mirror: string, spec: DebianTreeSpec = ROOT_TREE_SPEC): string {
  // The folder is not in the key: each kind of tree has its own folder already.
  const hash = createHash('sha256').update(JSON.stringify({ v: spec.version, suite: ROOT_SUITE, mirror, packages: [...spec.packages].sort() })).digest('hex');
  return `${ROOT_SUITE}-${hash.slice(0, 16)}`;
}

async function kernelVersionOf(tree: string): Promise<string | null> {
  const names = await readdir(join(tree, 'boot')).catch(() => [] as string[]);
  const kernels = names.filter((n) => n.startsWith('vmlinuz-')).sort();
  const last = kernels.at(-1);
  return last === undefined ? null : last.slice('vmlinuz-'.length);
}

/** The installed system's root tree (see ROOT_PACKAGES). */
export function buildRootTree(options: RootTreeOptions): Promise<Result<RootTree, RayosError>> {
  return buildDebianTree(ROOT_TREE_SPEC, options);
}

/** The cached tree for these inputs, or a fresh debootstrap (minutes; progress per retrieved package). */
export async function buildDebianTree(spec: DebianTreeSpec, options: RootTreeOptions): Promise<Result<RootTree, RayosError>> {
  const progress = options.onProgress ?? ((): void => undefined);
  if (process.getuid?.() !== 0) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', 'Building the root filesystem runs debootstrap, which needs root: run "sudo ./rayos image build".'));
  }
  const mirror = options.mirror ?? (await hostMirror());
  const key = rootTreeKey(mirror, spec);
  const treesDir = join(options.cacheDir, spec.subdir);
  const dir = join(treesDir, key);
  const stamp = join(dir, '.rayos-root-tree.json');
  if (existsSync(stamp)) {
    const kernelVersion = await kernelVersionOf(dir);
    if (kernelVersion !== null) {
      progress(`root tree ${key} is in the cache`);
      return ok({ dir, key, cached: true, kernelVersion });
    }
  }
  await mkdir(treesDir, { recursive: true });
  const work = join(treesDir, `.${key}.partial`);
  await rm(work, { recursive: true, force: true });
  let retrieved = 0;
  let lastLine = '';
  const started = Date.now();
  const result = await runCommand(['debootstrap', '--variant=minbase', `--include=${spec.packages.join(',')}`, ROOT_SUITE, work, mirror], {
    deadlineMs: 30 * 60_000,
    maxOutputBytes: 4 * 1024 * 1024,
    env: { ...process.env, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' },
    // Progress is read from the output as it comes; the runner never stops early.
    stopWhen: (stdout) => {
      const lines = stdout.split('\n');
      const latest = lines.at(-2) ?? '';
      if (latest !== lastLine) {
        lastLine = latest;
        if (latest.startsWith('I: Retrieving')) retrieved += 1;
        if (/^I: (Retrieving|Extracting|Installing|Configuring|Unpacking)/.test(latest) && (retrieved % 25 === 0 || !latest.startsWith('I: Retrieving'))) {
          progress(`debootstrap (${Math.round((Date.now() - started) / 1000)} s): ${latest.slice(3)}`);
        }
      }
      return false;
    },
  });
  if (result.code !== 0) {
    if (result.error === 'not-found') return err(rayosError('RAYOS_IMAGE_TOOL_MISSING', 'debootstrap is not installed: run "apt-get install debootstrap" (or "./rayos setup").'));
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-4).join(' / ');
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `debootstrap failed (${result.timedOut ? 'ran past 30 minutes' : `exit ${result.code}`}: ${tail}). Check that apt can reach ${mirror}, then build again.`));
  }
  // debootstrap leaves its downloaded .debs and apt lists behind; the image does not need them.
  await rm(join(work, 'var/cache/apt/archives'), { recursive: true, force: true });
  await mkdir(join(work, 'var/cache/apt/archives/partial'), { recursive: true });
  for (const name of await readdir(join(work, 'boot'))) if (name.endsWith('.dpkg-bak') || name.endsWith('.new')) await rm(join(work, 'boot', name), { force: true });
  const kernelVersion = await kernelVersionOf(work);
  if (kernelVersion === null) return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', 'debootstrap finished without a kernel in /boot; the linux-image-amd64 package did not install.'));
  await writeFile(join(work, '.rayos-root-tree.json'), JSON.stringify({ key, mirror, packages: spec.packages, kernelVersion, builtAt: new Date().toISOString() }) + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(work, dir);
  // Older trees are gigabytes each: keep only this one.
  for (const name of await readdir(treesDir)) if (name !== key) await rm(join(treesDir, name), { recursive: true, force: true });
  progress(`root tree ${key} built in ${Math.round((Date.now() - started) / 1000)} s`);
  return ok({ dir, key, cached: false, kernelVersion });
}
