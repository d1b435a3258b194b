// The composition root: builds the bus, markers and every service by hand, in one place, and wires them together.
import type { StatusResponse } from '../contracts/api-types.js';
import type { RayosConfig } from '../contracts/config.js';
import { createApiService } from '../api/api.js';
import { EventBus } from '../kernel/event-bus.js';
import { MarkerWriter, stdoutLine } from '../kernel/marker-writer.js';
import { ServiceHost } from '../kernel/service-host.js';
import { llmRefinerFrom } from './llm-backend.js';
import { resolveIntent } from '../services/cognition/api.js';
import { createConductorService } from '../services/conductor/api.js';
import { createCompositorStore, createDisplayService } from '../services/display/api.js';
import { attentionForUtterance, createPerceptionService } from '../services/perception/api.js';
import { createInputService } from '../services/input/api.js';
import { runDoctor } from '../services/observability/api.js';
import { createPolicyControl } from '../services/policy/api.js';
import { createStorageService } from '../services/storage/api.js';
import { beginAcceleratorProbe, createVmService } from '../services/vm/api.js';
import { createVoiceService } from '../services/voice/api.js';

export interface RuntimeOptions {
  readonly config: RayosConfig;
  readonly dataDir: string;
  readonly version: string;
  /** Called when something inside (the API's stop route) asks the runtime to stop. */
  readonly requestStop: (reason: string) => void;
}

export interface Runtime {
  readonly host: ServiceHost;
  readonly bus: EventBus;
  readonly markers: MarkerWriter;
  markReady(): void;
  markStopping(): void;
}

export function composeRuntime(options: RuntimeOptions): Runtime {
  const { config, dataDir, version } = options;
  const startedAt = new Date();
  const bus = new EventBus(config.events.bufferSize);
  const markers = new MarkerWriter({ write: config.markers.stdout ? stdoutLine : null, historySize: 1000 });
  const host = new ServiceHost({ config, dataDir, bus, markers });
  let state: StatusResponse['state'] = 'booting';

  const storage = createStorageService({ dataDir, version });
  const policy = createPolicyControl({ storage, bus, markers, askTimeoutMs: () => config.policy.askTimeoutMs });
  // The accelerator probe boots a tiny guest (seconds under TCG): begun now, it runs while storage and policy start.
  const accelProbe = config.vm.accel === 'auto' ? beginAcceleratorProbe(config.vm.qemuBinary) : null;
  const vms = createVmService({ storage, policy, accelProbe });
  const display = createDisplayService({ vms: vms.supervisor, policy, store: createCompositorStore(() => storage.database()) });
  const input = createInputService({ vms: vms.supervisor, display: display.control, policy });
  const perception = createPerceptionService();
  const llm = llmRefinerFrom(config, resolveIntent, process.env);
  const conductor = createConductorService({
    vms: vms.supervisor,
    display: display.control,
    storage,
    resolve: resolveIntent,
    refine: llm.refine,
    llm: { label: llm.label, problem: llm.problem },
    attention: {
      setScene: (scene) => void perception.control.setScene(scene),
      live: (scene, at) => perception.control.attentionForUtterance(at, scene),
      fromTrace: (scene, tracker, gaze, at) => attentionForUtterance(scene, tracker, gaze, at),
    },
  });
  // Voice grammar names every VM the supervisor knows, so "pause <vm name>" can be said.
  const voice = createVoiceService({ names: () => vms.supervisor.list().map((vm) => vm.name) });
  const api = createApiService({
    vms: vms.supervisor,
    policy,
    display: display.control,
    input: input.broker,
    conductor: conductor.control,
    voice: voice.control,
    attention: { ingest: (samples) => perception.control.ingest(samples), snapshot: () => perception.control.snapshot() },
    version,
    storage,
    doctor: () => runDoctor({ dataDir }),
    requestStop: options.requestStop,
    status: () => ({
      state,
      pid: process.pid,
      startedAt: startedAt.toISOString(),
      uptimeMs: Date.now() - startedAt.getTime(),
      dataDir,
      api: { socket: api.socketPath(), url: api.url() },
      versions: { rayos: version, node: process.versions.node, sqlite: sqliteVersion(), v8: process.versions.v8 },
      services: host.snapshot(),
      bootCount: storage.bootCount(),
    }),
  });
  host.register(storage);
  host.register(policy);
  host.register(vms);
  host.register(display);
  host.register(input);
  host.register(perception);
  host.register(conductor);
  host.register(voice);
  host.register(api);

  let sqlite: string | null = null;
  function sqliteVersion(): string {
    sqlite ??= (storage.database().prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    return sqlite;
  }

  return {
    host,
    bus,
    markers,
    markReady: () => {
      state = 'ready';
    },
    markStopping: () => {
      state = 'stopping';
    },
  };
}
