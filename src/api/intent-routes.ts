// Owns the handlers of the intent routes: say something to the conductor, its history and explanations, and live attention samples from the page.
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import type { API_ROUTES } from '../contracts/api-routes.js';
import type { AttentionSamples } from '../contracts/conductor.js';
import { RayosFailure, type RayosError } from '../contracts/errors.js';
import type { AttentionSnapshot } from '../contracts/intent.js';
import type { ConductorControl } from '../services/conductor/api.js';

type Input = { params: unknown; query: unknown; body: unknown };

/** Where the page's samples go: the perception service's live field. */
export interface AttentionIntake {
  ingest(samples: AttentionSamples): Result<{ accepted: number; dropped: number }, RayosError>;
  /** The live field now: per-object probabilities only. */
  snapshot(): AttentionSnapshot;
}

function unwrap<T>(result: Result<T, RayosError>): T {
  if (!result.ok) throw new RayosFailure(result.error);
  return result.value;
}

export function intentHandlers(conductor: ConductorControl, attention: AttentionIntake) {
  return {
    intentDo: async (i: Input) => unwrap(await conductor.handle(i.body)),
    intentList: (i: Input) => ({ intents: conductor.recent((i.query as z.infer<typeof API_ROUTES.intentList.query>).limit) }),
    intentExplain: async (i: Input) => unwrap(await conductor.explain((i.params as z.infer<typeof API_ROUTES.intentExplain.params>).id)),
    attentionSamples: (i: Input) => unwrap(attention.ingest(i.body as AttentionSamples)),
    attentionRead: () => attention.snapshot(),
  };
}
