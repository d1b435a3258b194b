// Owns what the page asks the runtime to do: present, hide, focus, move, start, stop, pause, resume, snapshot; failures become toasts.
import type { Result } from '../base/result.js';
import type { Layout } from '../contracts/display.js';
import { showError } from './connection.js';
import type { DesktopState } from './desktop-state.js';
import type { ApiFailure, RuntimeApi } from './runtime-api.js';

export interface Actions {
  present(vm: string, layout?: Layout): Promise<boolean>;
  hide(vm: string): Promise<boolean>;
  focus(vm: string): Promise<boolean>;
  /** No window keeps focus (a click on the empty desktop). */
  blur(): Promise<boolean>;
  /** Moves the window; with a size, resizes it too (compositor pixels). */
  move(vm: string, x: number, y: number, size?: { width: number; height: number }): Promise<boolean>;
  start(vm: string): Promise<boolean>;
  /** Asks the guest to power off (RayOS forces it after the default deadline). */
  stop(vm: string): Promise<boolean>;
  pause(vm: string): Promise<boolean>;
  resume(vm: string): Promise<boolean>;
  snapshot(vm: string): Promise<boolean>;
}

/** A snapshot tag from the time: ui-20250101-120000 (SnapshotTagSchema's alphabet). */
const snapshotTag = (now = new Date()): string => `ui-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

export function createActions(api: RuntimeApi, state: DesktopState): Actions {
  async function run(what: string, call: Promise<Result<unknown, ApiFailure>>): Promise<boolean> {
    const done = await call;
    if (!done.ok) showError(done.error, what);
    await state.refresh();
    return done.ok;
  }
  return {
    present: (vm, layout) => run(`Presenting ${vm}`, api.call('surfacePresent', { vm }, layout === undefined ? {} : { layout })),
    hide: (vm) => run(`Hiding ${vm}`, api.call('surfaceHide', { vm }, {})),
    focus: (vm) => run(`Focusing ${vm}`, api.call('surfaceFocus', { vm }, {})),
    blur: () => run('Leaving the windows', api.call('surfaceBlur', {}, {})),
    move: (vm, x, y, size) => run(size === undefined ? `Moving ${vm}` : `Resizing ${vm}`, api.call('surfaceMove', { vm }, { x, y, ...size })),
    start: (vm) => run(`Starting ${vm}`, api.call('vmStart', { name: vm })),
    stop: (vm) => run(`Stopping ${vm}`, api.call('vmStop', { name: vm }, {})),
    pause: (vm) => run(`Pausing ${vm}`, api.call('vmPause', { name: vm })),
    resume: (vm) => run(`Resuming ${vm}`, api.call('vmResume', { name: vm })),
    snapshot: (vm) => run(`Snapshotting ${vm}`, api.call('vmSnapshot', { name: vm }, { tag: snapshotTag() })),
  };
}
