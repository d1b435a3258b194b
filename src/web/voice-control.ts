// Owns the page's voice: the microphone button (record → /v1/speech/transcribe → the intent bar) and the Speak toggle (questions read aloud via /v1/speech/say).
import type { z } from 'zod';
import { API_ROUTES, MAX_SPEECH_TEXT_CHARS, SpeechStatusSchema, SpeechTranscriptSchema } from '../contracts/api-routes.js';
import type { IntentOutcome } from '../contracts/conductor.js';
import { RayosErrorSchema } from '../contracts/errors.js';
import { showError } from './connection.js';
import { byId } from './dom.js';
import { startRecording, type Recording } from './voice-capture.js';

/** What the voice needs from the intent bar. */
export interface VoiceIntentBar {
  submitText(text: string): void;
  onOutcome(listener: (outcome: IntentOutcome) => void): void;
}

type MicState = 'checking' | 'unavailable' | 'idle' | 'listening' | 'transcribing';

const MAX_RECORD_SECONDS = 12;
/** Outcomes whose words are worth hearing: a question, a reason it cannot be done, a refusal. */
const SPOKEN: ReadonlySet<IntentOutcome['outcome']> = new Set(['clarify', 'inform', 'denied']);
const SPEAK_KEY = 'rayos.voice.speak';
const RETRY_STATUS_MS = 5000;
const NOTE_MS = 6000;

type Fail = { code: string; message: string };

