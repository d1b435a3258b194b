// Tests voice through the page in Chromium: a WAV from espeak-ng as the fake microphone, the mic button, the conductor presenting linux; the Speak toggle; the speech routes' errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { SpeechStatusSchema, SpeechTranscriptSchema } from '../../src/contracts/api-routes.js';
import { SurfaceListSchema } from '../../src/contracts/display.js';
import { synthesize } from '../../src/platform/audio/espeak.js';
import { detectVoice } from '../../src/platform/audio/voice-tools.js';
import { encodeWav16Mono, parseWav } from '../../src/platform/audio/wav-codec.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;
const UI_MS = 60_000;
/** The page after the spoken command, for a person to look at. */
const SCREENSHOT = '/tmp/rayos-voice-ui.png';

const tools = await detectVoice();
const skip = tools.missing.length > 0 ? `voice tools missing (${tools.missing.join(', ')}); ./rayos setup installs them` : false;

/** The page's globals as the functions run there see them (the test project has no DOM types). */
type PageGlobals = { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } };

/** What espeak-ng says, with quiet before (the capture starting) and after (so the page hears the person stop). */
async function spokenWav(text: string): Promise<Uint8Array> {
  const said = await synthesize(text, { synthesiser: tools.synthesiser! });
  assert.ok(said.ok, said.ok ? '' : said.error.message);
  const pcm = parseWav(said.value);
  assert.ok(pcm.ok);
  const rate = pcm.value.sampleRate;
  const voice = pcm.value.channels[0]!;
  const padded = new Float32Array(Math.round(rate * 0.8) + voice.length + rate * 3);
  padded.set(voice, Math.round(rate * 0.8));
  return encodeWav16Mono(padded, rate);
}

