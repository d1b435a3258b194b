// Tests the service host: dependency order, failures and timeouts at boot, reverse-order stop, markers per transition.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigSchema } from '../contracts/config.js';
import { EventBus } from './event-bus.js';
import { MarkerWriter } from './marker-writer.js';
import type { Service } from './service.js';
import { ServiceHost } from './service-host.js';

function harness(overrides: { startTimeoutMs?: number; stopTimeoutMs?: number } = {}) {
  const config = ConfigSchema.parse({ services: { startTimeoutMs: overrides.startTimeoutMs ?? 2000, stopTimeoutMs: overrides.stopTimeoutMs ?? 2000 } });
  const lines: string[] = [];
  const markers = new MarkerWriter({ write: (line) => lines.push(line), historySize: 100 });
  const bus = new EventBus(100);
  const host = new ServiceHost({ config, dataDir: '/nonexistent', bus, markers });
  return { host, lines, bus };
}

function service(name: string, dependsOn: string[], log: string[], behaviour: { start?: () => Promise<void>; stop?: () => Promise<void> } = {}): Service {
  return {
    name,
    dependsOn,
    start: async () => {
      log.push(`start ${name}`);
      await behaviour.start?.();
    },
    stop: async () => {
      log.push(`stop ${name}`);
      await behaviour.stop?.();
    },
    health: () => ({ status: 'ok' }),
  };
}

describe('ServiceHost', () => {
  test('starts in dependency order regardless of registration order and stops in reverse', async () => {
    const { host, lines } = harness();
    const log: string[] = [];
    host.register(service('api', ['storage', 'policy'], log));
    host.register(service('policy', ['storage'], log));
    host.register(service('storage', [], log));
    const started = await host.startAll();
    assert.equal(started.ok, true);
    assert.deepEqual(log, ['start storage', 'start policy', 'start api']);
    assert.deepEqual(host.snapshot().map((s) => [s.name, s.state]), [['storage', 'running'], ['policy', 'running'], ['api', 'running']]);
    await host.stopAll('SIGINT');
    assert.deepEqual(log.slice(3), ['stop api', 'stop policy', 'stop storage']);
    assert.deepEqual(lines.filter((l) => l.startsWith('RAYOS_SERVICE:STOPPED')), ['RAYOS_SERVICE:STOPPED:api', 'RAYOS_SERVICE:STOPPED:policy', 'RAYOS_SERVICE:STOPPED:storage']);
    assert.ok(lines.indexOf('RAYOS_SERVICE:STARTING:storage') < lines.indexOf('RAYOS_SERVICE:STARTED:storage'));
  });

  test('stopAll is idempotent', async () => {
    const { host } = harness();
    const log: string[] = [];
    host.register(service('storage', [], log));
    await host.startAll();
    await Promise.all([host.stopAll('a'), host.stopAll('b')]);
    await host.stopAll('c');
    assert.deepEqual(log, ['start storage', 'stop storage']);
  });

  test('a missing dependency fails boot before anything starts, naming both services', async () => {
    const { host } = harness();
    const log: string[] = [];
    host.register(service('api', ['storage'], log));
    const started = await host.startAll();
    assert.equal(started.ok, false);
    if (started.ok) return;
    assert.equal(started.error.code, 'RAYOS_SERVICE_MISSING_DEPENDENCY');
    assert.match(started.error.message, /"api" depends on "storage"/);
    assert.deepEqual(log, []);
  });

  test('a dependency cycle fails boot and shows the cycle', async () => {
    const { host } = harness();
    const log: string[] = [];
    host.register(service('a', ['b'], log));
    host.register(service('b', ['c'], log));
    host.register(service('c', ['a'], log));
    const started = await host.startAll();
    assert.equal(started.ok, false);
    if (started.ok) return;
    assert.equal(started.error.code, 'RAYOS_SERVICE_DEPENDENCY_CYCLE');
    assert.match(started.error.message, /a → b → c → a/);
  });

  test('a duplicate name is refused at registration', () => {
    const { host } = harness();
    host.register(service('storage', [], []));
    assert.throws(() => host.register(service('storage', [], [])), { code: 'RAYOS_SERVICE_DUPLICATE' });
  });

  test('a start timeout fails boot, aborts the start signal and stops what already started in reverse', async () => {
    const { host, lines } = harness({ startTimeoutMs: 150 });
    const log: string[] = [];
    let aborted = false;
    host.register(service('storage', [], log));
    host.register({
      ...service('slow', ['storage'], log),
      start: (ctx) =>
        new Promise<void>((resolve) => {
          log.push('start slow');
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    });
    host.register(service('api', ['slow'], log));
    const started = await host.startAll();
    assert.equal(started.ok, false);
    if (started.ok) return;
    assert.equal(started.error.code, 'RAYOS_SERVICE_START_TIMEOUT');
    assert.match(started.error.message, /"slow" did not become ready within 150 ms/);
    assert.equal(aborted, true);
    assert.deepEqual(log, ['start storage', 'start slow', 'stop slow', 'stop storage']);
    assert.ok(lines.includes('RAYOS_SERVICE:FAILED:slow:RAYOS_SERVICE_START_TIMEOUT'));
    assert.ok(!lines.some((l) => l.includes(':api')), 'api never starts');
  });

  test('a start that throws fails boot with its message', async () => {
    const { host } = harness();
    host.register(service('storage', [], [], { start: () => Promise.reject(new Error('disk on fire')) }));
    const started = await host.startAll();
    assert.equal(started.ok, false);
    if (started.ok) return;
    assert.equal(started.error.code, 'RAYOS_SERVICE_START_FAILED');
    assert.match(started.error.message, /disk on fire/);
    assert.equal(host.snapshot()[0]?.state, 'stopped');
  });

  test('a stop that misses its deadline is abandoned and the rest still stop', async () => {
    const { host, lines } = harness({ stopTimeoutMs: 100 });
    const log: string[] = [];
    host.register(service('storage', [], log));
    host.register(service('stuck', ['storage'], log, { stop: () => new Promise(() => undefined) }));
    await host.startAll();
    await host.stopAll('SIGTERM');
    assert.ok(lines.includes('RAYOS_SERVICE:STOP_TIMEOUT:stuck'));
    assert.ok(lines.includes('RAYOS_SERVICE:STOPPED:storage'));
    assert.deepEqual(host.snapshot().map((s) => s.state), ['stopped', 'failed']);
  });

  test('publishes typed events with increasing sequence numbers', async () => {
    const { host, bus } = harness();
    host.register(service('storage', [], []));
    await host.startAll();
    const events = bus.recent(0);
    assert.deepEqual(events.map((e) => e.type), ['service.starting', 'service.started']);
    assert.deepEqual(events.map((e) => e.seq), [1, 2]);
  });
});
