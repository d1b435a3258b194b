// Tests what the CLI does with answers a real runtime cannot be made to give on demand: its error bodies and unreadable replies.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { json, startFakeRuntime, type FakeRuntime } from '../client/fake-runtime.test-support.js';
import { EXIT } from '../contracts/exit-codes.js';

const MAIN = new URL('./main.js', import.meta.url).pathname;
const run = promisify(execFile);

async function rayos(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let fake: FakeRuntime;
before(async () => {
  fake = await startFakeRuntime();
});
after(() => fake.close());

test('an error body from the runtime prints CODE: message and exits 1 (and as JSON under --json)', async () => {
  fake.onHttp = (_r, res) => json(res, 429, { code: 'RAYOS_API_RATE_LIMITED', message: 'Too many requests; retry shortly.' });
  const human = await rayos(['status', '--data', fake.dir]);
  assert.equal(human.code, EXIT.FAILURE);
  assert.equal(human.stderr.trim(), 'RAYOS_API_RATE_LIMITED: Too many requests; retry shortly.');
  const machine = await rayos(['events', '--json', '--data', fake.dir]);
  assert.equal(machine.code, EXIT.FAILURE);
  assert.deepEqual(JSON.parse(machine.stdout), { error: { code: 'RAYOS_API_RATE_LIMITED', message: 'Too many requests; retry shortly.' } });
});

test('a reply the CLI cannot read is RAYOS_CLI_PROTOCOL, exit 1', async () => {
  fake.onHttp = (_r, res) => json(res, 200, { state: 'ready' });
  const result = await rayos(['status', '--data', fake.dir]);
  assert.equal(result.code, EXIT.FAILURE);
  assert.match(result.stderr, /^RAYOS_CLI_PROTOCOL: /);
});

test('doctor exits 4 when a check is MISSING, 0 when none is', async () => {
  const report = (status: 'ok' | 'missing') => ({ checkedAt: 'now', accel: 'tcg', checks: [{ id: 'swtpm', title: 'swtpm', status, detail: 'd', fix: 'apt-get install swtpm swtpm-tools' }] });
  fake.onHttp = (_r, res) => json(res, 200, report('missing'));
  const missing = await rayos(['doctor', '--data', fake.dir]);
  assert.equal(missing.code, EXIT.DOCTOR_MISSING);
  assert.match(missing.stdout, /^MISSING swtpm  d → fix: apt-get install swtpm swtpm-tools$/m);
  fake.onHttp = (_r, res) => json(res, 200, report('ok'));
  const fine = await rayos(['doctor', '--json', '--data', fake.dir]);
  assert.equal(fine.code, EXIT.OK);
  assert.equal(JSON.parse(fine.stdout).checks[0].status, 'ok');
});
