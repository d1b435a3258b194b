// Owns capturing the microphone as raw PCM and encoding it as 16-bit mono WAV at the audio context's rate (the runtime resamples).
import { encodeWav16Mono } from '../base/wav-encode.js';
//
// MediaRecorder would give webm/opus, which pocketsphinx cannot read; a ScriptProcessor hands over the samples
// themselves. (An AudioWorklet would need a module URL, and the page's CSP allows scripts from 'self' only.)

/** Why a recording ended by itself. */
export type EndReason = 'silence' | 'limit';

export interface Recording {
  /** Ends capture and gives the WAV bytes, or null when nothing was captured. */
  finish(): Promise<{ wav: Uint8Array<ArrayBuffer>; seconds: number; sampleRate: number } | null>;
  /** Ends capture and drops what was recorded. */
  cancel(): void;
}

export interface RecordOptions {
  /** Hard stop, well under the runtime's 30 s. */
  readonly maxSeconds: number;
  /** Called once when the person stops talking (after speech, this long quiet) or the limit is reached. */
  readonly onEnd: (reason: EndReason) => void;
  /** Quiet after speech that ends the recording. */
  readonly silenceSeconds?: number;
}

const BUFFER_FRAMES = 4096;
/** RMS levels (full scale 1) for "someone is talking" and "quiet again": far apart so breathing does not flip it. */
const SPEECH_RMS = 0.02;
const QUIET_RMS = 0.008;

/** Asks for the microphone (the browser prompts the first time) and starts recording. Rejects when refused. */
export async function startRecording(options: RecordOptions): Promise<Recording> {
  // Raw audio for the recogniser: echo cancellation and noise suppression reshape the spectrum it was trained on.
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(BUFFER_FRAMES, 1, 1);
  const chunks: Float32Array[] = [];
  const silenceFrames = (options.silenceSeconds ?? 1.0) * context.sampleRate;
  let heardSpeech = false;
  let quietFrames = 0;
  let total = 0;
  let ended = false;
  const end = (reason: EndReason): void => {
    if (ended) return;
    ended = true;
    options.onEnd(reason);
  };

  processor.onaudioprocess = (event) => {
    const samples = new Float32Array(event.inputBuffer.getChannelData(0));
    chunks.push(samples);
    total += samples.length;
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = Math.sqrt(sum / samples.length);
    if (rms >= SPEECH_RMS) {
      heardSpeech = true;
      quietFrames = 0;
    } else if (rms < QUIET_RMS && heardSpeech) {
      quietFrames += samples.length;
      if (quietFrames >= silenceFrames) end('silence');
    }
    if (total >= options.maxSeconds * context.sampleRate) end('limit');
  };
  source.connect(processor);
  // A ScriptProcessor only runs while connected to the output; it writes nothing, so nothing is heard.
  processor.connect(context.destination);

  const release = (): void => {
    ended = true;
    processor.onaudioprocess = null;
    source.disconnect();
    processor.disconnect();
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  return {
    async finish() {
      release();
      if (total === 0) return null;
      const samples = new Float32Array(total);
      let at = 0;
      for (const chunk of chunks) {
        samples.set(chunk, at);
        at += chunk.length;
      }
      return { wav: encodeWav16Mono(samples, context.sampleRate), seconds: total / context.sampleRate, sampleRate: context.sampleRate };
    },
    cancel: release,
  };
}
