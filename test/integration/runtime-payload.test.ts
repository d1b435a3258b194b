// Tests what an installed RayOS and its recovery system carry: the bundled runtime boots to READY and serves the UI, the unbundled CLI talks to it, the recovery payload is the image program alone.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUNDLED_ENTRIES, CLI_MAIN, IMAGE_MAIN, NODE_PATH, PAYLOAD_DIR, RUNTIME_MAIN, writeRuntimePayload } from '../../src/image/runtime-payload.js';
import { rawRequest } from '../support/raw-http.js';
import { runCli, startRuntime, stopRuntime, tempDataDir } from '../support/runtime-process.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rayos-payload-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('runtime payload', () => {
  test('the installed system runs its bundled runtime to READY, serves the UI from its own copy, and its CLI answers', async (t) => {
    const dest = join(work, 'system');
    const written = await writeRuntimePayload(REPO, dest, 'system');
    assert.ok(written.ok, written.ok ? '' : written.error.message);
    for (const entry of BUNDLED_ENTRIES) {
      const bundle = readFileSync(join(dest, PAYLOAD_DIR, entry), 'utf8');
      // One file: no relative imports left (the compiled original imports its neighbours).
      assert.doesNotMatch(bundle, /from\s+['"]\.\.?\//, `${entry} is a bundle`);
      assert.notEqual(bundle, readFileSync(join(REPO, entry), 'utf8'), `${entry} differs from the repository's compiled file`);
    }
    // The repository's own dist is untouched by the bundling.
    assert.match(readFileSync(join(REPO, 'dist/src/daemon/runtime-commands.js'), 'utf8'), /from\s+['"]\.\.?\//);

    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    // Run by the payload's own node (stripped), so its native addon (better-sqlite3) is shown to load with it.
    const runtime = startRuntime(dir, [], {}, join(dest, RUNTIME_MAIN), join(dest, NODE_PATH));
    t.after(() => (runtime.child.exitCode === null ? stopRuntime(runtime) : undefined));
    const listening = await runtime.waitFor(/^RAYOS_API:LISTENING_TCP:/, 60_000);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    const page = await rawRequest({ url: `http://127.0.0.1:${listening.split(':').at(-1)}` }, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>[^<]*RayOS/i);

    const status = await runCli(['status', '--json', '--data', dir], { main: join(dest, CLI_MAIN) });
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { state: string; pid: number }).state, 'ready');
    assert.equal(await stopRuntime(runtime), 0);
  });

  test('the recovery system carries the bundled image program alone, and it runs', async () => {
    const dest = join(work, 'recovery');
    const written = await writeRuntimePayload(REPO, dest, 'recovery');
    assert.ok(written.ok, written.ok ? '' : written.error.message);
    assert.ok(!existsSync(join(dest, PAYLOAD_DIR, 'node_modules')), 'no npm packages');
    assert.deepEqual(readdirSync(join(dest, PAYLOAD_DIR, 'dist/src')), ['image']);
    assert.match(readFileSync(join(dest, 'usr/local/bin/rayos'), 'utf8'), new RegExp(`${IMAGE_MAIN} "\\$@"`));

    const { dir, cleanup } = tempDataDir();
    try {
      const crashes = await runCli(['crash', 'list', '--data', dir], { main: join(dest, IMAGE_MAIN) });
      assert.equal(crashes.code, 0, crashes.stderr);
      assert.match(crashes.stdout, /No crash artifacts/);
    } finally {
      cleanup();
    }
  });
});
