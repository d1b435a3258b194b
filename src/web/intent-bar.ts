// Owns the intent bar: sends what the person types to the conductor, says what RayOS did, and shows its questions as a choice card.
import type { IntentOutcome } from '../contracts/conductor.js';
import { showError } from './connection.js';
import type { DesktopState } from './desktop-state.js';
import { byId, h } from './dom.js';
import type { RuntimeApi } from './runtime-api.js';

const TONE: Record<IntentOutcome['outcome'], 'ok' | 'info' | 'error'> = { done: 'ok', denied: 'error', failed: 'error', clarify: 'info', inform: 'info', out_of_scope: 'info' };

export interface IntentBar {
  /** Called with every outcome (the activity list shows them). */
  onOutcome(listener: (outcome: IntentOutcome) => void): void;
  /** Puts words in the bar and submits them, as if typed (the voice uses it). */
  submitText(text: string): void;
}

export function createIntentBar(api: RuntimeApi, state: DesktopState): IntentBar {
  const form = byId<HTMLFormElement>('intent-form');
  const input = byId<HTMLInputElement>('intent-input');
  const reply = byId<HTMLOutputElement>('intent-reply');
  const card = byId('choice-card');
  const listeners: ((outcome: IntentOutcome) => void)[] = [];
  const say = (text: string, tone: 'ok' | 'info' | 'error') => {
    reply.textContent = text;
    reply.title = text;
    reply.dataset['tone'] = tone;
  };

  function ask(outcome: IntentOutcome): void {
    card.replaceChildren(
      h('p', { class: 'choice-question', text: outcome.say }),
      ...outcome.choices.map((choice) => {
        const button = h('button', { type: 'button', class: 'choice', 'data-option': choice.option, text: choice.label });
        button.addEventListener('click', () => void send({ answer: { intentId: outcome.intentId, option: choice.option } }, choice.label));
        return button;
      }),
      (() => {
        const cancel = h('button', { type: 'button', class: 'choice choice-cancel', text: 'Never mind' });
        cancel.addEventListener('click', () => void send({ text: 'cancel' }, 'never mind'));
        return cancel;
      })(),
    );
    card.hidden = false;
  }

  async function send(body: { text: string } | { answer: { intentId: string; option: string } }, shown: string): Promise<void> {
    card.hidden = true;
    form.dataset['busy'] = 'true';
    say(`${shown}…`, 'info');
    const done = await api.call('intentDo', {}, body);
    delete form.dataset['busy'];
    if (!done.ok) {
      showError(done.error, `Saying "${shown}"`);
      say(`RayOS could not take that (${done.error.code}).`, 'error');
      return;
    }
    const outcome = done.value;
    form.dataset['outcome'] = outcome.outcome;
    say(outcome.say, TONE[outcome.outcome]);
    if (outcome.outcome === 'clarify' && outcome.choices.length > 0) ask(outcome);
    for (const listener of listeners) listener(outcome);
    await state.refresh();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    void send({ text }, text);
  });
  return {
    onOutcome: (listener) => listeners.push(listener),
    submitText: (text) => {
      input.value = text;
      form.requestSubmit();
    },
  };
}
