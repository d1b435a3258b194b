// Owns getting Debian packages for the guest without installing them: versions from apt-cache, apt-get download, dpkg-deb -x.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../src/base/result.js';
import { rayosError, type RayosError } from '../../src/contracts/errors.js';
import { runCommand, type RunCommandResult } from '../../src/platform/process/run-command.js';

/** The metapackage whose dependency names the current Debian kernel image package. */
export const KERNEL_METAPACKAGE = 'linux-image-amd64';
export const BUSYBOX_PACKAGE = 'busybox-static';

// apt's output is parsed: keep it in English whatever the user's locale.
const APT_ENV = { ...process.env, LC_ALL: 'C', LANG: 'C', DEBIAN_FRONTEND: 'noninteractive' };
const isRoot = (): boolean => process.getuid?.() === 0;

function why(result: RunCommandResult): string {
  if (result.errorMessage !== undefined) return result.errorMessage;
  if (result.timedOut) return 'timed out';
  const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ');
  return `exit ${result.code}${tail === '' ? '' : `: ${tail}`}`;
}

const failed = (message: string, details?: Record<string, unknown>): Result<never, RayosError> => err(rayosError('RAYOS_GUEST_BUILD_FAILED', message, details));

const updateAdvice = (): string =>
  isRoot() ? 'Check that apt can reach deb.debian.org ("apt-get update").' : 'Run "sudo apt-get update" (or "sudo ./rayos setup") and build again.';

/** A Debian version as apt prints it (epoch:upstream-revision); anything else is not taken from apt's output. */
const VERSION = /^[A-Za-z0-9.+:~-]+$/;

export interface AptStanza {
  readonly version: string;
  readonly depends: string;
}

/** Package → {Version, Depends} from `apt-cache show` output (one stanza per package, blank-line separated). */
export function parseAptShow(untrustedShow: string): Map<string, AptStanza> {
  const out = new Map<string, AptStanza>();
  for (const stanza of untrustedShow.split(/\n\s*\n/)) {
    const field = (name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const pkg = field('Package');
    const version = field('Version');
    if (pkg === undefined || version === undefined || out.has(pkg) || !VERSION.test(version)) continue;
    out.set(pkg, { version, depends: field('Depends') ?? '' });
  }
  return out;
}

/** The kernel image package in linux-image-amd64's Depends, with the exact version it pins ("(= 6.1.192-2)") if any. */
export function parseKernelDependency(untrustedDepends: string): { name: string; version: string | null } | null {
  for (const alternative of untrustedDepends.split(/[,|]/)) {
    const m = /^\s*(linux-image-\d[A-Za-z0-9.+-]*)\s*(?:\(\s*=\s*([^\s)]+)\s*\))?\s*$/.exec(alternative);
    if (m?.[1] !== undefined) return { name: m[1], version: m[2] !== undefined && VERSION.test(m[2]) ? m[2] : null };
  }
  return null;
}

/** The "Candidate:" version in `apt-cache policy` output, or null when there is none. */
export function parseCandidate(untrustedPolicy: string): string | null {
  const m = /^\s*Candidate:\s*(\S+)\s*$/m.exec(untrustedPolicy);
  const version = m?.[1];
  return version === undefined || version === '(none)' || !VERSION.test(version) ? null : version;
}

export async function candidateVersion(pkg: string): Promise<Result<string, RayosError>> {
  const policy = await runCommand(['apt-cache', 'policy', pkg], { deadlineMs: 60_000, env: APT_ENV });
  if (policy.code !== 0) return failed(`apt-cache policy ${pkg} failed (${why(policy)}). The guest is built from Debian packages; apt must work on this host.`);
  const version = parseCandidate(policy.stdout);
  if (version === null) return failed(`apt knows no installable version of ${pkg}. ${updateAdvice()}`, { package: pkg });
  return ok(version);
}

export interface KernelPackage {
  readonly name: string;
  readonly version: string;
  /** `uname -r` of the kernel inside, e.g. 6.1.0-56-amd64. */
  readonly kernelVersion: string;
}

export interface GuestPackages {
  readonly kernel: KernelPackage;
  readonly busyboxVersion: string;
}

/**
 * The kernel image package behind linux-image-amd64 and the busybox-static version apt would download now.
 * One `apt-cache show` answers both (apt-cache takes a second or more per call here).
 */
