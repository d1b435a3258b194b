// Benchmarks the policy engine with the default set: load + validate time, and decision latency over a realistic mix (as the runtime decides, and with every decision evaluated by Cedar).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCedarVersion } from '@cedar-policy/cedar-wasm/nodejs';
import { ConfigSchema } from '../src/contracts/config.js';
import type { PolicyRequest } from '../src/contracts/policy.js';
import { EventBus } from '../src/kernel/event-bus.js';
import { MarkerWriter } from '../src/kernel/marker-writer.js';
import type { ServiceContext } from '../src/kernel/service.js';
import { DEFAULT_POLICIES, DEFAULT_POLICY_FILE } from '../src/services/policy/default-policies.js';
import { compilePolicySet } from '../src/services/policy/policy-compiler.js';
import { decideWith, PolicyLoader, type LoadedPolicySet } from '../src/services/policy/policy-engine.js';
import { createPolicyService } from '../src/services/policy/api.js';
import { createStorageService } from '../src/services/storage/api.js';

const RUNS = 5;
const DECISIONS = 20_000;
const WARM_UP = 2_000;
const LOAD_WARM_UP = 10;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);
const ms = (value: number): string => `${value.toFixed(3)} ms`;

const owner = { kind: 'Person', id: 'owner' } as const;
const conductor = { kind: 'Conductor', id: 'conductor' } as const;
const api = { kind: 'ApiClient', id: 'token-1' } as const;
const vm = (id: string, memoryMiB: number): PolicyRequest['resource'] => ({ kind: 'Vm', id, attrs: { kind: id === 'windows' ? 'windows' : 'linux', memoryMiB, vcpus: 2, diskMiB: 32768, network: false } });
const surface = (vmName: string): PolicyRequest['resource'] => ({ kind: 'Surface', id: `${vmName}-main`, attrs: { vm: vmName } });

/**
 * What a running RayOS asks, weighted: mostly input routing (every key and pointer event), then the conductor's
 * lifecycle actions at varied confidence, VM starts against a varying budget, presentation, sharing, and the rare
 * network, device and policy requests (allow, deny and ask all appear).
 */
function realisticMix(i: number): PolicyRequest {
  const pick = i % 100;
  const vmName = i % 3 === 0 ? 'windows' : 'linux';
  if (pick < 50) return { principal: owner, action: 'input.route', resource: surface(vmName), context: { presented: i % 10 !== 0, focused: true } };
  if (pick < 65) {
    const actions = ['vm.stop', 'vm.pause', 'vm.resume', 'vm.suspend', 'vm.snapshot', 'vm.restore', 'vm.reset'] as const;
    return { principal: conductor, action: actions[i % actions.length]!, resource: vm(vmName, 2048), context: { confidencePct: 40 + (i % 61) } };
  }
  if (pick < 75) return { principal: i % 2 === 0 ? owner : conductor, action: 'vm.start', resource: vm(vmName, 1024 * (1 + (i % 3))), context: { committedMemoryMiB: 1024 * (i % 8), committedVcpus: i % 6, atBoot: i % 7 === 0 } };
  if (pick < 85) return { principal: i % 2 === 0 ? owner : api, action: i % 4 === 0 ? 'surface.hide' : 'surface.present', resource: surface(vmName), context: { atBoot: i % 5 === 0 } };
  if (pick < 92) return { principal: conductor, action: i % 2 === 0 ? 'clipboard.transfer' : 'file.share', resource: { kind: 'Runtime', id: 'rayos' }, context: { from: i % 3 === 0 ? 'host' : 'linux', to: 'windows' } };
  if (pick < 96) return { principal: conductor, action: 'vm.network.enable', resource: vm(vmName, 2048), context: { confidencePct: 50 + (i % 51) } };
  if (pick < 98) return { principal: owner, action: 'vm.device.attach', resource: { kind: 'Device', id: 'usb-1-2', attrs: { class: 'usb' } } };
  return { principal: i % 2 === 0 ? owner : api, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } };
}

/**
 * The same mix and the same answers, but each request made unique by a context field its policies do not read
 * (`from` outside sharing, committed memory in sharing), so none is answered from the kept decisions.
 */
