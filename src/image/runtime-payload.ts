// Owns what of this repository an installed RayOS carries: the compiled runtime, CLI and UI, the production npm packages, and the node binary.
import { cp, mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
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

/** Copies the runtime into `<dest>/opt/rayos`, node into `<dest>/usr/local/bin/node`, and the `rayos` command beside it. */
export async function writeRuntimePayload(repoRoot: string, dest: string, nodeBinary: string = process.execPath): Promise<Result<void, RayosError>> {
  const packages = await productionPackages(repoRoot);
  if (!packages.ok) return packages;
  const target = join(dest, PAYLOAD_DIR);
  try {
    await mkdir(target, { recursive: true });
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    // Only what node needs to run the compiled code: the module type, the name and the version.
    await writeFile(join(target, 'package.json'), JSON.stringify({ name: pkg['name'], version: pkg['version'], type: pkg['type'], private: true }, null, 2) + '\n');
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
    await mkdir(join(dest, 'usr/local/bin'), { recursive: true });
    await cp(nodeBinary, join(dest, NODE_PATH));
    await chmod(join(dest, NODE_PATH), 0o755);
    await writeFile(join(dest, CLI_WRAPPER_PATH), `#!/bin/sh\n# The RayOS command (installed by rayos image build).\nexec /${NODE_PATH} ${CLI_MAIN} "$@"\n`, { mode: 0o755 });
    return ok(undefined);
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Copying the RayOS runtime into ${dest} failed: ${(error as Error).message}. Build first ("npx tsc -b" and "node tools/build-web.js").`));
  }
}
