// Owns `rayos status`: services, health, uptime, pid, versions, data dir, API addresses, boot count.
import type { Command } from 'commander';
import { EXIT } from '../../contracts/exit-codes.js';
import { action } from '../action.js';
import { formatStatus } from '../format.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the runtime: services and their health, uptime, pid, versions, data dir, API socket and URL, boot count')
    .option('--json', 'print the StatusResponse as JSON')
    .action(
      action(async (ctx) => {
        const status = await ctx.client().status();
        if (!status.ok) return ctx.fail(status.error);
        ctx.output.out(ctx.json ? JSON.stringify(status.value) : formatStatus(status.value));
        return EXIT.OK;
      }),
    );
}
