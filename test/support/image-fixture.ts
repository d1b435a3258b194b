// Owns what the installed-system tests share: one installer medium built per run (console-shell variant), blank target disks, the image program as a child, and ext4 writes into a disk's data volume.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const IMAGE_MAIN = new URL('../../src/image/image-main.js', import.meta.url).pathname;
export const GIB = 1024 ** 3;
/** The smallest disk the install layout fits (ESP 512 MiB + two 4 GiB roots + 4 GiB data + GPT). */
export const TARGET_BYTES = 13 * GIB;

export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `image-main.js ARGS` to the end, with optional standard input. */
export function runImageProgram(args: readonly string[], input = '', timeoutMs = 900_000): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [IMAGE_MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Builds the installer medium into dir: by default with a root shell on the serial console, for the tests to drive. */
export async function buildTestMedium(dir: string, options: { consoleShell?: boolean; version?: string } = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'rayos.img');
  const shell = options.consoleShell === false ? [] : ['--console-shell'];
  const built = await runImageProgram(['image', 'build', ...shell, '--out', out, '--version', options.version ?? 'test'], '', 1_800_000);
  if (built.code !== 0) throw new Error(`rayos image build failed (${built.code}):\n${built.stderr}\n${built.stdout}`);
  return out;
}

/** A new sparse file of `bytes` (an empty disk). */
export function blankDisk(path: string, bytes: number = TARGET_BYTES): string {
  rmSync(path, { force: true });
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
}

/**
 * What says a disk image was not written: the hash of its first 64 MiB (where the GPT, the ESP and the start of
 * root-A go), its allocated blocks (any write to a hole allocates) and its modification time. Hashing all 13 GiB
 * of a sparse file costs a minute and proves nothing more.
 */
export async function diskFingerprint(path: string): Promise<string> {
  const info = statSync(path);
  return `${await sha256OfFile(path, 64 * 1024 * 1024)}:${info.blocks}:${info.mtimeMs}:${info.size}`;
}

export function sha256OfFile(path: string, limitBytes?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 8 * 1024 * 1024, ...(limitBytes === undefined ? {} : { end: limitBytes - 1 }) })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

interface SfdiskPartition {
  start: number;
  size: number;
  name?: string;
}

/** A partition's byte offset in a disk image, by its GPT name. */
export function partitionOffset(disk: string, name: string): number {
  const listed = spawnSync('sfdisk', ['--json', disk], { encoding: 'utf8' });
  const table = (JSON.parse(listed.stdout) as { partitiontable: { partitions: SfdiskPartition[] } }).partitiontable;
  const part = table.partitions.find((p) => p.name === name);
  if (part === undefined) throw new Error(`${disk} has no partition named ${name}`);
  return part.start * 512;
}

/** Writes a file into the root of an ext4 filesystem inside a disk image (debugfs; no mounts). */
export function writeIntoExt4(disk: string, offsetBytes: number, name: string, content: string, scratch: string): void {
  const local = join(scratch, `debugfs-${name}`);
  writeFileSync(local, content);
  const run = spawnSync('debugfs', ['-w', '-R', `write ${local} ${name}`, `${disk}?offset=${offsetBytes}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`debugfs write failed: ${run.stderr}`);
}
