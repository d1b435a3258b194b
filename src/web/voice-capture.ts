// Owns capturing the microphone as raw PCM and encoding it as 16-bit mono WAV at the audio context's rate (the runtime resamples).
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
      return { wav: encodeWav(samples, context.sampleRate), seconds: total / context.sampleRate, sampleRate: context.sampleRate };
    },
    cancel: release,
  };
}

/** 16-bit PCM mono WAV with the canonical 44-byte header. */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(44 + i * 2, Math.round(v < 0 ? v * 32768 : v * 32767), true);
  }
  return out;
}
