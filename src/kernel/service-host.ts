// Owns service orchestration: dependency order, start timeouts, reverse-order stop with deadlines, a marker per transition.
import { err, ok, type Result } from '../base/result.js';
import type { ServiceStatus, ServiceState } from '../contracts/api-types.js';
import type { RayosConfig } from '../contracts/config.js';
import { RayosFailure, rayosError, type RayosError } from '../contracts/errors.js';
import type { EventBus } from './event-bus.js';
import type { MarkerWriter } from './marker-writer.js';
import type { Service, ServiceContext } from './service.js';
import { nextServiceState, type ServiceTransition } from './service-state.js';

export interface ServiceHostOptions {
  readonly config: RayosConfig;
  readonly dataDir: string;
  readonly bus: EventBus;
  readonly markers: MarkerWriter;
  /** Per-service overrides of config.services.startTimeoutMs. */
  readonly startTimeoutMs?: Readonly<Record<string, number>>;
}

interface Entry {
  readonly service: Service;
  state: ServiceState;
  startedAt: Date | null;
  startMs: number | null;
  abort: AbortController;
}

export class ServiceHost {
  private readonly entries = new Map<string, Entry>();
  private order: Entry[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: ServiceHostOptions) {}

  register(service: Service): void {
    if (this.entries.has(service.name)) {
      throw new RayosFailure(rayosError('RAYOS_SERVICE_DUPLICATE', `Two services are named "${service.name}"; give each a unique name.`));
    }
    this.entries.set(service.name, { service, state: 'registered', startedAt: null, startMs: null, abort: new AbortController() });
  }

  /** Starts every service in dependency order. On failure, stops what started (reverse order) and returns the error. */
  async startAll(): Promise<Result<void, RayosError>> {
    const ordered = this.dependencyOrder();
    if (!ordered.ok) return ordered;
    this.order = ordered.value;
    for (const entry of this.order) {
      if (this.stopping) return err(rayosError('RAYOS_SERVICE_START_FAILED', 'The runtime began stopping during boot.'));
      const started = await this.startOne(entry);
      if (!started.ok) {
        await this.stopAll(started.error.code);
        return started;
      }
    }
    return ok(undefined);
  }

  /** Idempotent: concurrent and repeated calls share one shutdown. */
  stopAll(reason: string): Promise<void> {
    this.stopping ??= this.stopInReverse(reason);
    return this.stopping;
  }

  snapshot(): ServiceStatus[] {
    const entries = this.order.length > 0 ? this.order : [...this.entries.values()];
    return entries.map((entry) => ({
      name: entry.service.name,
      state: entry.state,
      dependsOn: [...entry.service.dependsOn],
      health: entry.state === 'running' ? safeHealth(entry.service) : { status: entry.state === 'failed' ? 'failed' : 'degraded', detail: entry.state },
      startedAt: entry.startedAt?.toISOString() ?? null,
      startMs: entry.startMs,
    }));
  }

  private async startOne(entry: Entry): Promise<Result<void, RayosError>> {
    const { service } = entry;
    const { markers, bus, config } = this.options;
    this.move(entry, 'start');
    markers.emit('RAYOS_SERVICE', 'STARTING', service.name);
    bus.publish('service.starting', { service: service.name });
    const timeoutMs = this.options.startTimeoutMs?.[service.name] ?? config.services.startTimeoutMs;
    const began = performance.now();
    const ctx: ServiceContext = { config, dataDir: this.options.dataDir, bus, markers, signal: entry.abort.signal };
    const outcome = await withDeadline(service.start(ctx), timeoutMs);
    if (outcome.kind === 'ok') {
      entry.startMs = Math.round(performance.now() - began);
      entry.startedAt = new Date();
      this.move(entry, 'ready');
      markers.emit('RAYOS_SERVICE', 'STARTED', service.name);
      bus.publish('service.started', { service: service.name, durationMs: entry.startMs });
      return ok(undefined);
    }
    entry.abort.abort();
    const error =
      outcome.kind === 'timeout'
        ? rayosError('RAYOS_SERVICE_START_TIMEOUT', `Service "${service.name}" did not become ready within ${timeoutMs} ms; check its log lines above, or raise services.startTimeoutMs.`)
        : toRayosError(outcome.error, service.name);
    this.move(entry, 'fail');
    markers.emit('RAYOS_SERVICE', 'FAILED', service.name, error.code);
    bus.publish('service.failed', { service: service.name, code: error.code, message: error.message });
    return err(error);
  }

