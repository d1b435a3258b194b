// Owns `rayos do "<words>" [--gaze trace.json]`, `rayos answer <intent> <option>` and `rayos explain <intent>`: talking to the conductor.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { ClientResult } from '../../client/api.js';
import type { IntentOutcome } from '../../contracts/conductor.js';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { GazeSampleSchema, TrackerSchema } from '../../contracts/intent.js';
import { action } from '../action.js';
import type { CommandContext } from '../context.js';

/** A trace file: the samples alone, or with the tracker's accuracy and the moment the words were said. */
const TraceFileSchema = z.union([
  z.array(GazeSampleSchema),
  z.object({ gaze: z.array(GazeSampleSchema), tracker: TrackerSchema.optional(), at: z.number().finite().optional() }),
]);

function readTrace(path: string): { ok: true; value: z.infer<typeof TraceFileSchema> } | { ok: false; message: string } {
  let untrustedText: string;
  try {
    untrustedText = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, message: `The gaze trace ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).` };
  }
  let untrustedTrace: unknown;
  try {
    untrustedTrace = JSON.parse(untrustedText);
  } catch {
    return { ok: false, message: `The gaze trace ${path} is not JSON; write [[tMs, x, y], …] or {"gaze": [[tMs, x, y], …], "tracker": {"accuracyDeg": 1, "pxPerDeg": 40}, "at": tMs}.` };
  }
  const parsed = TraceFileSchema.safeParse(untrustedTrace);
  if (!parsed.success) return { ok: false, message: `The gaze trace ${path} has the wrong shape (${parsed.error.issues[0]?.message ?? 'unknown'}); write [[tMs, x, y], …] or {"gaze": …, "tracker": …, "at": tMs}.` };
  return { ok: true, value: parsed.data };
}

/** Prints what RayOS did; the exit code says whether it acted (0), was refused or failed (1), or needs more from the person (7). */
async function report(ctx: CommandContext, pending: ClientResult<IntentOutcome>): Promise<number> {
  const done = await pending;
  if (!done.ok) return ctx.fail(done.error);
  const outcome = done.value;
  if (ctx.json) ctx.output.out(JSON.stringify(outcome));
  else {
    ctx.output.out(outcome.say);
    outcome.choices.forEach((c, i) => ctx.output.out(`  ${i + 1}. ${c.label}   (rayos answer ${outcome.intentId} ${c.option})`));
    ctx.output.err(`intent ${outcome.intentId}: ${outcome.outcome} — "rayos explain ${outcome.intentId}" says why`);
  }
  if (outcome.outcome === 'done') return EXIT.OK;
  if (outcome.outcome === 'denied' || outcome.outcome === 'failed') return EXIT.FAILURE;
  return EXIT.UNRESOLVED;
}

export function registerIntentCommands(program: Command): void {
  program
    .command('do <words...>')
    .description('say what you want ("show linux desktop", "pause it"); RayOS resolves it, checks policy, acts and says why')
    .option('--gaze <trace.json>', 'a recorded gaze trace: [[tMs, x, y], …] or {"gaze", "tracker", "at"}; without it, the live attention (the UI) is used')
    .option('--json', 'print the outcome as JSON')
    .action(
      action<{ gaze?: string }>(async (ctx, o, words) => {
        const text = words.join(' ');
        if (o.gaze === undefined) return report(ctx, ctx.client().intents.say({ text }));
        const trace = readTrace(o.gaze);
        if (!trace.ok) return ctx.fail(rayosError('RAYOS_CLI_BAD_FILE', trace.message));
        const body = Array.isArray(trace.value) ? { text, gaze: trace.value } : { text, ...trace.value };
        return report(ctx, ctx.client().intents.say(body));
      }),
    );
  program
    .command('answer <intent> <option>')
    .description('answer a question RayOS asked (the intent id and option "rayos do" printed)')
    .option('--json', 'print the outcome as JSON')
    .action(action(async (ctx, _o, [intent, option]) => report(ctx, ctx.client().intents.answer(intent!, option!))));
  program
    .command('explain <intent>')
    .description('why RayOS did what it did for a request: how it read the words, each step and its policy decision')
    .option('--json', 'print the explanation as JSON')
    .action(
      action(async (ctx, _o, [intent]) => {
        const explained = await ctx.client().intents.explain(intent!);
        if (!explained.ok) return ctx.fail(explained.error);
        ctx.output.out(ctx.json ? JSON.stringify(explained.value) : explained.value.lines.join('\n'));
        return EXIT.OK;
      }),
    );
}
