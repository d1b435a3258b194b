// Owns the activity list: what RayOS did lately and, on request, why (the conductor's explanation, from the journal if need be).
import type { IntentOutcome } from '../contracts/conductor.js';
import { byId, h } from './dom.js';
import type { RuntimeApi } from './runtime-api.js';

const SHOWN = 12;

export function createIntentHistory(api: RuntimeApi): { add(outcome: IntentOutcome): void; load(): Promise<void> } {
  const list = byId<HTMLOListElement>('activity');
  const empty = byId('no-activity');
  const seen = new Set<string>();

  function item(outcome: IntentOutcome): HTMLLIElement {
    const why = h('button', { type: 'button', class: 'activity-why', text: 'Why?' });
    const details = h('pre', { class: 'activity-explanation' });
    details.hidden = true;
    const root = h(
      'li',
      { class: 'activity-item', 'data-outcome': outcome.outcome, 'data-intent': outcome.intentId },
      h('span', { class: 'activity-text', text: `“${outcome.text}”` }),
      h('span', { class: 'activity-say', text: outcome.say }),
      why,
      details,
    );
    why.addEventListener('click', async () => {
      if (!details.hidden) return void (details.hidden = true);
      const explained = await api.call('intentExplain', { id: outcome.intentId });
      details.textContent = explained.ok ? explained.value.lines.join('\n') : `${explained.error.code}: ${explained.error.message}`;
      details.hidden = false;
    });
    return root;
  }

  function add(outcome: IntentOutcome): void {
    if (seen.has(outcome.intentId)) return;
    seen.add(outcome.intentId);
    list.prepend(item(outcome));
    while (list.children.length > SHOWN) list.lastElementChild?.remove();
    empty.hidden = true;
  }

  return {
    add,
    async load() {
      const recent = await api.call('intentList', {}, undefined);
      if (recent.ok) [...recent.value.intents].reverse().forEach(add);
    },
  };
}
