// Owns one fastify instance of the control API (unix or tcp): auth, limits, validated routes, uniform errors.
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { API_ROUTES, OPENAPI_PATH, type RouteSpec } from '../contracts/api-routes.js';
import type { DoctorReport, StatusResponse } from '../contracts/api-types.js';
import type { RayosConfig } from '../contracts/config.js';
import { RayosFailure, rayosError, type RayosError } from '../contracts/errors.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { Storage } from '../services/storage/api.js';
import type { Principal } from '../contracts/policy.js';
import type { PolicyControl } from '../services/policy/api.js';
import type { VmSupervisor } from '../services/vm/api.js';
import type { DisplayControl } from '../services/display/api.js';
import type { InputBroker } from '../services/input/api.js';
import { policyHandlers } from './policy-routes.js';
import { surfaceHandlers } from './surface-routes.js';
import { vmHandlers } from './vm-routes.js';
import { presentedToken, tokenMatches } from './api-token.js';
import { fromFastify, fromZod, statusOf } from './error-reply.js';
import { registerStreams } from './event-streams.js';
import { registerStaticUi } from './static-ui.js';
import { registerCompositorStreams } from './compositor-streams.js';
import { openApiDocument } from './openapi.js';
import { intentHandlers, type AttentionIntake } from './intent-routes.js';
import type { ConductorControl } from '../services/conductor/api.js';
import type { VoiceControl } from '../services/voice/api.js';
import { registerWavBodies, voiceHandlers } from './voice-routes.js';

export interface ApiDeps {
  readonly config: RayosConfig;
  readonly version: string;
  readonly bus: EventBus;
  readonly storage: Storage;
  readonly vms: VmSupervisor;
  readonly policy: PolicyControl;
  readonly display: DisplayControl;
  readonly input: InputBroker;
  readonly conductor: ConductorControl;
  readonly attention: AttentionIntake;
  readonly voice: VoiceControl;
  readonly status: () => StatusResponse;
  readonly doctor: () => Promise<DoctorReport>;
  readonly requestStop: (reason: string) => void;
}

type RouteName = keyof typeof API_ROUTES;
export type Handler = (input: { params: unknown; query: unknown; body: unknown; principal: Principal }) => Promise<unknown> | unknown;

/**
 * Who is asking, for policy: on the unix socket (file mode 0600) it is the person who owns the data directory;
 * on TCP it is whoever holds the bearer token.
 */
const principalOf = (transport: Transport): Principal => (transport.kind === 'unix' ? { kind: 'Person', id: 'owner' } : { kind: 'ApiClient', id: 'api-token' });

/** On the unix socket the file mode (0600) is the authentication; on TCP the bearer token is. */
export type Transport = { kind: 'unix' } | { kind: 'tcp'; token: string };

