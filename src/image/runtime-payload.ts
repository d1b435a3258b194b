// Owns what of this repository an installed RayOS and its recovery system carry: the runtime, CLI and UI (boot-time programs bundled), the production npm packages, and the node binary.
import { cp, mkdir, readFile, writeFile, chmod, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';

/** Where the payload lives on the installed root and in the recovery initramfs. */
export const PAYLOAD_DIR = 'opt/rayos';
export const NODE_PATH = 'usr/local/bin/node';
export const CLI_WRAPPER_PATH = 'usr/local/bin/rayos';
export const RUNTIME_MAIN = `/${PAYLOAD_DIR}/dist/src/daemon/main.js`;
export const CLI_MAIN = `/${PAYLOAD_DIR}/dist/src/cli/main.js`;
/** The programs a boot starts, which the payload carries as single-file bundles (see tools/bundle-runtime.js). */
const IMAGE_ENTRY = 'dist/src/image/image-main.js';
export const IMAGE_MAIN = `/${PAYLOAD_DIR}/${IMAGE_ENTRY}`;
export const BUNDLED_ENTRIES: readonly string[] = ['dist/src/daemon/runtime-commands.js', IMAGE_ENTRY];

// Tests, source maps and build bookkeeping are not part of the product.
const SKIP_DIST = /(\.test\.js|\.test-support\.js|\.map|\.tsbuildinfo|\.d\.ts)$/;
// Native-module build leftovers (object files, the vendored SQLite sources) are tens of MB the runtime never reads.
const SKIP_MODULES = /[/\\](build[/\\]Release[/\\](obj|\.deps|obj\.target)|deps|src|test|docs)([/\\]|$)/;

/** Production packages (npm ls --omit=dev), as paths relative to the repository. */
async function productionPackages(repoRoot: string): Promise<Result<string[], RayosError>> {
  const listed = await runCommand(['npm', 'ls', '--omit=dev', '--parseable', '--all'], { deadlineMs: 60_000, cwd: repoRoot, maxOutputBytes: 4 * 1024 * 1024 });
  if (listed.code !== 0) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `"npm ls --omit=dev" failed in ${repoRoot} (exit ${listed.code}: ${listed.stderr.trim().slice(-300)}); run "npm ci" first.`));
  }
  const paths = listed.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== repoRoot)
    .map((line) => relative(repoRoot, line))
    .filter((rel) => rel.startsWith(`node_modules${sep}`) && !rel.includes('..'));
  return ok(paths);
}

/**
 * What a payload carries. `system` (the installed root): the compiled runtime, CLI and UI with the production
 * packages, the boot-time programs replaced by their bundles. `recovery` (the initramfs): the bundled image program
 * alone, which imports no package at run time.
 */
export type PayloadKind = 'system' | 'recovery';

/** Bundles the runtime's commands and the image program into `target` (tools/bundle-runtime.js, rolldown). */
async function writeBundles(repoRoot: string, target: string, entries: readonly string[]): Promise<Result<void, RayosError>> {
  const bundled = await runCommand([process.execPath, join(repoRoot, 'tools/bundle-runtime.js'), target, ...entries], { deadlineMs: 300_000, cwd: repoRoot });
  if (bundled.code !== 0) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Bundling the runtime failed (exit ${bundled.code}: ${(bundled.stderr || bundled.stdout).trim().slice(-400)}); run "npm ci" and "npx tsc -b" first.`));
  }
  return ok(undefined);
}

/** Writes the payload into `<dest>/opt/rayos`, node into `<dest>/usr/local/bin/node`, and the `rayos` command beside it. */
export async function writeRuntimePayload(repoRoot: string, dest: string, kind: PayloadKind, nodeBinary: string = process.execPath): Promise<Result<void, RayosError>> {
  const packages = kind === 'system' ? await productionPackages(repoRoot) : ok([]);
  if (!packages.ok) return packages;
  const target = join(dest, PAYLOAD_DIR);
  try {
    await mkdir(target, { recursive: true });
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    // Only what node needs to run the compiled code: the module type, the name and the version.
    await writeFile(join(target, 'package.json'), JSON.stringify({ name: pkg['name'], version: pkg['version'], type: pkg['type'], private: true }, null, 2) + '\n');
    if (kind === 'system') {
      for (const part of ['dist/src', 'dist/web']) {
        await cp(join(repoRoot, part), join(target, part), { recursive: true, filter: (source) => !SKIP_DIST.test(source) });
      }
      for (const rel of packages.value) {
        await cp(join(repoRoot, rel), join(target, rel), {
          recursive: true,
          // Nested packages are listed on their own; the filter keeps build leftovers out.
          filter: (source) => !SKIP_MODULES.test(relative(join(repoRoot, rel), source).replace(/^/, sep)),
        });
      }
      // The copied entries are replaced, not written through: the bundles must not alter the repository's dist.
      for (const entry of BUNDLED_ENTRIES) await rm(join(target, entry), { force: true });
    }
    const bundles = await writeBundles(repoRoot, target, kind === 'system' ? BUNDLED_ENTRIES : [IMAGE_ENTRY]);
    if (!bundles.ok) return bundles;
    await mkdir(join(dest, 'usr/local/bin'), { recursive: true });
    await cp(nodeBinary, join(dest, NODE_PATH));
    await chmod(join(dest, NODE_PATH), 0o755);
    // Debian's node carries its symbol table and debug info (12 MB of the 99): less for the firmware to read at every
    // recovery boot. strip keeps the dynamic symbols native addons link against; without binutils it stays as it is.
    await runCommand(['strip', join(dest, NODE_PATH)], { deadlineMs: 120_000 });
    // In recovery, `rayos` is the image program: install, bootmgr, recovery, crash, update (the runtime is not there).
    const main = kind === 'system' ? CLI_MAIN : IMAGE_MAIN;
    await writeFile(join(dest, CLI_WRAPPER_PATH), `#!/bin/sh\n# The RayOS command (installed by rayos image build).\nexec /${NODE_PATH} ${main} "$@"\n`, { mode: 0o755 });
    return ok(undefined);
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Copying the RayOS runtime into ${dest} failed: ${(error as Error).message}. Build first ("npx tsc -b" and "node tools/build-web.js").`));
  }
}
