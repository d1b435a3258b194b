// Owns the contract every RayOS service implements and the context the host hands it.
import type { Health } from '../contracts/api-types.js';
import type { RayosConfig } from '../contracts/config.js';
import type { EventBus } from './event-bus.js';
import type { MarkerWriter } from './marker-writer.js';

export interface ServiceContext {
  readonly config: RayosConfig;
  readonly dataDir: string;
  readonly bus: EventBus;
  readonly markers: MarkerWriter;
  /** Aborted when the start times out or the runtime begins stopping; long start work should honour it. */
  readonly signal: AbortSignal;
}

export interface Service {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Resolves when the service is ready; rejects (ideally with RayosFailure) when it cannot be. */
  start(ctx: ServiceContext): Promise<void>;
  /** Idempotent; must finish before the host's deadline. */
  stop(reason: string): Promise<void>;
  /** Cheap and synchronous: called on every status request. */
  health(): Health;
}
