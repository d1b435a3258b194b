// Owns the page's copy of the runtime's state: VMs and surfaces, polled every second, with the connection state it implies.
import type { SurfaceList } from '../contracts/display.js';
import type { VmView } from '../contracts/vm.js';
import { setConnection, showError } from './connection.js';
import type { ApiFailure, RuntimeApi } from './runtime-api.js';

export interface DesktopSnapshot {
  readonly vms: readonly VmView[];
  readonly surfaces: SurfaceList;
}

const POLL_MS = 1000;
const RETRY_MAX_MS = 8000;

export interface DesktopState {
  /** Fetches now (after an action) instead of waiting for the next tick. */
  refresh(): Promise<void>;
  subscribe(listener: (snapshot: DesktopSnapshot) => void): void;
  current(): DesktopSnapshot | null;
}

export function createDesktopState(api: RuntimeApi): DesktopState {
  const listeners: ((snapshot: DesktopSnapshot) => void)[] = [];
  let snapshot: DesktopSnapshot | null = null;
  let everConnected = false;
  let failures = 0;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;

  const fail = (failure: ApiFailure) => {
    failures += 1;
    if (failure.kind === 'rayos' && failure.code === 'RAYOS_API_UNAUTHORIZED') {
      setConnection('unauthorized', 'open the URL that "rayos up" printed (it carries the token)');
      if (failures === 1) showError(failure);
      return;
    }
    if (failure.kind === 'unreachable') setConnection('unreachable', everConnected ? 'retrying' : 'is RayOS running?');
    else if (failures === 1) showError(failure, 'Reading the desktop state');
  };

  async function poll(): Promise<void> {
    if (failures > 0 && everConnected) setConnection('reconnecting');
    const [vms, surfaces] = await Promise.all([api.call('vmList'), api.call('surfaceList')]);
    if (!vms.ok) return fail(vms.error);
    if (!surfaces.ok) return fail(surfaces.error);
    failures = 0;
    everConnected = true;
    setConnection('connected');
    snapshot = { vms: vms.value.vms, surfaces: surfaces.value };
    for (const listener of listeners) listener(snapshot);
  }

  function schedule(): void {
    window.clearTimeout(timer);
    const delay = failures === 0 ? POLL_MS : Math.min(RETRY_MAX_MS, POLL_MS * 2 ** Math.min(failures - 1, 3));
    timer = window.setTimeout(() => void refresh(), delay);
  }

  async function refresh(): Promise<void> {
    inFlight ??= poll().finally(() => {
      inFlight = null;
      schedule();
    });
    return inFlight;
  }

  return {
    refresh,
    subscribe: (listener) => {
      listeners.push(listener);
      if (snapshot !== null) listener(snapshot);
    },
    current: () => snapshot,
  };
}
