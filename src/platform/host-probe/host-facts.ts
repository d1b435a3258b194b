// Owns gathering host facts for readiness checks: which programs exist and their versions, firmware files, free disk, memory and CPUs.
import { constants as fsConstants } from 'node:fs';
import { access, readFile, stat, statfs } from 'node:fs/promises';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findExecutable, runCommand } from '../process/run-command.js';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export interface ProgramFact {
  readonly name: string;
  /** Absolute path it would run from; null when not found. */
  readonly path: string | null;
  /** Parsed from its version output; null when absent, unparseable, or it did not answer in time. */
  readonly version: Version | null;
  /** The first line of its version output, trimmed and bounded (untrusted text, for display only). */
  readonly versionLine: string;
  /** Why there is no version: timed-out, exit N, not-executable... */
  readonly problem?: string;
}

export interface ProgramProbeOptions {
  readonly searchPath?: string;
  readonly deadlineMs: number;
  readonly versionArgs?: readonly string[];
}

/** Finds a program and asks it for its version, never waiting past the deadline. */
export async function probeProgram(name: string, options: ProgramProbeOptions): Promise<ProgramFact> {
  const path = await findExecutable(name, options.searchPath);
  if (path === null) return { name, path, version: null, versionLine: '' };
  const result = await runCommand([path, ...(options.versionArgs ?? ['--version'])], {
    deadlineMs: options.deadlineMs,
    maxOutputBytes: 16 * 1024,
  });
  // Some programs print their version on stderr; the first line that holds a version number wins.
  const untrustedLines = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim());
  const untrustedLine = untrustedLines.find((line) => parseVersion(line) !== null) ?? untrustedLines.find((line) => line !== '') ?? '';
  const versionLine = sanitizeLine(untrustedLine);
  const version = parseVersion(versionLine);
  const problem = result.timedOut
    ? `no answer to ${(options.versionArgs ?? ['--version']).join(' ')} within ${options.deadlineMs} ms`
    : result.error !== undefined
      ? result.error
      : version === null
        ? result.code === 0
          ? 'version not recognised'
          : `exit ${String(result.code ?? result.signal)}`
        : undefined;
  return problem === undefined ? { name, path, version, versionLine } : { name, path, version, versionLine, problem };
}

/** The first dotted version in a line ("QEMU emulator version 7.2.22 (Debian ...)" → 7.2.22). */
export function parseVersion(untrustedText: string): Version | null {
  const match = /(?:^|[^\d.])(\d{1,6})\.(\d{1,6})(?:\.(\d{1,9}))?/.exec(untrustedText);
  if (match === null) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function versionAtLeast(version: Version, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

export const formatVersion = (v: Version): string => `${v.major}.${v.minor}.${v.patch}`;

/** Control characters and copyright tails out, length bounded: program output may be anything. */
function sanitizeLine(untrustedLine: string): string {
  return untrustedLine
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/,?\s*Copyright\b.*$/i, '')
    .slice(0, 160);
}

export const OVMF_DIR = '/usr/share/OVMF';
/** What the guests use from Debian's ovmf: plain UEFI (Linux) and Secure Boot with Microsoft keys (Windows 11). */
export const OVMF_FILES = ['OVMF_CODE_4M.fd', 'OVMF_VARS_4M.fd', 'OVMF_CODE_4M.secboot.fd', 'OVMF_VARS_4M.ms.fd'] as const;

export interface FirmwareFact {
  readonly dir: string;
  readonly present: readonly string[];
  readonly missing: readonly string[];
}

/** Which OVMF files are readable, non-empty regular files in dir. */
export async function probeFirmware(dir: string = OVMF_DIR): Promise<FirmwareFact> {
  const found = await Promise.all(
    OVMF_FILES.map(async (file) => {
      try {
        const path = join(dir, file);
        const info = await stat(path);
        await access(path, fsConstants.R_OK);
        return info.isFile() && info.size > 0;
      } catch {
        return false;
      }
    }),
  );
  return {
    dir,
    present: OVMF_FILES.filter((_, i) => found[i] === true),
    missing: OVMF_FILES.filter((_, i) => found[i] !== true),
  };
}

export interface DiskFact {
  /** The directory actually measured: the data dir, or its nearest existing parent when it does not exist yet. */
  readonly measuredPath: string;
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** Free space (for an unprivileged user) on the filesystem that holds, or will hold, dir. */
export async function probeDisk(dir: string): Promise<DiskFact> {
  let current = resolve(dir);
  for (;;) {
    try {
      await stat(current);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      // Only a missing path means "not created yet"; anything else (EACCES) is measured where it stands.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) break;
      current = parent;
    }
  }
  const info = await statfs(current);
  return { measuredPath: current, freeBytes: info.bavail * info.bsize, totalBytes: info.blocks * info.bsize };
}

export interface MemoryFact {
  readonly totalBytes: number;
  /** MemAvailable from /proc/meminfo (what can be given out without swapping); the kernel's free memory where it is absent. */
  readonly availableBytes: number;
}

export async function probeMemory(): Promise<MemoryFact> {
  let untrustedMeminfo = '';
  try {
    untrustedMeminfo = await readFile('/proc/meminfo', 'utf8');
  } catch {
    /* not Linux, or /proc is not mounted: os.freemem() below */
  }
  const match = /^MemAvailable:\s+(\d{1,15}) kB$/m.exec(untrustedMeminfo);
  return { totalBytes: totalmem(), availableBytes: match === null ? freemem() : Number(match[1]) * 1024 };
}

/** CPUs this process may run on (its affinity mask, so a container's cpuset counts, not the machine's). */
export const probeCpuCount = (): number => availableParallelism();