export function createVoiceControl(token: string | null, bar: VoiceIntentBar): void {
  const mic = byId<HTMLButtonElement>('mic-button');
  const speak = byId<HTMLButtonElement>('speak-toggle');
  let recording: Recording | null = null;
  let playback: AudioContext | null = null;
  let playing: AudioBufferSourceNode | null = null;
  let noteTimer = 0;

  const headers = (type?: string): Record<string, string> => ({ ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(type === undefined ? {} : { 'content-type': type }) });
  async function failureOf(response: Response): Promise<Fail> {
    const parsed = RayosErrorSchema.safeParse(await response.json().catch(() => null));
    return parsed.success ? parsed.data : { code: `HTTP_${response.status}`, message: `The runtime answered ${response.status} without a RayOS error.` };
  }
  async function post(path: string, body: BodyInit, type: string): Promise<Response | Fail> {
    try {
      const response = await fetch(path, { method: 'POST', headers: headers(type), body, cache: 'no-store', signal: AbortSignal.timeout(60_000) });
      return response.ok ? response : await failureOf(response);
    } catch (error) {
      return { code: 'unreachable', message: `The runtime is unreachable (${error instanceof Error ? error.message : String(error)}).` };
    }
  }

  const setMic = (state: MicState, title: string): void => {
    mic.dataset['state'] = state;
    mic.disabled = state === 'unavailable' || state === 'checking' || state === 'transcribing';
    mic.setAttribute('aria-pressed', String(state === 'listening'));
    mic.title = title;
    mic.setAttribute('aria-label', title);
  };
  /** A short line above the microphone ("Heard: …", "Didn't catch a command"), gone after a few seconds. */
  const note = (text: string): void => {
    mic.dataset['note'] = text;
    window.clearTimeout(noteTimer);
    noteTimer = window.setTimeout(() => delete mic.dataset['note'], NOTE_MS);
  };
  const speakOn = (): boolean => speak.getAttribute('aria-pressed') === 'true';
  const setSpeak = (on: boolean): void => {
    speak.setAttribute('aria-pressed', String(on));
    speak.textContent = on ? 'Speak: on' : 'Speak: off';
    try {
      window.localStorage.setItem(SPEAK_KEY, on ? 'on' : 'off');
    } catch {
      // storage blocked: the toggle still works for this page
    }
  };

  async function checkStatus(): Promise<void> {
    let reply: z.output<typeof SpeechStatusSchema> | null = null;
    try {
      const response = await fetch(API_ROUTES.speechStatus.path, { headers: headers(), cache: 'no-store', signal: AbortSignal.timeout(10_000) });
      if (response.ok) reply = SpeechStatusSchema.parse(await response.json());
    } catch {
      reply = null;
    }
    if (reply === null) {
      setMic('checking', 'Voice: waiting for the runtime…');
      window.setTimeout(() => void checkStatus(), RETRY_STATUS_MS);
      return;
    }
    const fix = reply.fix === null ? '' : ` — install with: ${reply.fix}`;
    if (reply.transcribe) setMic('idle', 'Speak a command (click, talk, it stops when you do)');
    else setMic('unavailable', `Voice unavailable${fix}`);
    speak.disabled = !reply.say;
    speak.title = reply.say ? 'Read RayOS’s questions aloud' : `Speech unavailable${fix}`;
    if (!reply.say) setSpeak(false);
  }

  async function transcribe(): Promise<void> {
    const current = recording;
    recording = null;
    if (current === null) return;
    setMic('transcribing', 'Listening done — transcribing…');
    const captured = await current.finish();
    if (captured === null) {
      setMic('idle', 'Speak a command');
      return;
    }
    const sent = await post(API_ROUTES.speechTranscribe.path, new Blob([captured.wav], { type: 'audio/wav' }), 'audio/wav');
    setMic('idle', 'Speak a command (click, talk, it stops when you do)');
    if (!(sent instanceof Response)) {
      showError(sent, 'Voice');
      return;
    }
    const heard = SpeechTranscriptSchema.safeParse(await sent.json().catch(() => null));
    if (!heard.success) {
      showError({ code: 'BAD_REPLY', message: 'The runtime’s transcript did not match the contract.' }, 'Voice');
      return;
    }
    mic.dataset['heard'] = heard.data.text;
    if (heard.data.text === '') {
      note(heard.data.heard === '' ? 'Didn’t catch a command' : `Not a command (closest: “${heard.data.heard}”)`);
      if (speakOn()) void say('Sorry, I did not catch a command.');
      return;
    }
    note(`Heard: “${heard.data.text}”`);
    bar.submitText(heard.data.text);
  }

  async function toggleRecording(): Promise<void> {
    if (recording !== null) return transcribe();
    try {
      recording = await startRecording({ maxSeconds: MAX_RECORD_SECONDS, onEnd: () => void transcribe() });
      setMic('listening', 'Listening… click to stop');
    } catch (error) {
      recording = null;
      showError({ code: 'MICROPHONE', message: `The microphone is not available (${error instanceof Error ? error.message : String(error)}); allow it for this page.` }, 'Voice');
    }
  }

  async function say(text: string): Promise<void> {
    const sent = await post(API_ROUTES.speechSay.path, JSON.stringify({ text: text.slice(0, MAX_SPEECH_TEXT_CHARS) }), 'application/json');
    if (!(sent instanceof Response)) {
      showError(sent, 'Speaking');
      return;
    }
    // Web Audio, not an <audio> element: the CSP allows media from 'self' only, and a blob: URL is not 'self'.
    playback ??= new AudioContext();
    // Suspended when Speak was restored on from an earlier visit and nothing has been clicked yet; resumes on a gesture.
    void playback.resume();
    try {
      const buffer = await playback.decodeAudioData(await sent.arrayBuffer());
      playing?.stop();
      playing = playback.createBufferSource();
      playing.buffer = buffer;
      playing.connect(playback.destination);
      playing.start();
      speak.dataset['spoken'] = text;
      speak.dataset['spokenCount'] = String(Number(speak.dataset['spokenCount'] ?? '0') + 1);
    } catch (error) {
      showError({ code: 'AUDIO', message: `The spoken reply could not be played (${String(error)}).` }, 'Speaking');
    }
  }

  mic.addEventListener('click', () => void toggleRecording());
  speak.addEventListener('click', () => {
    setSpeak(!speakOn());
    // Made inside the click: browsers only let audio start from a gesture.
    playback ??= new AudioContext();
    void playback.resume();
  });
  bar.onOutcome((outcome) => {
    if (speakOn() && SPOKEN.has(outcome.outcome) && outcome.say !== '') void say(outcome.say);
  });
  let saved: string | null = null;
  try {
    saved = window.localStorage.getItem(SPEAK_KEY);
  } catch {
    saved = null;
  }
  setSpeak(saved === 'on');
  setMic('checking', 'Voice: checking…');
  void checkStatus();
}
