// Owns `rayos image build` (placeholder until written).
import type { Command } from 'commander';

export function registerBuildCommand(program: Command): void {
  void program;
}
