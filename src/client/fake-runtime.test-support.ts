// Owns a fault-injecting peer for client tests: a real HTTP + WebSocket server on a unix socket that answers as scripted.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type HttpScript = (request: SeenRequest, response: ServerResponse) => void;
export type WsScript = (socket: WebSocket, request: IncomingMessage) => void;

export interface FakeRuntime {
  readonly dir: string;
  readonly socketPath: string;
  /** Set for a TCP listener (listenTcp). */
  url: string | null;
  readonly seen: SeenRequest[];
  onHttp: HttpScript;
  onWs: WsScript;
  /** Answers an upgrade with this instead of accepting it. */
  refuseUpgrade: { status: number; body: string } | null;
  listenTcp(): Promise<string>;
  close(): Promise<void>;
}

export const json = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};

export async function startFakeRuntime(prefix = 'rayos-client-'): Promise<FakeRuntime> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const socketPath = join(dir, 'rayos.sock');
  const servers: Server[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const fake: FakeRuntime = {
    dir,
    socketPath,
    url: null,
    seen: [],
    onHttp: (_request, response) => json(response, 404, { code: 'RAYOS_API_NOT_FOUND', message: 'not scripted' }),
    onWs: (socket) => socket.close(1000),
    refuseUpgrade: null,
    async listenTcp() {
      const server = makeServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return fake.url;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };

  function makeServer(): Server {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
        fake.seen.push(seen);
        fake.onHttp(seen, response);
      });
    });
    server.on('upgrade', (request: IncomingMessage, socket, head) => {
      fake.seen.push({ method: 'UPGRADE', url: request.url ?? '', headers: request.headers, body: '' });
      const refusal = fake.refuseUpgrade;
      if (refusal !== null) {
        socket.end(`HTTP/1.1 ${refusal.status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(refusal.body)}\r\nconnection: close\r\n\r\n${refusal.body}`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => fake.onWs(ws, request));
    });
    servers.push(server);
    return server;
  }

  const unix = makeServer();
  await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
  return fake;
}
