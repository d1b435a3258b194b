// Owns the handlers of the speech routes: is voice available, transcribe a recording (raw audio/wav), speak a sentence (audio/wav back).
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import type { API_ROUTES } from '../contracts/api-routes.js';
import { RayosFailure, type RayosError } from '../contracts/errors.js';
import type { VoiceControl } from '../services/voice/api.js';

type Input = { params: unknown; query: unknown; body: unknown };

/** Media types browsers and tools send WAV as; the bytes are checked by the WAV reader, not trusted for their label. */
const WAV_TYPES = ['audio/wav', 'audio/wave', 'audio/x-wav', 'audio/vnd.wave'];

function unwrap<T>(result: Result<T, RayosError>): T {
  if (!result.ok) throw new RayosFailure(result.error);
  return result.value;
}

/** Lets a route take a raw WAV body: fastify hands it over as a Buffer, within the route's bodyLimit. */
export function registerWavBodies(app: FastifyInstance): void {
  app.addContentTypeParser(WAV_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

export function voiceHandlers(voice: VoiceControl) {
  return {
    speechStatus: () => voice.status(),
    speechTranscribe: async (i: Input) => unwrap(await voice.transcribe(i.body as z.infer<typeof API_ROUTES.speechTranscribe.body>)),
    speechSay: async (i: Input) => unwrap(await voice.say((i.body as z.infer<typeof API_ROUTES.speechSay.body>).text)),
  };
}
