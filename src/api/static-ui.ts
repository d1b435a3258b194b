// Owns serving the compositor page (dist/web, built by Vite) at / on the TCP listener: static files only, no data, so no token.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** dist/src/api/static-ui.js → dist/web */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The page talks only to this origin; images come from blob: URLs of screenshots. */
const CSP = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Which request paths are UI files, and the file under WEB_ROOT each one is. Vite names assets like index-AbC123.js. */
function fileOf(untrustedPath: string): string | null {
  if (untrustedPath === '/' || untrustedPath === '/index.html') return 'index.html';
  const asset = /^\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,127})$/.exec(untrustedPath);
  return asset && !asset[1]!.includes('..') ? `assets/${asset[1]}` : null;
}

/**
 * Runs first among the onRequest hooks, so UI files are answered before the token check and the rate limit
 * (the shell carries no data; every API call the page makes sends the token).
 */
export function registerStaticUi(app: FastifyInstance, root: string = WEB_ROOT): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const file = fileOf(request.url.split('?')[0] ?? '');
    if (file === null) return;
    const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
    let body: Buffer;
    try {
      body = await readFile(root + file);
    } catch {
      const missing = file === 'index.html' ? 'The RayOS web UI is not built (dist/web/index.html is missing): run "./rayos setup", then reload.' : 'No such UI file.';
      return reply.code(file === 'index.html' ? 503 : 404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(missing);
    }
    return reply
      .code(200)
      .type(type)
      .header('cache-control', file === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable')
      .header('content-security-policy', CSP)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
