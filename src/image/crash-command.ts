// Owns `rayos crash` (placeholder until written).
import type { Command } from 'commander';

export function registerCrashCommands(program: Command): void {
  void program;
}
