// Owns the side panel: one card per subsystem with colour, state, a live thumbnail and its lifecycle and presentation buttons.
import type { SurfaceView } from '../contracts/display.js';
import type { VmView } from '../contracts/vm.js';
import type { Actions } from './actions.js';
import { colourOf } from './colour.js';
import type { DesktopSnapshot } from './desktop-state.js';
import { byId, h } from './dom.js';
import type { FrameFeed } from './frame-feed.js';

type ButtonName = 'present' | 'hide' | 'start' | 'stop' | 'pause' | 'resume' | 'snapshot';
const BUTTONS: readonly ButtonName[] = ['present', 'hide', 'start', 'stop', 'pause', 'resume', 'snapshot'];
const LABELS: Record<ButtonName, string> = { present: 'Present', hide: 'Hide', start: 'Start', stop: 'Stop', pause: 'Pause', resume: 'Resume', snapshot: 'Snapshot' };

function enabled(button: ButtonName, vm: VmView, surface: SurfaceView | undefined): boolean {
  const presented = surface?.presented === true;
  switch (button) {
    case 'present':
      return surface?.available === true && !presented;
    case 'hide':
      return presented;
    case 'start':
      return vm.state === 'stopped' || vm.state === 'failed';
    case 'stop':
      return vm.state === 'running' || vm.state === 'paused';
    case 'pause':
    case 'snapshot':
      return vm.state === 'running';
    case 'resume':
      return vm.state === 'paused' || vm.state === 'suspended';
  }
}

interface Card {
  readonly root: HTMLLIElement;
  readonly state: HTMLElement;
  readonly thumb: HTMLImageElement;
  readonly buttons: Record<ButtonName, HTMLButtonElement>;
}

export function createSidePanel(actions: Actions, feedOf: (vm: string) => FrameFeed): (snapshot: DesktopSnapshot) => void {
  const list = byId<HTMLUListElement>('subsystems');
  const empty = byId('no-subsystems');
  const cards = new Map<string, Card>();

  function card(vm: string): Card {
    const existing = cards.get(vm);
    if (existing) return existing;
    const thumb = h('img', { class: 'thumb-img', alt: `${vm} screen` });
    const state = h('span', { class: 'subsystem-state' });
    const buttons = Object.fromEntries(
      BUTTONS.map((name) => {
        const button = h('button', { type: 'button', 'data-action': name, text: LABELS[name] });
        button.addEventListener('click', () => {
          button.disabled = true;
          void actions[name](vm);
        });
        return [name, button];
      }),
    ) as Record<ButtonName, HTMLButtonElement>;
    const root = h(
      'li',
      { class: 'subsystem', 'data-vm': vm },
      h('div', { class: 'thumb' }, thumb, h('span', { class: 'thumb-empty', text: 'no picture' })),
      h('div', { class: 'subsystem-meta' }, h('span', { class: 'swatch' }), h('span', { class: 'subsystem-name', text: vm }), state),
      h('div', { class: 'subsystem-actions' }, ...BUTTONS.map((name) => buttons[name])),
    );
    root.style.setProperty('--vm-colour', colourOf(vm));
    thumb.addEventListener('load', () => root.classList.add('has-picture'));
    feedOf(vm).attach(thumb);
    const made = { root, state, thumb, buttons };
    cards.set(vm, made);
    return made;
  }

  return ({ vms, surfaces }) => {
    const seen = new Set<string>();
    for (const vm of vms) {
      seen.add(vm.name);
      const surface = surfaces.surfaces.find((s) => s.vm === vm.name);
      const c = card(vm.name);
      c.root.dataset['state'] = vm.state;
      c.root.dataset['presentation'] = surface?.presented ? 'presented' : 'hidden';
      c.state.textContent = surface?.presented ? `${vm.state} · presented` : vm.state;
      for (const name of BUTTONS) c.buttons[name].disabled = !enabled(name, vm, surface);
      if (c.root.parentElement !== list) list.append(c.root);
    }
    for (const [name, c] of cards) {
      if (seen.has(name)) continue;
      feedOf(name).detach(c.thumb);
      c.root.remove();
      cards.delete(name);
    }
    empty.hidden = vms.length > 0;
  };
}