  private async stopInReverse(reason: string): Promise<void> {
    const { markers, bus, config } = this.options;
    for (const entry of [...this.order].reverse()) {
      if (entry.state === 'registered' || entry.state === 'stopped') continue;
      const { service } = entry;
      entry.abort.abort();
      this.move(entry, 'stop');
      markers.emit('RAYOS_SERVICE', 'STOPPING', service.name);
      bus.publish('service.stopping', { service: service.name, reason });
      const began = performance.now();
      const outcome = await withDeadline(service.stop(reason), config.services.stopTimeoutMs);
      if (outcome.kind === 'timeout') {
        // Abandon it rather than hang shutdown; the next service still gets its chance to stop cleanly.
        this.move(entry, 'fail');
        markers.emit('RAYOS_SERVICE', 'STOP_TIMEOUT', service.name);
        continue;
      }
      if (outcome.kind === 'error') process.stderr.write(`service ${service.name} failed while stopping: ${String(outcome.error)}\n`);
      this.move(entry, 'stopped');
      markers.emit('RAYOS_SERVICE', 'STOPPED', service.name);
      bus.publish('service.stopped', { service: service.name, durationMs: Math.round(performance.now() - began) });
    }
  }

  private move(entry: Entry, transition: ServiceTransition): void {
    const next = nextServiceState(entry.state, transition);
    // Only the host drives transitions, so an illegal one is a host bug, not an input error.
    if (!next.ok) throw new Error(`service ${entry.service.name}: ${next.error}`);
    entry.state = next.value;
  }

  /** Topological order, stable in registration order; rejects missing dependencies and cycles before anything starts. */
  private dependencyOrder(): Result<Entry[], RayosError> {
    for (const entry of this.entries.values()) {
      for (const dep of entry.service.dependsOn) {
        if (!this.entries.has(dep)) {
          return err(rayosError('RAYOS_SERVICE_MISSING_DEPENDENCY', `Service "${entry.service.name}" depends on "${dep}", which is not registered; register "${dep}" in the composition root or remove the dependency.`, { service: entry.service.name, missing: dep }));
        }
      }
    }
    const ordered: Entry[] = [];
    const mark = new Map<string, 'visiting' | 'done'>();
    const visit = (entry: Entry, path: string[]): RayosError | null => {
      const seen = mark.get(entry.service.name);
      if (seen === 'done') return null;
      if (seen === 'visiting') {
        const cycle = [...path.slice(path.indexOf(entry.service.name)), entry.service.name].join(' → ');
        return rayosError('RAYOS_SERVICE_DEPENDENCY_CYCLE', `Services depend on each other in a cycle: ${cycle}; break the cycle.`, { cycle });
      }
      mark.set(entry.service.name, 'visiting');
      for (const dep of entry.service.dependsOn) {
        const problem = visit(this.entries.get(dep) as Entry, [...path, entry.service.name]);
        if (problem) return problem;
      }
      mark.set(entry.service.name, 'done');
      ordered.push(entry);
      return null;
    };
    for (const entry of this.entries.values()) {
      const problem = visit(entry, []);
      if (problem) return err(problem);
    }
    return ok(ordered);
  }
}

type Outcome = { kind: 'ok' } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

async function withDeadline(work: Promise<void>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([work.then((): Outcome => ({ kind: 'ok' }), (error: unknown): Outcome => ({ kind: 'error', error })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function toRayosError(error: unknown, service: string): RayosError {
  if (error instanceof RayosFailure) return error.toError();
  return rayosError('RAYOS_SERVICE_START_FAILED', `Service "${service}" failed to start: ${error instanceof Error ? error.message : String(error)}`);
}

function safeHealth(service: Service): ServiceStatus['health'] {
  try {
    return service.health();
  } catch (error) {
    return { status: 'failed', detail: `health() threw: ${String(error)}` };
  }
}
