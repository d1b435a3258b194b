// Owns finding the runtime of a data directory: its unix socket (the default), or loopback TCP from runtime.json and the token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { DATA_FILES } from '../contracts/api-routes.js';
import { RuntimeInfoSchema, type RuntimeInfo } from '../contracts/api-types.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { notRunning } from './http-transport.js';
import { createClient, type ClientOptions, type RayosClient } from './rayos-client.js';
import { describeIssues, parseJson } from './reply.js';

export const socketPathOf = (dataDir: string): string => join(dataDir, DATA_FILES.socket);

/** The unix socket: owner-only, so it needs no token, and it exists exactly while the API serves. */
export function clientForDataDir(dataDir: string, options: ClientOptions = {}): RayosClient {
  return createClient({ socketPath: socketPathOf(dataDir) }, options);
}

/** runtime.json as the runtime wrote it; NOT_RUNNING when there is none. */
export function readRuntimeInfo(dataDir: string): Result<RuntimeInfo, RayosError> {
  const path = join(dataDir, DATA_FILES.runtimeInfo);
  let untrustedText: string;
  try {
    untrustedText = readFileSync(path, 'utf8');
  } catch {
    return err(notRunning({ socketPath: socketPathOf(dataDir) }, `no ${path}`));
  }
  const parsed = parseJson(untrustedText);
  if (!parsed.ok) return err(rayosError('RAYOS_CLI_PROTOCOL', `${path} is not JSON (${parsed.error}); it is rewritten when the runtime starts.`));
  const info = RuntimeInfoSchema.safeParse(parsed.value);
  return info.success ? ok(info.data) : err(rayosError('RAYOS_CLI_PROTOCOL', `${path} is not runtime info (${describeIssues(info.error)}); it is rewritten when the runtime starts.`));
}

/** For callers that cannot use unix sockets (another user namespace, a browser-like peer): TCP with the bearer token. */
export function tcpClientForDataDir(dataDir: string, options: ClientOptions = {}): Result<RayosClient, RayosError> {
  const info = readRuntimeInfo(dataDir);
  if (!info.ok) return info;
  if (info.value.url === null) return err(notRunning({ socketPath: info.value.socket }, 'it does not listen on TCP; use the unix socket'));
  let token: string;
  try {
    token = readFileSync(join(dataDir, DATA_FILES.token), 'utf8').trim();
  } catch (error) {
    return err(rayosError('RAYOS_API_UNAUTHORIZED', `Cannot read the API token in ${join(dataDir, DATA_FILES.token)} (${String(error)}); run as the user that owns the data directory.`));
  }
  return ok(createClient({ url: info.value.url, token }, options));
}
