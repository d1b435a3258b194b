// The client SDK's public surface: the only file of src/client that others import.
export { createClient, queryString, DEFAULT_TIMEOUT_MS, DOCTOR_TIMEOUT_MS } from './rayos-client.js';
export type { ClientOptions, ClientResult, EventsQueryInput, JournalQueryInput, RayosClient, StopResponse, VmApi } from './rayos-client.js';
export type { ClientTarget } from './http-transport.js';
export type { AuditQueryInput, PolicyApi } from './policy-api.js';
export type { SurfaceApi } from './surface-api.js';
export type { IntentApi } from './intent-api.js';
export type { StreamEnd } from './ws-stream.js';
export { clientForDataDir, readRuntimeInfo, socketPathOf, tcpClientForDataDir } from './connect.js';
