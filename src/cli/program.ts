// Owns the `rayos` command tree: global flags, usage-error behaviour, and every command.
import { Command } from 'commander';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerEventsCommand } from './commands/events-command.js';
import { registerGuestCommand } from './commands/guest-command.js';
import { registerIntentCommands } from './commands/intent-command.js';
import { registerLogCommand } from './commands/log-command.js';
import { registerPolicyCommand } from './commands/policy-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerSystemCommands } from './commands/system-command.js';
import { registerSurfaceCommands } from './commands/surface-command.js';
import { registerStopCommand } from './commands/stop-command.js';
import { registerUpCommand } from './commands/up-command.js';
import { registerVmCommand } from './commands/vm-command.js';
import { registerWindowsCommand } from './commands/windows-command.js';
import { CLI_VERSION } from './version.js';

export const USAGE_HINT = 'Run "rayos --help" (or "rayos COMMAND --help") for commands and flags.';

export function buildProgram(): Command {
  const program = new Command('rayos')
    .description('Control a RayOS runtime: run it, ask its status, read its events and journal, manage its VMs.')
    .version(CLI_VERSION, '-V, --version', 'print the CLI version')
    .option('--data <dir>', 'data directory (default: $RAYOS_DATA, else ~/.local/share/rayos, /var/lib/rayos for root)')
    // Settings below are inherited by every command added after them.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`RAYOS_CLI_USAGE: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError(USAGE_HINT)
    .showSuggestionAfterError(true);
  registerUpCommand(program);
  registerStopCommand(program);
  registerStatusCommand(program);
  registerDoctorCommand(program);
  registerEventsCommand(program);
  registerLogCommand(program);
  registerVmCommand(program);
  registerWindowsCommand(program);
  registerSurfaceCommands(program);
  registerGuestCommand(program);
  registerPolicyCommand(program);
  registerIntentCommands(program);
  registerEvalCommand(program);
  registerSystemCommands(program);
  return program;
}
