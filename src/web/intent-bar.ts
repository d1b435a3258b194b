// Owns the intent bar: reads a typed command, acts on it through the API and answers in one polite line.
import type { Actions } from './actions.js';
import { byId } from './dom.js';
import { OUT_OF_SCOPE, parseIntent } from './intent.js';

export function createIntentBar(actions: Actions): void {
  const form = byId<HTMLFormElement>('intent-form');
  const input = byId<HTMLInputElement>('intent-input');
  const reply = byId<HTMLOutputElement>('intent-reply');
  const say = (text: string, tone: 'ok' | 'info' | 'error') => {
    reply.textContent = text;
    reply.dataset['tone'] = tone;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (text.trim() === '') return;
    const intent = parseIntent(text);
    if (intent.kind === 'unknown') return say(OUT_OF_SCOPE, 'info');
    input.value = '';
    say(intent.kind === 'show' ? `Showing ${intent.vm}…` : `Hiding ${intent.vm}…`, 'info');
    const done = intent.kind === 'show' ? actions.present(intent.vm) : actions.hide(intent.vm);
    void done.then((ok) => {
      if (ok) say(intent.kind === 'show' ? `Showing the ${intent.vm} desktop.` : `${intent.vm} is hidden; it keeps running.`, 'ok');
      else say(`I could not ${intent.kind} ${intent.vm} (see the message above).`, 'error');
    });
  });
}
