// Tests the conductor end to end with a real guest: `rayos do` with words and gaze traces, policy on every step, explanations that outlive a restart, bad input.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IntentExplanationSchema, IntentOutcomeSchema, type IntentOutcome } from '../../src/contracts/conductor.js';
import { SurfaceListSchema } from '../../src/contracts/display.js';
import { EXIT } from '../../src/contracts/exit-codes.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;

describe('the conductor', () => {
  const { dir, cleanup } = tempDataDir('rayos-conductor-');
  const { cli, show } = vmCli(dir);
  let runtime: RuntimeProcess;

  /** `rayos do … --json`: the exit code and the outcome. */
  const say = async (words: string, extra: string[] = []): Promise<{ code: number | null; outcome: IntentOutcome }> => {
    const run = await cli(['do', ...extra, '--json', '--', words]);
    assert.ok(run.stdout.trim() !== '', `no outcome for "${words}": ${run.stderr}`);
    return { code: run.code, outcome: IntentOutcomeSchema.parse(JSON.parse(run.stdout)) };
  };
  const surface = async () => {
    const listed = await cli(['surface', 'list', '--json']);
    return SurfaceListSchema.parse(JSON.parse(listed.stdout)).surfaces.find((s) => s.vm === 'linux');
  };

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    await runtime.waitFor(/^RAYOS_PRESENTATION:SURFACE_CREATE:linux:/, 60_000);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('named words act: "show linux desktop" presents it; "pause it" pauses the VM it refers to; "resume it" resumes it', async () => {
    const shown = await say('show linux desktop');
    assert.equal(shown.code, EXIT.OK, JSON.stringify(shown.outcome));
    assert.equal(shown.outcome.outcome, 'done');
    assert.deepEqual(shown.outcome.steps.map((s) => `${s.kind} ${s.status}`), ['surface.present done']);
    await runtime.waitFor(`RAYOS_CONDUCTOR:HANDLED:${shown.outcome.intentId}:done`);
    assert.equal((await surface())?.presented, true);

    const paused = await say('pause it');
    assert.deepEqual([paused.outcome.decision.action, paused.outcome.decision.target, paused.outcome.outcome], ['pause', 'linux', 'done']);
    assert.equal((await show()).state, 'paused');
    const again = await say('pause linux');
    assert.equal(again.outcome.outcome, 'inform', 'pausing a paused VM is a precondition that fails, said plainly');
    assert.equal(again.code, EXIT.UNRESOLVED);
    const resumed = await say('resume it');
    assert.equal(resumed.outcome.outcome, 'done');
    assert.equal((await show()).state, 'running');
  });

  test('a gaze trace on the window resolves "this"; the same words with gaze on nothing do not act on a guess', async () => {
    const window = (await surface())!;
    const trace = join(dir, 'look-at-linux.json');
    const cx = window.x + window.width / 2;
    const cy = window.y + window.height / 2;
    writeFileSync(trace, JSON.stringify({ tracker: { accuracyDeg: 1, pxPerDeg: 40 }, at: 1000, gaze: Array.from({ length: 30 }, (_, i) => [i * 33, cx + (i % 3), cy - (i % 2)]) }));
    const hidden = await say('hide this', ['--gaze', trace]);
    assert.deepEqual([hidden.outcome.decision.action, hidden.outcome.decision.target, hidden.outcome.outcome], ['hide', 'linux', 'done']);
    assert.equal((await surface())?.presented, false);
    const opened = await say('bring it back');
    assert.deepEqual([opened.outcome.decision.action, opened.outcome.outcome], ['present', 'done']);
    assert.equal((await surface())?.presented, true);
  });

  test('every step asks policy: a forbid on the conductor denies the plan and says which policy and why', async () => {
    const file = join(dir, 'no-conductor-pause.cedar');
    writeFileSync(file, '@id("no-conductor-pause")\n@reason("Test: the conductor may not pause subsystems.")\nforbid (principal is Conductor, action == Action::"vm.pause", resource);\n');
    assert.equal((await cli(['policy', 'apply', file])).code, 0);
    try {
      const denied = await say('pause linux');
      assert.equal(denied.code, EXIT.FAILURE);
      assert.equal(denied.outcome.outcome, 'denied');
      assert.equal(denied.outcome.steps[0]?.code, 'RAYOS_POLICY_DENIED');
      assert.match(denied.outcome.say, /no-conductor-pause/);
      assert.equal((await show()).state, 'running', 'nothing was done');
      const explained = await cli(['explain', denied.outcome.intentId]);
      assert.equal(explained.code, 0, explained.stderr);
      assert.match(explained.stdout, /vm\.pause linux: denied/);
      assert.match(explained.stdout, /the conductor may not pause subsystems/);
    } finally {
      assert.equal((await cli(['policy', 'remove', 'no-conductor-pause'])).code, 0);
    }
  });

  test('out of scope, empty, binary and oversized words are answered, never a crash; a bad trace file is a clear error', async () => {
    const weather = await say("what's the weather like tomorrow");
    assert.deepEqual([weather.outcome.outcome, weather.code], ['out_of_scope', EXIT.UNRESOLVED]);
    const binary = await say('\u0001\u0002\u00ff\ufffd\u0007');
    assert.equal(binary.outcome.outcome, 'out_of_scope');
    const huge = await cli(['do', '--json', '--', 'x'.repeat(5000)]);
    assert.equal(huge.code, EXIT.FAILURE);
    assert.match(huge.stderr, /RAYOS_API_BAD_REQUEST/);
    const badTrace = join(dir, 'bad-trace.json');
    writeFileSync(badTrace, '{"gaze": [[0, "left", 3]]}');
    const refused = await cli(['do', '--gaze', badTrace, 'open this']);
    assert.equal(refused.code, EXIT.FAILURE);
    assert.match(refused.stderr, /RAYOS_CLI_BAD_FILE/);
    assert.equal((await cli(['status', '--json'])).code, 0);
  });

  test('"rayos explain" answers from the journal after the runtime restarts', async () => {
    const done = await say('snapshot linux');
    assert.equal(done.outcome.outcome, 'done', JSON.stringify(done.outcome));
    await stopRuntime(runtime);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    const explained = await cli(['explain', done.outcome.intentId, '--json']);
    assert.equal(explained.code, 0, explained.stderr);
    const explanation = IntentExplanationSchema.parse(JSON.parse(explained.stdout));
    assert.deepEqual([explanation.action, explanation.target, explanation.outcome], ['snapshot', 'linux', 'done']);
    assert.ok(explanation.lines.some((l) => /vm\.snapshot linux \(intent-\d{8}-\d{6}\): done/.test(l)), explanation.lines.join('\n'));
    // Asked in words after the restart, the answer comes from the journal too.
    const why = await say('why did you take a snapshot of linux?');
    assert.deepEqual([why.outcome.decision.action, why.outcome.outcome], ['explain', 'done']);
    assert.match(why.outcome.say, /you said "snapshot linux"/);
    // Two snapshots: restoring "one of its snapshots" asks which; the answer restores that one.
    assert.equal((await say('take a snapshot of linux')).outcome.outcome, 'done');
    const asked = await say('restore linux to one of its snapshots');
    assert.deepEqual([asked.outcome.outcome, asked.code, asked.outcome.choices.length], ['clarify', EXIT.UNRESOLVED, 2]);
    const pick = asked.outcome.choices[0]!;
    const answered = await cli(['answer', asked.outcome.intentId, pick.option, '--json']);
    assert.equal(answered.code, EXIT.OK, answered.stderr);
    const restored = IntentOutcomeSchema.parse(JSON.parse(answered.stdout));
    assert.deepEqual(restored.steps.map((s) => `${s.kind} ${s.vm} ${s.tag} ${s.status}`), [`vm.restore linux ${pick.option.split('@')[1]} done`]);
    const stale = await cli(['answer', asked.outcome.intentId, pick.option]);
    assert.match(stale.stderr, /RAYOS_CONDUCTOR_NO_QUESTION/);
    const unknown = await cli(['explain', 'ffffffff']);
    assert.equal(unknown.code, EXIT.FAILURE);
    assert.match(unknown.stderr, /RAYOS_CONDUCTOR_UNKNOWN_INTENT/);
  });
});
