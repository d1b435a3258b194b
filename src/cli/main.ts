#!/usr/bin/env node
// The `rayos` executable: parses the command line and turns every way out into a documented exit code.
import { CommanderError } from 'commander';
import { EXIT } from '../contracts/exit-codes.js';
import { buildProgram, USAGE_HINT } from './program.js';

// A reader that goes away (`rayos events --follow | head`) is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end with 0; everything else commander refuses is a usage error.
    if (error.exitCode === 0) process.exitCode = EXIT.OK;
    else {
      // A missing command prints only the help; say what went wrong in the stable form too.
      if (error.code === 'commander.help') process.stderr.write(`RAYOS_CLI_USAGE: a command is required. ${USAGE_HINT}\n`);
      process.exitCode = EXIT.USAGE;
    }
  } else {
    process.stderr.write(`rayos failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.FAILURE;
  }
}
