// Tests the runtime end to end: boot to READY, status and doctor from another process, ordered stop, the data-dir lock, config errors.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RuntimeInfoSchema, StatusResponseSchema } from '../../src/contracts/api-types.js';
import { runCli, startReadyRuntime, startRuntime, stopRuntime, tempDataDir } from '../support/runtime-process.js';
import { rawRequest } from '../support/raw-http.js';

describe('runtime lifecycle', () => {
  test('boots to READY in dependency order, answers status from another process, stops in reverse on SIGINT', async (t) => {
    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    const runtime = await startReadyRuntime(dir);
    // A failed assertion must not leave the runtime running past the test.
    t.after(() => (runtime.child.exitCode === null ? stopRuntime(runtime) : undefined));
    const boot = runtime.lines.filter((l) => l.startsWith('RAYOS_SERVICE:') || l.startsWith('RAYOS_BOOT_MARKER'));
    assert.deepEqual(boot, [
      'RAYOS_SERVICE:STARTING:storage',
      'RAYOS_SERVICE:STARTED:storage',
      'RAYOS_SERVICE:STARTING:policy',
      'RAYOS_SERVICE:STARTED:policy',
      'RAYOS_SERVICE:STARTING:vm',
      'RAYOS_SERVICE:STARTED:vm',
      'RAYOS_SERVICE:STARTING:display',
      'RAYOS_SERVICE:STARTED:display',
      'RAYOS_SERVICE:STARTING:input',
      'RAYOS_SERVICE:STARTED:input',
      'RAYOS_SERVICE:STARTING:perception',
      'RAYOS_SERVICE:STARTED:perception',
      'RAYOS_SERVICE:STARTING:conductor',
      'RAYOS_SERVICE:STARTED:conductor',
      'RAYOS_SERVICE:STARTING:voice',
      'RAYOS_SERVICE:STARTED:voice',
      'RAYOS_SERVICE:STARTING:api',
      'RAYOS_SERVICE:STARTED:api',
      'RAYOS_BOOT_MARKER:READY',
    ]);
    // No guest image was built in this data dir: the Linux subsystem is not created, and the runtime says so.
    assert.ok(runtime.lines.includes('RAYOS_LINUX:IMAGE_MISSING'));

    const status = await runCli(['status', '--json', '--data', dir]);
    assert.equal(status.code, 0, status.stderr);
    const parsed = StatusResponseSchema.parse(JSON.parse(status.stdout));
    assert.equal(parsed.state, 'ready');
    assert.equal(parsed.pid, runtime.child.pid);
    assert.deepEqual(parsed.services.map((s) => [s.name, s.state, s.health.status]), [
      ['storage', 'running', 'ok'],
      ['policy', 'running', 'ok'],
      ['vm', 'running', 'ok'],
      ['display', 'running', 'ok'],
      ['input', 'running', 'ok'],
      ['perception', 'running', 'ok'],
      ['conductor', 'running', 'ok'],
      ['voice', 'running', 'ok'],
      ['api', 'running', 'ok'],
    ]);
    assert.equal(parsed.bootCount, 1);

    const human = await runCli(['status', '--data', dir]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /storage/);
    assert.match(human.stdout, /api/);

    // Owner-only files: the socket and the token.
    assert.equal(statSync(join(dir, 'rayos.sock')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'api-token')).mode & 0o777, 0o600);
    const info = RuntimeInfoSchema.parse(JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'runtime.json'), 'utf8'))));
    assert.equal(info.pid, runtime.child.pid);

    const code = await stopRuntime(runtime);
    assert.equal(code, 0, runtime.stderr());
    const stops = runtime.lines.filter((l) => /^RAYOS_SERVICE:STOPP/.test(l));
    assert.deepEqual(stops, [
      'RAYOS_SERVICE:STOPPING:api',
      'RAYOS_SERVICE:STOPPED:api',
      'RAYOS_SERVICE:STOPPING:voice',
      'RAYOS_SERVICE:STOPPED:voice',
      'RAYOS_SERVICE:STOPPING:conductor',
      'RAYOS_SERVICE:STOPPED:conductor',
      'RAYOS_SERVICE:STOPPING:perception',
      'RAYOS_SERVICE:STOPPED:perception',
      'RAYOS_SERVICE:STOPPING:input',
      'RAYOS_SERVICE:STOPPED:input',
      'RAYOS_SERVICE:STOPPING:display',
      'RAYOS_SERVICE:STOPPED:display',
      'RAYOS_SERVICE:STOPPING:vm',
      'RAYOS_SERVICE:STOPPED:vm',
      'RAYOS_SERVICE:STOPPING:policy',
      'RAYOS_SERVICE:STOPPED:policy',
      'RAYOS_SERVICE:STOPPING:storage',
      'RAYOS_SERVICE:STOPPED:storage',
    ]);
    assert.equal(runtime.lines.at(-1), 'RAYOS_RUNTIME:STOPPED:SIGINT');
    assert.equal(existsSync(join(dir, 'rayos.sock')), false, 'socket removed');
    assert.equal(existsSync(join(dir, 'rayos.lock')), false, 'lock released');

    // The journal kept this boot's markers: the next boot can show them.
    const again = await startReadyRuntime(dir);
    t.after(() => stopRuntime(again));
    const log = await runCli(['log', 'show', '--json', '--grep', 'RAYOS_SERVICE:STOPPED:api', '--data', dir]);
    assert.equal(log.code, 0, log.stderr);
    assert.equal(log.stdout.trim().split('\n').filter(Boolean).length, 1);
    const status2 = StatusResponseSchema.parse(JSON.parse((await runCli(['status', '--json', '--data', dir])).stdout));
    assert.equal(status2.bootCount, 2);
  });

  test('a second runtime on the same data dir is refused with the holder pid, and the first keeps serving', async (t) => {
    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    const first = await startReadyRuntime(dir);
    t.after(() => stopRuntime(first));
    const second = startRuntime(dir);
    const code = await second.exited;
    assert.equal(code, 5);
    assert.match(second.stderr(), new RegExp(`RAYOS_RUNTIME_LOCKED: Another RayOS runtime \\(pid ${first.child.pid}\\)`));
    assert.ok(second.lines.includes('RAYOS_BOOT_MARKER:FAILED:RAYOS_RUNTIME_LOCKED'));
    const status = await rawRequest({ socketPath: join(dir, 'rayos.sock') }, 'GET', '/v1/status');
    assert.equal(status.status, 200);
    assert.equal((status.body as { pid: number }).pid, first.child.pid);
  });

  test('an invalid config stops startup naming the key, and creates nothing', async (t) => {
    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    writeFileSync(join(dir, 'rayos.toml'), '[journal]\nsegmentBytez = 10\n');
    const runtime = startRuntime(dir);
    assert.equal(await runtime.exited, 6);
    assert.match(runtime.stderr(), /RAYOS_CONFIG_UNKNOWN_KEY: Unknown config key "journal\.segmentBytez"/);
    assert.deepEqual(readdirSync(dir), ['rayos.toml']);

    writeFileSync(join(dir, 'rayos.toml'), '');
    const badEnv = startRuntime(dir, [], { RAYOS_API_RATE_LIMIT_MAX: '-3' });
    assert.equal(await badEnv.exited, 6);
    assert.match(badEnv.stderr(), /RAYOS_CONFIG_INVALID_VALUE: Config key "api\.rateLimit\.max" in the environment/);
    assert.deepEqual(readdirSync(dir), ['rayos.toml']);
  });

  test('a bad flag is a usage error', async (t) => {
    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    const runtime = startRuntime(dir, ['--frobnicate']);
    assert.equal(await runtime.exited, 2);
    assert.match(runtime.stderr(), /RAYOS_CLI_USAGE/);
  });

  test('the API stop route stops the runtime cleanly', async (t) => {
    const { dir, cleanup } = tempDataDir();
    t.after(cleanup);
    const runtime = await startReadyRuntime(dir);
    const stop = await runCli(['stop', '--data', dir]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(await runtime.exited, 0);
    assert.ok(runtime.lines.includes('RAYOS_RUNTIME:STOPPED:api'));
  });
});
