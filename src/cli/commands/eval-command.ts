// Owns `rayos eval intents FILE`: scores intent scenarios offline by running the runtime entry's `eval intents` (no runtime needs to be up).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { rayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { daemonMissingMessage, runDaemonCaptured } from '../daemon-entry.js';

/** Large scenario files take a while; a run that takes longer than this is stuck. */
const EVAL_TIMEOUT_MS = 10 * 60_000;

export function registerEvalCommand(program: Command): void {
  const group = program.command('eval').description('offline evaluations of RayOS (no runtime needed)');
  group
    .command('intents <file>')
    .description('resolve every intent scenario of a JSON Lines file (shared/eval/README.md) and print the metrics as JSON')
    .action(
      action(async (ctx, _options, [file]) => {
        const missing = daemonMissingMessage();
        if (missing !== null) {
          ctx.output.err(missing);
          return EXIT.FAILURE;
        }
        // The evaluation runs cognition, which the CLI does not import: the runtime entry does it in a short-lived process.
        const run = await runDaemonCaptured(['eval', 'intents', resolve(file ?? '')], EVAL_TIMEOUT_MS);
        if (!run.ok) return ctx.fail(rayosError('RAYOS_CLI_PROTOCOL', `The evaluation could not run: ${run.error}.`));
        const { code, stdout, stderr } = run.value;
        if (stdout !== '') process.stdout.write(stdout);
        if (stderr !== '') process.stderr.write(stderr);
        if (code === EXIT.OK) return EXIT.OK;
        if (!/RAYOS_[A-Z_]+:/.test(stderr)) ctx.output.err(`RAYOS_CLI_PROTOCOL: The evaluation exited with code ${code} without saying why; check that the CLI and runtime are built from the same tree (npx tsc -b).`);
        return EXIT.FAILURE;
      }),
    );
}
