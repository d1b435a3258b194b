// Owns following a stream until Ctrl-C: the first SIGINT (or SIGTERM) ends it cleanly, a second one exits at once.
import type { Result } from '../base/result.js';
import type { RayosError } from '../contracts/errors.js';
import type { StreamEnd } from '../client/api.js';

export async function followUntilInterrupted(stream: (signal: AbortSignal) => Promise<Result<StreamEnd, RayosError>>): Promise<Result<StreamEnd, RayosError>> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await stream(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
