// Owns the API as a service: listens on the unix socket (0600) and loopback TCP, publishes runtime.json, closes both on stop.
import { chmodSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Health } from '../contracts/api-types.js';
import { RayosFailure, rayosError } from '../contracts/errors.js';
import type { Service, ServiceContext } from '../kernel/service.js';
import type { Storage } from '../services/storage/api.js';
import { loadOrCreateToken } from './api-token.js';
import { buildHttpServer, type ApiDeps } from './http-server.js';

export type ApiServiceDeps = Omit<ApiDeps, 'config' | 'bus'> & { readonly storage: Storage };

export interface ApiService extends Service {
  /** http://127.0.0.1:PORT once listening, else null. */
  url(): string | null;
  socketPath(): string;
}

export function createApiService(deps: ApiServiceDeps): ApiService {
  const { layout } = deps.storage;
  const servers: FastifyInstance[] = [];
  let url: string | null = null;

  const closeAll = async (): Promise<void> => {
    const closing = servers.splice(0).map((server) => server.close());
    await Promise.allSettled(closing);
    url = null;
    rmSync(layout.runtimeInfo, { force: true });
    rmSync(layout.socket, { force: true });
  };

  return {
    name: 'api',
    // After vm, display and input, so that at shutdown the API closes before VMs are handed on.
    dependsOn: ['storage', 'policy', 'vm', 'display', 'input', 'perception', 'conductor', 'voice'],
    url: () => url,
    socketPath: () => layout.socket,

    async start(ctx: ServiceContext) {
      const full: ApiDeps = { ...deps, config: ctx.config, bus: ctx.bus };
      const token = loadOrCreateToken(layout.token, (path, data, mode) => deps.storage.writeFileAtomic(path, data, mode));
      try {
        // We hold the data-dir lock, so a socket file left here belongs to a dead runtime.
        rmSync(layout.socket, { force: true });
        const unix = await buildHttpServer({ kind: 'unix' }, full);
        servers.push(unix);
        await listen(unix, { path: layout.socket }, `the socket ${layout.socket}`);
        chmodSync(layout.socket, 0o600);
        ctx.markers.emit('RAYOS_API', 'LISTENING_UNIX', layout.socket);

        const tcp = await buildHttpServer({ kind: 'tcp', token }, full);
        servers.push(tcp);
        await listen(tcp, { host: ctx.config.api.host, port: ctx.config.api.port }, `port ${ctx.config.api.port} on ${ctx.config.api.host}`);
        const address = tcp.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : ctx.config.api.port;
        const host = ctx.config.api.host.includes(':') ? `[${ctx.config.api.host}]` : ctx.config.api.host;
        url = `http://${host}:${port}`;
        ctx.markers.emit('RAYOS_API', 'LISTENING_TCP', ctx.config.api.host, port);
        deps.storage.writeFileAtomic(
          layout.runtimeInfo,
          JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), socket: layout.socket, url, version: deps.version }, null, 2),
          0o600,
        );
      } catch (error) {
        await closeAll();
        throw error;
      }
    },

    stop: closeAll,

    health(): Health {
      return servers.length === 2 ? { status: 'ok', detail: url ?? undefined } : { status: 'failed', detail: 'not listening' };
    },
  };
}

async function listen(server: FastifyInstance, where: { path: string } | { host: string; port: number }, what: string): Promise<void> {
  try {
    await server.listen(where);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new RayosFailure(rayosError('RAYOS_API_ADDRESS_IN_USE', `The API cannot listen on ${what}: it is in use. Stop whatever holds it, or pick another port with --port (0 picks a free one).`));
    }
    throw new RayosFailure(rayosError('RAYOS_API_INTERNAL', `The API cannot listen on ${what}: ${(error as Error).message}`));
  }
}
