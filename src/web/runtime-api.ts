// Owns the page's calls to the runtime: the bearer token on every request, zod-checked replies, a RayosError or "unreachable" on failure.
import type { z } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { API_ROUTES } from '../contracts/api-routes.js';
import { RayosErrorSchema } from '../contracts/errors.js';

type Routes = typeof API_ROUTES;
type JsonRoute = { [N in keyof Routes]: Routes[N] extends { responseKind: 'png' } ? never : N }[keyof Routes];
export type Reply<N extends keyof Routes> = z.output<Routes[N]['response']>;

/** Why a call failed: the runtime answered with an error, or it could not be reached, or it answered nonsense. */
export type ApiFailure =
  | { readonly kind: 'rayos'; readonly status: number; readonly code: string; readonly message: string }
  | { readonly kind: 'unreachable'; readonly code: 'unreachable'; readonly message: string };

export interface RuntimeApi {
  call<N extends JsonRoute>(name: N, params?: Record<string, string>, body?: unknown): Promise<Result<Reply<N>, ApiFailure>>;
  screenshot(vm: string): Promise<Result<Blob, ApiFailure>>;
}

const GET_TIMEOUT_MS = 10_000;
const POST_TIMEOUT_MS = 120_000;

const pathOf = (template: string, params: Record<string, string>): string => template.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));

export function createRuntimeApi(token: string | null): RuntimeApi {
  async function send(method: 'GET' | 'POST', path: string, body: unknown, accept: string): Promise<Result<Response, ApiFailure>> {
    const headers: Record<string, string> = { accept };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(method === 'GET' ? GET_TIMEOUT_MS : POST_TIMEOUT_MS),
      });
    } catch (error) {
      return err({ kind: 'unreachable', code: 'unreachable', message: `The runtime is unreachable (${error instanceof Error ? error.message : String(error)}).` });
    }
    if (response.ok) return ok(response);
    const parsed = RayosErrorSchema.safeParse(await response.json().catch(() => null));
    return err(
      parsed.success
        ? { kind: 'rayos', status: response.status, code: parsed.data.code, message: parsed.data.message }
        : { kind: 'rayos', status: response.status, code: `HTTP_${response.status}`, message: `The runtime answered ${response.status} ${response.statusText} without a RayOS error.` },
    );
  }

  return {
    async call(name, params = {}, body) {
      const route: Routes[keyof Routes] = API_ROUTES[name];
      const payload = route.method === 'POST' && 'body' in route ? (body ?? {}) : undefined;
      const sent = await send(route.method, pathOf(route.path, params), payload, 'application/json');
      if (!sent.ok) return sent;
      const parsed = route.response.safeParse(await sent.value.json().catch(() => undefined));
      if (!parsed.success) return err({ kind: 'rayos', status: sent.value.status, code: 'BAD_REPLY', message: `The runtime's reply to ${route.method} ${route.path} did not match the contract.` });
      return ok(parsed.data as Reply<typeof name>);
    },
    async screenshot(vm) {
      const sent = await send('GET', pathOf(API_ROUTES.surfaceScreenshot.path, { vm }), undefined, 'image/png');
      if (!sent.ok) return sent;
      return ok(await sent.value.blob());
    },
  };
}