export async function buildHttpServer(transport: Transport, deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: deps.config.api.bodyLimitBytes, logger: false, forceCloseConnections: true, return503OnClosing: true });

  app.setErrorHandler((error: FastifyError, _request, reply) => sendError(reply, fromFastify(error)));
  registerWavBodies(app);
  app.setNotFoundHandler((request, reply) => sendError(reply, rayosError('RAYOS_API_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see ${OPENAPI_PATH}.`)));

  if (transport.kind === 'tcp') registerStaticUi(app);
  if (transport.kind === 'tcp') {
    const { token } = transport;
    app.addHook('onRequest', async (request, reply) => {
      if (!tokenMatches(token, presentedToken(request.headers, request.url))) {
        return sendError(reply, rayosError('RAYOS_API_UNAUTHORIZED', 'Missing or wrong API token; send "Authorization: Bearer <token>" with the token from the api-token file in the data directory.'));
      }
    });
  }

  await app.register(rateLimit, {
    max: deps.config.api.rateLimit.max,
    timeWindow: deps.config.api.rateLimit.windowMs,
    keyGenerator: (request) => (transport.kind === 'unix' ? 'unix-socket' : request.ip),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RAYOS_API_RATE_LIMITED',
      message: `Too many requests: at most ${context.max} per ${context.after}; retry after ${context.after}.`,
    }),
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const principal = principalOf(transport);
  const handlers: Record<RouteName, Handler> = {
    status: () => deps.status(),
    doctor: () => deps.doctor(),
    events: ({ query }) => {
      const q = query as z.infer<typeof API_ROUTES.events.query>;
      return { events: deps.bus.recent(q.afterSeq, q.limit), lastSeq: deps.bus.lastSeq };
    },
    journal: async ({ query }) => {
      const { boot: selector, ...q } = query as z.infer<typeof API_ROUTES.journal.query>;
      if (selector === undefined) {
        const records = await deps.storage.readJournal(q);
        return { records, nextSeq: (records.at(-1)?.seq ?? q.afterSeq ?? 0) + 1 };
      }
      // One boot's records are a sequence range; pages move through it with afterSeq as usual.
      const boot = deps.storage.findBoot(selector);
      if (!boot.ok) throw new RayosFailure(boot.error);
      const { firstSeq, endSeq } = boot.value;
      const afterSeq = Math.max(q.afterSeq ?? 0, (firstSeq ?? 1) - 1);
      const records = firstSeq === null ? [] : await deps.storage.readJournal({ ...q, afterSeq, ...(endSeq === null ? {} : { beforeSeq: endSeq }) });
      return { records, nextSeq: (records.at(-1)?.seq ?? afterSeq) + 1, boot: boot.value };
    },
    appendNote: async ({ body, principal }) => {
      const allowed = await deps.policy.authorize({ principal, action: 'journal.note', resource: { kind: 'Runtime', id: 'rayos' } });
      if (!allowed.ok) throw new RayosFailure(allowed.error);
      const record = await deps.storage.appendNote(body as z.infer<typeof API_ROUTES.appendNote.body>);
      deps.bus.publish('note.recorded', { source: String(record.data['source']), message: String(record.data['message']), seq: record.seq });
      return { seq: record.seq, at: record.at };
    },
    stop: async ({ principal }) => {
      const allowed = await deps.policy.authorize({ principal, action: 'runtime.stop', resource: { kind: 'Runtime', id: 'rayos' } });
      if (!allowed.ok) throw new RayosFailure(allowed.error);
      // Answer first; the stop closes this very server.
      setImmediate(() => deps.requestStop('api'));
      return { accepted: true };
    },
    ...vmHandlers(deps.vms),
    ...policyHandlers(deps.policy),
    ...surfaceHandlers(deps.display, deps.input),
    ...intentHandlers(deps.conductor, deps.attention),
    ...voiceHandlers(deps.voice),
  };

  for (const [name, route] of Object.entries(API_ROUTES) as [RouteName, RouteSpec][]) {
    app.route({
      method: route.method,
      url: route.path,
      ...(route.bodyLimitBytes === undefined ? {} : { bodyLimit: route.bodyLimitBytes }),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = route.params ? route.params.safeParse(request.params ?? {}) : null;
        if (params && !params.success) return sendError(reply, fromZod('path', params.error.issues));
        const query = route.query ? route.query.safeParse(request.query ?? {}) : null;
        if (query && !query.success) return sendError(reply, fromZod('query', query.error.issues));
        const body = route.body ? route.body.safeParse(request.body ?? {}) : null;
        if (body && !body.success) return sendError(reply, fromZod('body', body.error.issues));
        try {
          const result = await handlers[name]({ params: params?.data, query: query?.data, body: body?.data, principal });
          if (route.responseKind === 'png' || route.responseKind === 'wav') return reply.code(route.status).type(route.responseKind === 'png' ? 'image/png' : 'audio/wav').send(Buffer.from(result as Uint8Array));
          return reply.code(route.status).send(result);
        } catch (error) {
          return sendError(reply, error instanceof RayosFailure ? error.toError() : rayosError('RAYOS_API_INTERNAL', `The runtime failed while answering: ${String(error)}`));
        }
      },
    });
  }
  // Built on first request: converting every schema costs start-up time that most runs never use.
  let document: Record<string, unknown> | null = null;
  app.get(OPENAPI_PATH, async () => (document ??= openApiDocument(deps.version)));
  registerStreams(app, deps);
  registerCompositorStreams(app, deps, principal);
  return app;
}

function sendError(reply: FastifyReply, error: RayosError): FastifyReply {
  return reply.code(statusOf(error)).send(error);
}
