#!/usr/bin/env node
// The image program (`rayos image|install|bootmgr|recovery|crash|update` run it as a child): the installed-system commands, in one commander tree.
import { Command, CommanderError } from 'commander';
import { registerBootmgrCommands } from './bootmgr-command.js';
import { registerBuildCommand } from './build-command.js';
import { registerCrashCommands } from './crash-command.js';
import { registerInstallCommand } from './install-command.js';
import { registerRecoveryConsole } from './recovery-console.js';
import { registerUpdateCommands } from './update-command.js';

const program = new Command('rayos')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`RAYOS_CLI_USAGE: ${text.replace(/^error: /, '')}`) })
  .showHelpAfterError('Run "rayos COMMAND --help" for its flags.');
registerBuildCommand(program);
registerBootmgrCommands(program);
registerCrashCommands(program);
registerInstallCommand(program);
registerRecoveryConsole(program);
registerUpdateCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`rayos failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