export async function resolveGuestPackages(): Promise<Result<GuestPackages, RayosError>> {
  const show = await runCommand(['apt-cache', 'show', '--no-all-versions', KERNEL_METAPACKAGE, BUSYBOX_PACKAGE], { deadlineMs: 60_000, env: APT_ENV });
  const stanzas = show.code === 0 ? parseAptShow(show.stdout) : new Map<string, AptStanza>();
  const meta = stanzas.get(KERNEL_METAPACKAGE);
  const busybox = stanzas.get(BUSYBOX_PACKAGE);
  if (meta === undefined || busybox === undefined) {
    return failed(`apt knows no installable ${meta === undefined ? KERNEL_METAPACKAGE : BUSYBOX_PACKAGE} (${show.code === 0 ? 'not in its package lists' : why(show)}). ${updateAdvice()}`);
  }
  const dep = parseKernelDependency(meta.depends);
  if (dep === null) return failed(`${KERNEL_METAPACKAGE} ${meta.version} names no kernel image package ("${meta.depends}").`);
  let version = dep.version;
  if (version === null) {
    const candidate = await candidateVersion(dep.name);
    if (!candidate.ok) return candidate;
    version = candidate.value;
  }
  return ok({ kernel: { name: dep.name, version, kernelVersion: dep.name.slice('linux-image-'.length) }, busyboxVersion: busybox.version });
}

/** apt-get download's file name: name_version_arch.deb, with ':' (an epoch) written as %3a. */
export const debFileName = (pkg: string, version: string): string => `${pkg}_${version.replace(/:/g, '%3a')}_amd64.deb`;

/** Refreshes apt's package lists (root only); the caller resolves versions again afterwards. */
export async function aptUpdate(): Promise<Result<void, RayosError>> {
  if (!isRoot()) return failed(`apt could not download the guest packages and only root can refresh its lists. ${updateAdvice()}`);
  const update = await runCommand(['apt-get', 'update'], { deadlineMs: 300_000, env: APT_ENV });
  if (update.code !== 0) return failed(`"apt-get update" failed (${why(update)}). Check that this host can reach its Debian mirror.`);
  return ok(undefined);
}

export interface DownloadOutcome {
  readonly path: string;
  readonly downloaded: boolean;
}

/**
 * The .deb of pkg=version in downloadsDir, fetched with `apt-get download` when it is not there yet. apt checks
 * it against the signed package lists; the file appears under its final name only once complete.
 */
export async function ensureDeb(pkg: string, version: string, downloadsDir: string): Promise<Result<DownloadOutcome, RayosError>> {
  await mkdir(downloadsDir, { recursive: true });
  const target = join(downloadsDir, debFileName(pkg, version));
  if (await isFile(target)) return ok({ path: target, downloaded: false });
  const work = await mkdtemp(join(downloadsDir, '.download-'));
  try {
    // As root, apt drops to the _apt user for downloads, which cannot write into a private cache: stay root.
    const sandbox = isRoot() ? ['-o', 'APT::Sandbox::User=root'] : [];
    const got = await runCommand(['apt-get', ...sandbox, 'download', `${pkg}=${version}`], { deadlineMs: 600_000, cwd: work, env: APT_ENV });
    const debs = (await readdir(work)).filter((f) => f.endsWith('.deb'));
    if (got.code !== 0 || debs.length !== 1) {
      return failed(`"apt-get download ${pkg}=${version}" failed (${why(got)}). ${updateAdvice()}`, { package: pkg, version });
    }
    await rename(join(work, debs[0] as string), target);
    return ok({ path: target, downloaded: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Unpacks a .deb's files into dir (dpkg-deb -x: nothing is installed on the host). */
export async function extractDeb(deb: string, dir: string): Promise<Result<void, RayosError>> {
  await mkdir(dir, { recursive: true });
  const x = await runCommand(['dpkg-deb', '-x', deb, dir], { deadlineMs: 600_000, env: APT_ENV });
  if (x.code !== 0) return failed(`"dpkg-deb -x ${deb}" failed (${why(x)}); the download may be damaged: delete it and build again.`, { deb });
  return ok(undefined);
}

/** Deletes other versions of pkg from the downloads folder once a build no longer needs them. */
export async function pruneDebs(pkg: string, keepVersion: string, downloadsDir: string): Promise<void> {
  const keep = debFileName(pkg, keepVersion);
  for (const f of await readdir(downloadsDir).catch(() => [] as string[])) {
    if (f.startsWith(`${pkg}_`) && f.endsWith('.deb') && f !== keep) await rm(join(downloadsDir, f), { force: true });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
