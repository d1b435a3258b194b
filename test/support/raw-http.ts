// Owns raw HTTP requests for tests that must send what a well-behaved client never would (no token, bad bodies).
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export type Target = { socketPath: string } | { url: string };

export function rawRequest(target: Target, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const where = 'socketPath' in target ? { socketPath: target.socketPath } : { host: new URL(target.url).hostname, port: Number(new URL(target.url).port) };
    const req = request({ ...where, method, path, headers: options.headers ?? {}, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
