// Tests `rayos eval intents FILE` as a person runs it: no runtime needed, the report JSON on stdout, and RAYOS_* errors with exit 1 for a bad line or a missing file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runRayos } from '../cli-process.test-support.js';
import { EXIT } from '../../contracts/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-eval-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rayos = (args: string[]) => runRayos(args, { RAYOS_DATA: join(dir, 'data') }, 60_000);

const scene = { screen: [1920, 1080], objects: [{ id: 'windows', type: 'vm', label: 'Windows', state: { power: 'running' } }] };
const good = [
  { id: 'named-01', scene, gaze: [], utterance: { t: 0, text: 'pause windows' }, expect: { decision: 'execute', action: 'pause', target: 'windows' } },
  { id: 'oos-01', scene, gaze: [], utterance: { t: 0, text: 'tell me a joke' }, expect: { decision: 'out_of_scope' } },
].map((s) => JSON.stringify(s));

test('rayos eval intents prints the report as JSON and exits 0, with no runtime running', async () => {
  const file = join(dir, 'good.jsonl');
  writeFileSync(file, `${good.join('\n')}\n`);
  const result = await rayos(['eval', 'intents', file]);
  assert.equal(result.code, EXIT.OK, result.stderr);
  const report = JSON.parse(result.stdout) as { results: { id: string; correct: boolean }[]; summary: { n: number; accuracy: number }; byCategory: Record<string, unknown> };
  assert.equal(report.summary.n, 2);
  assert.equal(report.summary.accuracy, 1);
  assert.deepEqual(report.results.map((r) => r.id), ['named-01', 'oos-01']);
  assert.deepEqual(Object.keys(report.byCategory).sort(), ['named', 'oos']);
});

test('a bad line is RAYOS_EVAL_BAD_SCENARIO naming the line, exit 1, nothing on stdout', async () => {
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, `${good[0]}\n{"id": "broken"\n`);
  const result = await rayos(['eval', 'intents', file]);
  assert.equal(result.code, EXIT.FAILURE);
  assert.match(result.stderr, /RAYOS_EVAL_BAD_SCENARIO: Line 2 /);
  assert.equal(result.stdout, '');
});

test('a missing file is RAYOS_EVAL_FILE_UNREADABLE, exit 1; no file argument is a usage error', async () => {
  const missing = await rayos(['eval', 'intents', join(dir, 'nope.jsonl')]);
  assert.equal(missing.code, EXIT.FAILURE);
  assert.match(missing.stderr, /RAYOS_EVAL_FILE_UNREADABLE: The scenario file .*nope\.jsonl cannot be read \(ENOENT\)/);
  const usage = await rayos(['eval', 'intents']);
  assert.equal(usage.code, EXIT.USAGE);
  assert.match(usage.stderr, /RAYOS_CLI_USAGE/);
});
