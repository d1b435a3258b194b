// Tests the rayos executable where no runtime is needed: usage errors exit 2, no runtime exits 3, --help and --version exit 0.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runRayos } from './cli-process.test-support.js';
import { EXIT } from '../contracts/exit-codes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rayos-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const rayos = (args: string[]) => runRayos(args, { RAYOS_DATA: dataDir }, 20_000);

const usageCases: [string, string[], RegExp][] = [
  ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ['an unknown flag', ['status', '--frobnicate'], /unknown option '--frobnicate'/],
  ['a bad --since', ['log', 'show', '--since', 'yesterday'], /--since.*"yesterday" is neither a duration/],
  ['a bad --after', ['events', '--after', '-3'], /--after/],
  ['a bad --port', ['up', '--port', '70000'], /--port.*0 to 65535/],
  ['a --set without =', ['up', '--set', 'api.port'], /key=value/],
  ['a missing note', ['log', 'note'], /missing required argument 'message'/],
  ['a bad note source', ['log', 'note', 'hi', '--source', 'a b'], /source/],
  ['no command at all', [], /a command is required/],
  ['a group without its command', ['log'], /a command is required/],
];

for (const [what, args, says] of usageCases) {
  test(`${what} is RAYOS_CLI_USAGE on stderr with exit ${EXIT.USAGE}`, async () => {
    const result = await rayos([...args, '--data', dataDir]);
    assert.equal(result.code, EXIT.USAGE, result.stderr);
    assert.match(result.stderr, /RAYOS_CLI_USAGE/);
    assert.match(result.stderr, says);
  });
}

for (const args of [['status'], ['status', '--json'], ['events'], ['events', '--follow'], ['log', 'show', '--since', '10m'], ['log', 'show', '--follow'], ['log', 'note', 'hello'], ['stop']]) {
  test(`rayos ${args.join(' ')} with no runtime is RAYOS_CLI_NOT_RUNNING, exit ${EXIT.NOT_RUNNING}`, async () => {
    const result = await rayos([...args, '--data', dataDir]);
    assert.equal(result.code, EXIT.NOT_RUNNING, result.stderr);
    assert.match(result.stderr, new RegExp(`RAYOS_CLI_NOT_RUNNING: No RayOS runtime answers at ${join(dataDir, 'rayos.sock')}; start one with ./rayos up`));
    if (args.includes('--json')) assert.equal(JSON.parse(result.stdout).error.code, 'RAYOS_CLI_NOT_RUNNING');
    else assert.equal(result.stdout, '');
  });
}

test('--data may come before the command, and RAYOS_DATA is the default', async () => {
  const before = await rayos(['--data', dataDir, 'status']);
  assert.equal(before.code, EXIT.NOT_RUNNING);
  assert.match(before.stderr, new RegExp(join(dataDir, 'rayos.sock')));
  const fromEnv = await rayos(['status']);
  assert.match(fromEnv.stderr, new RegExp(join(dataDir, 'rayos.sock')));
});

test('--help and --version exit 0', async () => {
  const help = await rayos(['--help']);
  assert.equal(help.code, 0);
  for (const command of ['up', 'stop', 'status', 'doctor', 'events', 'log']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
  const showHelp = await rayos(['log', 'show', '--help']);
  assert.equal(showHelp.code, 0);
  assert.match(showHelp.stdout, /--since/);
  const version = await rayos(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
});
