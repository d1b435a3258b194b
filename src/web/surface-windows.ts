// Owns presented surfaces as windows on the desktop: live (noVNC) pictures over screenshots, placed, dragged, resized, clicked (focus and input), hidden.
import type { SurfaceList, SurfaceView } from '../contracts/display.js';
import type { Actions } from './actions.js';
import { colourOf } from './colour.js';
import type { DesktopSnapshot } from './desktop-state.js';
import { byId, h } from './dom.js';
import type { FrameFeed } from './frame-feed.js';
import { createLiveView, type LiveView } from './live-view.js';
import type { WindowInput } from './window-input.js';

/** What a window needs besides the actions and the screenshot feeds. */
export interface WindowDeps {
  readonly token: string | null;
  readonly input: WindowInput;
  /** Takes input focus for this page (the /v1/input claim). */
  claim(): void;
}

interface Win {
  readonly root: HTMLElement;
  readonly frame: HTMLImageElement;
  readonly fullscreen: HTMLButtonElement;
  readonly live: LiveView;
  readonly note: HTMLElement;
  readonly status: HTMLElement;
  dragging: boolean;
  surface: SurfaceView;
}

export interface SurfaceWindows {
  render(snapshot: DesktopSnapshot): void;
  /** Says in every window's title bar that another tab took input focus (or clears it). */
  focusNote(text: string): void;
}

