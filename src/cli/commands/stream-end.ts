// Owns what a following command says and returns when its stream ends.
import type { Result } from '../../base/result.js';
import type { StreamEnd } from '../../client/api.js';
import type { RayosError } from '../../contracts/errors.js';
import { EXIT } from '../../contracts/exit-codes.js';
import type { CommandContext } from '../context.js';

/** Ctrl-C is the normal way out (exit 0); a runtime that stops says so; a broken stream is an error. */
export function reportStreamEnd(ctx: CommandContext, end: Result<StreamEnd, RayosError>): number {
  if (!end.ok) return ctx.fail(end.error);
  if (end.value.reason === 'closed') ctx.output.err('The runtime closed the stream (it is stopping).');
  return EXIT.OK;
}
