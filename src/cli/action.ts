// Owns wiring a command's run function to commander: context in, exit code out, client closed afterwards.
import type { Command } from 'commander';
import { createContext, type CommandContext } from './context.js';

export type Run<O> = (ctx: CommandContext, options: O, args: string[]) => Promise<number>;

/** Commander calls actions as (...positionals, options, command). */
export function action<O>(run: Run<O>): (...untrustedArgs: unknown[]) => Promise<void> {
  return async (...untrustedArgs) => {
    const command = untrustedArgs.at(-1) as Command;
    const options = untrustedArgs.at(-2) as O;
    const positionals = untrustedArgs.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : [String(a)]));
    const ctx = createContext(command);
    try {
      process.exitCode = await run(ctx, options, positionals);
    } finally {
      ctx.close();
    }
  };
}
