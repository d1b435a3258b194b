// Owns the installer tests' fixture: a scratch directory, the disk tools, sparse disk files, small real installer media and recorded install requests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIB } from './disk-layout.js';
import type { InstallRequest } from './installer.js';
import { MEDIUM_MANIFEST_PATH, mediumSfdiskScript, planMedium, ROOT_IMAGE_PARTITION_NAME, type MediumManifest, type MediumPlan } from './medium-layout.js';

export const GiB = 1024 * MIB;
const env = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' };

/** Runs a disk tool (sfdisk, mkfs, mtools, dd, debugfs) and returns its stdout; throws on failure. */
export const tool = (argv: string[], input?: string): string =>
  execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });

/** A well-formed manifest for a root image of this size (what a built medium carries). */
export const manifestFor = (rootBytes: number): MediumManifest => ({
  format: 1,
  version: '1.2.3',
  kernel: '/rayos/1.2.3/vmlinuz',
  initrd: '/rayos/1.2.3/initrd.img',
  bootloader: '/EFI/systemd/systemd-bootx64.efi',
  recovery: { kernel: '/rayos/recovery/vmlinuz', initrd: '/rayos/recovery/initrd.img' },
  rootImage: { partitionName: ROOT_IMAGE_PARTITION_NAME, bytes: rootBytes },
  builtAt: '2025-01-01T00:00:00.000Z',
});

/** Stand-ins for the boot files: the installer only copies them. */
export const BOOT_FILES: Record<string, string> = {
  '/EFI/systemd/systemd-bootx64.efi': 'MZ stand-in systemd-boot\n',
  '/rayos/1.2.3/vmlinuz': 'stand-in kernel 1.2.3\n',
  '/rayos/1.2.3/initrd.img': 'stand-in initrd 1.2.3\n',
  '/rayos/recovery/vmlinuz': 'stand-in recovery kernel\n',
  '/rayos/recovery/initrd.img': 'stand-in recovery initramfs\n',
};

export interface MediumOptions {
  /** The text of /rayos/medium.json; null leaves it off. Default: a valid manifest. */
  readonly manifest?: string | null;
  readonly files?: Record<string, string>;
  /** An ext4 image put into partition 2. */
  readonly rootImage?: string;
  /** sfdisk script edits, e.g. to rename the partitions. */
  readonly editScript?: (script: string) => string;
}

export interface Recorder {
  readonly questions: string[];
  readonly said: string[];
  readonly markers: string[];
}

export interface InstallerFixture {
  readonly dir: string;
  /** A sysfs block directory with no disks. */
  readonly emptySys: string;
  /** A fresh path in the scratch directory. */
  fresh(name: string): string;
  /** A sparse file of `bytes` (a blank disk). */
  sparse(bytes: number, name?: string): string;
  /** A real, small installer medium: GPT from mediumSfdiskScript, a FAT32 ESP at its offset, the manifest and files on it. */
  makeMedium(options?: MediumOptions): { path: string; plan: MediumPlan };
  /** An ext4 image of a tiny root tree, to install. */
  rootImage(): string;
  /** An install request whose questions, progress lines and markers are recorded; answers are given in order. */
  request(target: string, answers: string[], medium: string, overrides?: Partial<InstallRequest>): InstallRequest & Recorder;
  cleanup(): void;
}

export function installerFixture(prefix: string): InstallerFixture {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const emptySys = mkdtempSync(join(dir, 'sys-empty-'));
  let counter = 0;
  const fresh = (name: string): string => join(dir, `${++counter}-${name}`);
  const sparse = (bytes: number, name = 'disk.img'): string => {
    const file = fresh(name);
    writeFileSync(file, '');
    truncateSync(file, bytes);
    return file;
  };
  return {
    dir,
    emptySys,
    fresh,
    sparse,
    makeMedium(options = {}) {
      const rootBytes = options.rootImage === undefined ? 4 * MIB : statSync(options.rootImage).size;
      const plan = planMedium(MIB, rootBytes);
      const path = sparse(plan.totalBytes, 'medium.img');
      const script = mediumSfdiskScript(plan);
      tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', path], options.editScript ? options.editScript(script) : script);
      tool(['mkfs.vfat', '-F', '32', '-s', '8', '-n', 'RAYOS-USB', `--offset=${plan.esp.offsetBytes / 512}`, path, String(plan.esp.sizeBytes / 1024)]);
      const esp = `${path}@@${plan.esp.offsetBytes}`;
      const files: Record<string, string> = { ...(options.files ?? {}) };
      const manifest = options.manifest === undefined ? JSON.stringify(manifestFor(rootBytes)) : options.manifest;
      if (manifest !== null) files[MEDIUM_MANIFEST_PATH] = manifest;
      const dirs = new Set<string>();
      for (const espPath of Object.keys(files)) {
        const parts = espPath.split('/').slice(1, -1);
        for (let i = 1; i <= parts.length; i += 1) dirs.add('/' + parts.slice(0, i).join('/'));
      }
      if (dirs.size > 0) tool(['mmd', '-i', esp, ...[...dirs].sort((a, b) => a.length - b.length).map((d) => `::${d}`)]);
      for (const [espPath, content] of Object.entries(files)) {
        const local = fresh('esp-file');
        writeFileSync(local, content);
        tool(['mcopy', '-o', '-i', esp, local, `::${espPath}`]);
      }
      if (options.rootImage !== undefined) tool(['dd', `if=${options.rootImage}`, `of=${path}`, 'bs=1M', `seek=${plan.rootImage.offsetBytes / MIB}`, 'conv=notrunc', 'status=none']);
      return { path, plan };
    },
    rootImage() {
      const tree = fresh('root-tree');
      mkdirSync(tree);
      writeFileSync(join(tree, 'marker'), 'installed root\n');
      const image = fresh('root.img');
      tool(['mkfs.ext4', '-q', '-d', tree, image, '16M']);
      return image;
    },
    request(target, answers, medium, overrides = {}) {
      const questions: string[] = [];
      const said: string[] = [];
      const markers: string[] = [];
      return {
        target,
        medium,
        yes: false,
        sysBlock: emptySys,
        ask: (question: string) => {
          questions.push(question);
          return Promise.resolve(answers.shift() ?? '');
        },
        say: (line: string) => said.push(line),
        marker: (line: string) => markers.push(line),
        questions,
        said,
        markers,
        ...overrides,
      };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