function uncachedMix(i: number): PolicyRequest {
  const request = realisticMix(i);
  const sharing = request.action === 'clipboard.transfer' || request.action === 'file.share';
  return { ...request, context: { ...request.context, ...(sharing ? { committedMemoryMiB: i } : { from: `bench-${i}` }) } };
}

type Decide = (request: PolicyRequest) => unknown;

function latencies(decide: Decide, mix: (i: number) => PolicyRequest, offset: number, count: number): number[] {
  const requests = Array.from({ length: count }, (_, i) => mix(offset + i));
  const times: number[] = [];
  for (const request of requests) {
    const began = performance.now();
    decide(request);
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b);
}

function decisionRuns(decide: Decide, label: string, mix: (i: number) => PolicyRequest): void {
  latencies(decide, mix, 10_000_000, WARM_UP);
  const p50s: number[] = [];
  const p99s: number[] = [];
  const maxes: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const times = latencies(decide, mix, run * DECISIONS, DECISIONS);
    const [p50, p99, max] = [percentile(times, 50), percentile(times, 99), times.at(-1) ?? NaN];
    p50s.push(p50);
    p99s.push(p99);
    maxes.push(max);
    console.log(`  run ${run}: p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)}`);
  }
  console.log(`${label}: median of ${RUNS} runs p50 ${ms(median(p50s))}, p99 ${ms(median(p99s))}, max ${ms(median(maxes))} [target p99 < 0.5 ms]`);
}

async function main(): Promise<void> {
  console.log(`RayOS policy benchmark (node ${process.versions.node}, Cedar ${getCedarVersion()}, ${new Date().toISOString()}): the default set, ${RUNS} runs × ${DECISIONS} decisions`);

  const loads: number[] = [];
  let engineOnly: LoadedPolicySet | null = null;
  for (let run = 0; run <= LOAD_WARM_UP + RUNS; run++) {
    const began = performance.now();
    const compiled = compilePolicySet([{ name: DEFAULT_POLICY_FILE, text: DEFAULT_POLICIES }]);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const loaded = new PolicyLoader().prepare(compiled.value);
    if (!loaded.ok) throw new Error(loaded.error.message);
    loads.push(performance.now() - began);
    engineOnly = loaded.value;
  }
  const first = loads[0] ?? NaN;
  const warm = loads.slice(-RUNS);
  console.log(`load + validate (strict) + preparse the default set: first in the process ${ms(first)} (Cedar's wasm not yet optimised); after ${LOAD_WARM_UP} more, median of ${RUNS} ${ms(median(warm))} (runs: ${warm.map((v) => v.toFixed(1)).join(', ')})`);

  const dataDir = mkdtempSync(join(tmpdir(), 'rayos-policy-bench-'));
  const ctx: ServiceContext = {
    config: ConfigSchema.parse({ journal: { durability: 'none' }, policy: { watch: false } }),
    dataDir,
    bus: new EventBus(2000),
    markers: new MarkerWriter({ write: null, historySize: 100 }),
    signal: new AbortController().signal,
  };
  const storage = createStorageService({ dataDir, version: 'bench' });
  const policy = createPolicyService({ storage });
  try {
    await storage.start(ctx);
    const began = performance.now();
    await policy.start(ctx);
    console.log(`policy service start (write default.cedar, read, load, validate, preparse): ${ms(performance.now() - began)}`);

    const kinds = new Map<string, number>();
    for (let i = 0; i < DECISIONS; i++) {
      const decided = policy.decide(realisticMix(i)).decision;
      kinds.set(decided, (kinds.get(decided) ?? 0) + 1);
    }
    console.log(`the mix decides: ${[...kinds].map(([kind, n]) => `${kind} ${((100 * n) / DECISIONS).toFixed(0)}%`).join(', ')}`);

    console.log('decide as the runtime does (kept decisions reused; audit event published and journaled; DENIED marker):');
    decisionRuns((request) => policy.decide(request), 'decide, realistic mix', realisticMix);
    console.log('decide with every request new to the engine (each one evaluated by Cedar):');
    decisionRuns((request) => policy.decide(request), 'decide, uncached', uncachedMix);
    const set = engineOnly;
    if (set !== null) {
      console.log('the engine alone, every request evaluated by Cedar (no audit event, no journal):');
      decisionRuns((request) => decideWith(set, request), 'engine, uncached', uncachedMix);
    }
  } finally {
    await policy.stop('bench done');
    await storage.stop('bench done');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
