// Owns the OpenAPI 3.1 document, generated from the same route table and zod schemas the server validates with.
import { z } from 'zod';
import { API_ROUTES, STREAM_ROUTES, type RouteSpec } from '../contracts/api-routes.js';
import { RayosErrorSchema } from '../contracts/errors.js';

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of Object.values(API_ROUTES) as RouteSpec[]) {
    const operation: Record<string, unknown> = {
      summary: route.summary,
      responses: {
        [route.status]:
          route.responseKind === 'png' || route.responseKind === 'wav'
            ? { description: 'Success', content: { [route.responseKind === 'png' ? 'image/png' : 'audio/wav']: { schema: { type: 'string', format: 'binary' } } } }
            : { description: 'Success', content: { 'application/json': { schema: schemaOf(route.response, 'output') } } },
        default: { description: 'Error with a stable RAYOS_* code', content: { 'application/json': { schema: schemaOf(RayosErrorSchema, 'output') } } },
      },
    };
    const parameters: Record<string, unknown>[] = [];
    for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
      if (!schema) continue;
      const properties = (schemaOf(schema, 'input').properties ?? {}) as Record<string, unknown>;
      parameters.push(...Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === 'path', schema: s })));
    }
    if (parameters.length > 0) operation['parameters'] = parameters;
    if (route.body) operation['requestBody'] = { required: route.method === 'POST' && !route.path.startsWith('/v1/vms/') && !route.path.startsWith('/v1/surfaces/'), content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
    if (route.bodyKind === 'wav') operation['requestBody'] = { required: true, content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } };
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  for (const stream of Object.values(STREAM_ROUTES)) {
    paths[stream.path.replace(/:([A-Za-z]+)/g, '{$1}')] = { get: { summary: `${stream.summary} (WebSocket upgrade)`, responses: { 101: { description: 'Switching protocols' } } } };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'RayOS control API', version },
    servers: [{ url: 'http://127.0.0.1:7420', description: 'loopback TCP (bearer token); the same API is served on the unix socket in the data dir without a token' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
