// Owns `rayos bootmgr` (placeholder until written).
import type { Command } from 'commander';

export function registerBootmgrCommands(program: Command): void {
  void program;
}