describe('voice in the web UI', { skip }, () => {
  const { dir, cleanup } = tempDataDir('rayos-voice-ui-');
  const { cli } = vmCli(dir);
  const fakeMic = join(dir, 'fake-mic.wav');
  let runtime: RuntimeProcess;
  let browser: Browser;
  let page: Page;
  let base = '';
  let token = '';
  const auth = () => ({ authorization: `Bearer ${token}` });

  before(async () => {
    installGuestImage(dir);
    writeFileSync(fakeMic, await spokenWav('show linux desktop'));
    runtime = startRuntime(dir);
    const listening = await runtime.waitFor(/^RAYOS_API:LISTENING_TCP:/, 60_000);
    base = `http://127.0.0.1:${listening.split(':').at(-1)}`;
    token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    // Chromium plays the file as its only microphone (%noloop: once, then silence) and grants the permission itself.
    const mic = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${fakeMic}%noloop`, '--autoplay-policy=no-user-gesture-required'];
    browser = await launchChromium(mic);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('the runtime says voice is available', async () => {
    const reply = await fetch(`${base}/v1/speech`, { headers: auth() });
    assert.equal(reply.status, 200);
    assert.deepEqual(SpeechStatusSchema.parse(await reply.json()), { transcribe: true, say: true, missing: [], fix: null });
  });

  test('the speech routes answer audio/wav, and refuse what is not a WAV with a RAYOS code', async () => {
    const said = await fetch(`${base}/v1/speech/say`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Which one?' }) });
    assert.equal(said.status, 200);
    assert.equal(said.headers.get('content-type'), 'audio/wav');
    assert.ok(parseWav(new Uint8Array(await said.arrayBuffer())).ok);

    const heard = await fetch(`${base}/v1/speech/transcribe`, { method: 'POST', headers: { ...auth(), 'content-type': 'audio/wav' }, body: readFileSync(fakeMic) });
    assert.equal(heard.status, 200);
    assert.equal(SpeechTranscriptSchema.parse(await heard.json()).text, 'show linux desktop');

    const garbage = await fetch(`${base}/v1/speech/transcribe`, { method: 'POST', headers: { ...auth(), 'content-type': 'audio/wav' }, body: 'RIFF....not a wave file' });
    assert.equal(((await garbage.json()) as { code: string }).code, 'RAYOS_VOICE_BAD_AUDIO');
    const json = await fetch(`${base}/v1/speech/transcribe`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"audio":"x"}' });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { code: string }).code, 'RAYOS_API_BAD_REQUEST');
    const huge = await announceBody(`${base}/v1/speech/transcribe`, { ...auth(), 'content-type': 'audio/wav' }, 5 * 1024 * 1024);
    assert.deepEqual([huge.status, (JSON.parse(huge.text) as { code: string }).code], [413, 'RAYOS_API_BODY_TOO_LARGE']);
    const empty = await fetch(`${base}/v1/speech/say`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"text":""}' });
    assert.equal(((await empty.json()) as { code: string }).code, 'RAYOS_API_BAD_REQUEST');
  });

  test('saying "show linux desktop" into the microphone presents linux', async () => {
    await page.goto(`${base}/#token=${token}`);
    await page.waitForSelector('.subsystem[data-vm="linux"][data-state="running"]', { timeout: UI_MS });
    await page.waitForSelector('#mic-button[data-state="idle"]:not([disabled])', { timeout: UI_MS });
    assert.equal((await cli(['surface', 'list', '--json'])).code, 0);
    await page.click('#mic-button');
    // It stops by itself when the voice stops, transcribes, and hands the words to the intent bar.
    await page.waitForSelector('.activity-item[data-outcome="done"]', { timeout: UI_MS });
    assert.equal(await page.textContent('.activity-item >> nth=0 >> .activity-text'), '“show linux desktop”');
    assert.equal(await page.getAttribute('#mic-button', 'data-heard'), 'show linux desktop');
    await page.waitForSelector('.surface-window[data-vm="linux"]', { timeout: UI_MS });
    const listed = await cli(['surface', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const linux = SurfaceListSchema.parse(JSON.parse(listed.stdout)).surfaces.find((s) => s.vm === 'linux');
    assert.equal(linux?.presented, true);
    await page.screenshot({ path: SCREENSHOT });
  });

  test('with Speak on, what RayOS cannot do (or asks) is read aloud', async () => {
    await page.click('#speak-toggle');
    assert.equal(await page.getAttribute('#speak-toggle', 'aria-pressed'), 'true');
    const previous = await page.getAttribute('.activity-item >> nth=0', 'data-intent');
    // linux runs, so "resume linux" is an inform ("Linux is already running.").
    await page.fill('#intent-input', 'resume linux');
    await page.press('#intent-input', 'Enter');
    await page.waitForFunction((old) => (globalThis as unknown as PageGlobals).document.querySelector('.activity-item')?.getAttribute('data-intent') !== old, previous, { timeout: UI_MS });
    assert.equal(await page.getAttribute('.activity-item >> nth=0', 'data-outcome'), 'inform');
    await page.waitForSelector('#speak-toggle[data-spoken-count="1"]', { timeout: UI_MS });
    assert.equal(await page.getAttribute('#speak-toggle', 'data-spoken'), await page.textContent('#intent-reply'));
  });
});

/**
 * POSTs headers announcing `bytes` of body and sends none: the server must refuse by the announced length alone. (Writing
 * megabytes the server will not read makes the client's write fail with EPIPE, which tests the client, not RayOS.)
 */
function announceBody(url: string, headers: Record<string, string>, bytes: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port, pathname } = new URL(url);
    const req = request({ host: hostname, port: Number(port), method: 'POST', path: pathname, headers: { ...headers, 'content-length': String(bytes) }, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** A PATH with every program of this one except `left`: a machine where those packages were never installed. */
function pathWithout(dir: string, left: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const from of (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '' && existsSync(d))) {
    for (const name of readdirSync(from)) {
      if (!left.includes(name) && !existsSync(join(dir, name))) symlinkSync(join(from, name), join(dir, name));
    }
  }
  return dir;
}

describe('voice in the web UI on a host without pocketsphinx and espeak-ng', () => {
  const { dir, cleanup } = tempDataDir('rayos-voice-off-');
  let runtime: RuntimeProcess;
  let browser: Browser;
  let base = '';
  let token = '';

  before(async () => {
    const path = pathWithout(join(dir, 'bin'), ['pocketsphinx_batch', 'pocketsphinx_continuous', 'espeak-ng']);
    runtime = startRuntime(join(dir, 'data'), [], { PATH: path });
    const listening = await runtime.waitFor(/^RAYOS_API:LISTENING_TCP:/, 60_000);
    base = `http://127.0.0.1:${listening.split(':').at(-1)}`;
    token = readFileSync(join(dir, 'data', 'api-token'), 'utf8').trim();
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('the API says RAYOS_VOICE_UNAVAILABLE with the apt-get line; the runtime runs on', async () => {
    const status = SpeechStatusSchema.parse(await (await fetch(`${base}/v1/speech`, { headers: { authorization: `Bearer ${token}` } })).json());
    assert.deepEqual([status.transcribe, status.say, status.missing], [false, false, ['pocketsphinx', 'espeak-ng']]);
    assert.equal(status.fix, 'sudo apt-get install -y pocketsphinx pocketsphinx-en-us espeak-ng');
    const refused = await fetch(`${base}/v1/speech/transcribe`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/wav' }, body: encodeWav16Mono(new Float32Array(1600), 16_000) });
    const error = (await refused.json()) as { code: string; message: string };
    assert.equal(error.code, 'RAYOS_VOICE_UNAVAILABLE');
    assert.match(error.message, /apt-get install -y pocketsphinx pocketsphinx-en-us espeak-ng/);
  });

  test('the page shows the microphone and Speak disabled, saying why and how to fix it', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/#token=${token}`);
    await page.waitForSelector('#mic-button[data-state="unavailable"][disabled]', { timeout: UI_MS });
    assert.match((await page.getAttribute('#mic-button', 'title')) ?? '', /^Voice unavailable — install with: sudo apt-get install -y pocketsphinx/);
    assert.equal(await page.getAttribute('#speak-toggle', 'disabled'), '');
    assert.match((await page.getAttribute('#speak-toggle', 'title')) ?? '', /^Speech unavailable/);
    await page.close();
  });
});