export function createSurfaceWindows(actions: Actions, feedOf: (vm: string) => FrameFeed, deps: WindowDeps): SurfaceWindows {
  const desktop = byId('desktop');
  // A click on the empty desktop leaves every window: keys stop going to a guest until one is clicked again.
  desktop.addEventListener('pointerdown', (down) => {
    if (down.target !== desktop) return;
    deps.input.setTarget(null);
    void actions.blur();
  });
  const windows = new Map<string, Win>();
  let focusText = '';
  let screen: SurfaceList['screen'] = { width: 1920, height: 1080 };
  let layout: SurfaceList['layout'] = 'floating';

  /** Compositor pixels → CSS pixels: the whole compositor screen fits the desktop area. */
  const scale = () => Math.min(desktop.clientWidth / screen.width, desktop.clientHeight / screen.height) || 1;

  function place(win: Win): void {
    const s = scale();
    const { x, y, width, height, z } = win.surface;
    Object.assign(win.root.style, { left: `${Math.round(x * s)}px`, top: `${Math.round(y * s)}px`, width: `${Math.round(width * s)}px`, height: `${Math.round(height * s)}px`, zIndex: String(z) });
  }

  function make(surface: SurfaceView): Win {
    const vm = surface.vm;
    const frame = h('img', { class: 'window-frame', alt: `${vm} screen` });
    const hide = h('button', { type: 'button', class: 'window-button', 'data-action': 'hide', title: 'Hide', text: '–' });
    const fullscreen = h('button', { type: 'button', class: 'window-button', 'data-action': 'fullscreen', title: 'Full screen', text: '⤢' });
    const note = h('span', { class: 'window-note', text: focusText });
    const titlebar = h('div', { class: 'window-titlebar' }, h('span', { class: 'swatch' }), h('span', { class: 'window-title', text: vm }), note, h('span', { class: 'window-buttons' }, fullscreen, hide));
    const liveHost = h('div', { class: 'window-live' });
    const status = h('span', { class: 'window-status' });
    const body = h('div', { class: 'window-body' }, frame, liveHost, h('span', { class: 'window-waiting', text: 'waiting for the first frame…' }), status);
    const grip = h('span', { class: 'window-resize', title: 'Resize', 'aria-label': `resize ${vm}` });
    const root = h('article', { class: 'surface-window', 'data-vm': vm, 'aria-label': `${vm} window` }, titlebar, body, grip);
    root.style.setProperty('--vm-colour', colourOf(vm));
    const live = createLiveView(vm, deps.token, liveHost, (isLive, text) => {
      root.classList.toggle('live', isLive);
      status.textContent = text;
      status.hidden = text === '';
      feedOf(vm).setLiveSource(isLive ? () => live.canvas() : null);
      feedOf(vm).setRate(isLive ? 'thumbnail' : 'presented');
    });
    const win: Win = { root, frame, fullscreen, live, note, status, dragging: false, surface };
    frame.addEventListener('load', () => root.classList.add('has-picture'));
    deps.input.bindPointer(vm, body, () => live.canvas());

    hide.addEventListener('click', () => void actions.hide(vm));
    fullscreen.addEventListener('click', () => void actions.present(vm, layout === 'fullscreen' && win.surface.focused ? 'floating' : 'fullscreen'));
    root.addEventListener('pointerdown', () => {
      if (!win.surface.focused) void actions.focus(vm);
      // Keys go to this window from now on: leave the intent bar, take input focus.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      deps.input.setTarget(vm);
      deps.claim();
    });
    titlebar.addEventListener('pointerdown', (down) => {
      if ((down.target as HTMLElement).closest('button') || down.button !== 0) return;
      down.preventDefault();
      titlebar.setPointerCapture(down.pointerId);
      win.dragging = true;
      const startLeft = root.offsetLeft;
      const startTop = root.offsetTop;
      const onMove = (move: PointerEvent) => {
        root.style.left = `${startLeft + move.clientX - down.clientX}px`;
        root.style.top = `${startTop + move.clientY - down.clientY}px`;
      };
      const onUp = (up: PointerEvent) => {
        titlebar.removeEventListener('pointermove', onMove);
        titlebar.removeEventListener('pointerup', onUp);
        titlebar.removeEventListener('pointercancel', onUp);
        win.dragging = false;
        if (up.clientX === down.clientX && up.clientY === down.clientY) return place(win);
        const s = scale();
        void actions.move(vm, Math.round(root.offsetLeft / s), Math.round(root.offsetTop / s));
      };
      titlebar.addEventListener('pointermove', onMove);
      titlebar.addEventListener('pointerup', onUp);
      titlebar.addEventListener('pointercancel', onUp);
    });
    grip.addEventListener('pointerdown', (down) => {
      if (down.button !== 0) return;
      down.preventDefault();
      grip.setPointerCapture(down.pointerId);
      win.dragging = true;
      const startWidth = root.offsetWidth;
      const startHeight = root.offsetHeight;
      const onMove = (move: PointerEvent) => {
        root.style.width = `${Math.max(160, startWidth + move.clientX - down.clientX)}px`;
        root.style.height = `${Math.max(80, startHeight + move.clientY - down.clientY)}px`;
      };
      const onUp = () => {
        grip.removeEventListener('pointermove', onMove);
        grip.removeEventListener('pointerup', onUp);
        grip.removeEventListener('pointercancel', onUp);
        win.dragging = false;
        if (root.offsetWidth === startWidth && root.offsetHeight === startHeight) return place(win);
        const s = scale();
        void actions.move(vm, win.surface.x, win.surface.y, { width: Math.round(root.offsetWidth / s), height: Math.round(root.offsetHeight / s) });
      };
      grip.addEventListener('pointermove', onMove);
      grip.addEventListener('pointerup', onUp);
      grip.addEventListener('pointercancel', onUp);
    });
    feedOf(vm).attach(frame);
    desktop.append(root);
    return win;
  }

  const render = (snapshot: DesktopSnapshot | null) => {
    if (snapshot === null) return;
    ({ screen, layout } = snapshot.surfaces);
    desktop.dataset['layout'] = layout;
    const shown = new Set<string>();
    for (const surface of snapshot.surfaces.surfaces) {
      const live = windows.get(surface.vm)?.root.classList.contains('live') === true;
      feedOf(surface.vm).setRate(!surface.available ? 'off' : surface.presented && !live ? 'presented' : 'thumbnail');
      if (!surface.presented) continue;
      shown.add(surface.vm);
      const win = windows.get(surface.vm) ?? make(surface);
      windows.set(surface.vm, win);
      win.surface = surface;
      win.root.classList.toggle('focused', surface.focused);
      win.fullscreen.title = layout === 'fullscreen' && surface.focused ? 'Leave full screen' : 'Full screen';
      if (!win.dragging) place(win);
      win.live.setWanted(surface.available);
      // The VM stopped under an open window: the window stays, says so, and comes back to life when the VM runs.
      const wasStopped = win.root.classList.contains('stopped');
      win.root.classList.toggle('stopped', !surface.available);
      if (!surface.available) {
        const vmState = snapshot.vms.find((v) => v.name === surface.vm)?.state ?? 'stopped';
        win.status.textContent = `${surface.vm} is ${vmState} — this window comes back when it runs`;
        win.status.hidden = false;
      } else if (wasStopped && !win.root.classList.contains('live')) {
        win.status.textContent = `${surface.vm} is running again — connecting…`;
      }
    }
    for (const [vm, win] of windows) {
      if (shown.has(vm)) continue;
      feedOf(vm).detach(win.frame);
      win.live.stop();
      if (deps.input.target() === vm) deps.input.setTarget(null);
      win.root.remove();
      windows.delete(vm);
    }
  };
  let last: DesktopSnapshot | null = null;
  new ResizeObserver(() => render(last)).observe(desktop);
  return {
    render(snapshot) {
      last = snapshot;
      render(snapshot);
    },
    focusNote(text) {
      focusText = text;
      for (const win of windows.values()) win.note.textContent = text;
    },
  };
}
