// Benchmarks the compositor WebSocket endpoints with a real guest: input latency over the input channel, and present → first RFB bytes.
//
// Figures:
// - key ack: a key message with an id → its "delivered" reply (the broker checked model and policy and QEMU accepted
//   input-send-event). This is RayOS's own share of the latency.
// - key → guest kernel: host time just before a key-down message goes out on the input WebSocket → the guest input
//   core's timestamp of that press (evdev, recorded in the guest by `rayos-agent --keylog`), put on the host clock
//   with the guest clock offset (GET /v1/vms/linux/clock) sampled before and after the run and interpolated between
//   (the guest clock may drift from the host's). Each figure is good to ± the clock uncertainty printed with it.
// - page key event → guest kernel: the same, from a real keydown in the compositor page in Chromium (playwright-core):
//   performance.timeOrigin + event.timeStamp in the page, through the page's own input socket. This is the issue's
//   "page event → guest sees the key".
// - first frame: POST present → the first binary bytes (RFB greeting) on a new frames WebSocket.
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rawRequest } from '../test/support/raw-http.js';
import { stopRuntime, tempDataDir, type RuntimeProcess } from '../test/support/runtime-process.js';
import { killQemusUnder, startRuntimeWithGuest } from '../test/support/vm-support.js';
import { connectWs, inputClient, keyMessages, unixUrl } from '../test/support/ws-client.js';
import { vncPath } from '../src/contracts/compositor-wire.js';
import { ExecResultSchema, GuestClockSchema, KEYLOG_READY_MARKER, KeylogResultSchema, type GuestClock } from '../src/contracts/guest-agent.js';
import { VmLogsSchema } from '../src/contracts/vm.js';
import { CHROMIUM, launchChromium } from '../test/support/chromium.js';

const KEYS = 200;
const GUEST_KEYS = 60;
/** Presses are spaced 50–100 ms apart so each is handled alone (no queueing behind the previous one). */
const gapMs = (i: number): number => 50 + ((i * 37) % 51);
/** Linux input key codes of the letters (KEY_A = 30, …), to check the guest saw exactly the presses sent. */
const LINUX_KEY: Record<string, number> = {
  q: 16, w: 17, e: 18, r: 19, t: 20, y: 21, u: 22, i: 23, o: 24, p: 25, a: 30, s: 31, d: 32, f: 33, g: 34, h: 35, j: 36, k: 37, l: 38, z: 44, x: 45, c: 46, v: 47, b: 48, n: 49, m: 50,
};
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const GUEST_AGENT = '/sbin/rayos-agent';
const WEB_INDEX = new URL('../web/index.html', import.meta.url).pathname;
const FRAME_RUNS = 7;
const BOOT_MS = 300_000;

const pct = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;
/** Host wall-clock time as epoch ms with sub-ms precision: the same reading the runtime takes around its pings. */
const hostNowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (values: number[]): string => `p50 ${pct(values, 50).toFixed(1)} ms, p99 ${pct(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (n=${values.length})`;

async function main(): Promise<void> {
  console.log(`RayOS compositor benchmark (node ${process.versions.node}, ${new Date().toISOString()}): the default Linux guest`);
  const { dir, cleanup } = tempDataDir('rayos-compb-');
  const socket = { socketPath: join(dir, 'rayos.sock') };
  const post = async (path: string, body: unknown) => {
    const reply = await rawRequest(socket, 'POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.text}`);
    return reply.body;
  };
  const api: GuestApi = { post, socket };
  const screen = async (): Promise<string> => ((await post('/v1/vms/linux/exec', { argv: ['cat', '/dev/vcs1'] })) as { stdout: string }).stdout;
  let runtime: RuntimeProcess | null = null;
  try {
    const booted = await startRuntimeWithGuest(dir, BOOT_MS);
    runtime = booted.runtime;
    console.log(`accelerator: ${booted.accel}`);
    await runtime.waitFor(/^RAYOS_PRESENTATION:SURFACE_CREATE:linux:/, 60_000);

    // First frame: present → first RFB bytes at a new client; hidden again between runs.
    const frames: number[] = [];
    for (let i = 0; i < FRAME_RUNS; i++) {
      const t0 = performance.now();
      await post('/v1/surfaces/linux/present', {});
      const viewer = connectWs(unixUrl(socket.socketPath, vncPath('linux')));
      await viewer.next((m) => Buffer.isBuffer(m), 30_000);
      frames.push(performance.now() - t0);
      await post('/v1/surfaces/linux/hide', {});
      await viewer.closed;
    }

    await post('/v1/surfaces/linux/present', {});
    for (let i = 0; (await screen()).match(/\/data # /) === null; i++) if (i > 300) throw new Error('no tty1 prompt');
    const input = inputClient(unixUrl(socket.socketPath, '/v1/input'));
    await input.reply((m) => m.type === 'hello');
    input.send({ type: 'claim' });
    await input.reply((m) => m.type === 'claimed');

    // Key ack: one key event at a time (down, then up), each waiting for its delivered reply.
    const acks: number[] = [];
    for (let i = 0; i < KEYS; i++) {
      const from = input.received.length;
      const t0 = performance.now();
      input.send({ type: 'key', id: i, surface: 'linux', code: 'ShiftLeft', down: i % 2 === 0 });
      await input.reply((m) => m.type === 'delivered' && m.id === i, from);
      acks.push(performance.now() - t0);
    }

    // Key → guest kernel, from this process's WebSocket send.
    const wsSent: number[] = [];
    const fromWs = await keysToGuest(api, async (letter) => {
      const [down, up] = keyMessages('linux', letter);
      wsSent.push(hostNowMs());
      input.send(down!);
      input.send(up!);
    }, async () => wsSent);
    input.ws.close();
    await clearGuestLine(socket.socketPath);

    // Key → guest kernel, from a real page event in Chromium (the compositor page's own input path).
    const fromPage = await pageKeysToGuest(runtime, dir, api).catch((error: Error) => error.message);
    await clearGuestLine(socket.socketPath);

    const median = pct(frames, 50);
    console.log(`input, key ack (WS key → delivered reply, QEMU accepted it): ${fmt(acks)} [target p99 < 20 ms]`);
    console.log(`input, key → guest kernel (WebSocket send → guest evdev timestamp, clock-aligned): ${fmt(fromWs.latencies)} [target p99 < 20 ms]`);
    console.log(`  ${describeRun(fromWs)}`);
    if (typeof fromPage === 'string') console.log(`input, page key event → guest kernel: not measured (${fromPage})`);
    else {
      console.log(`input, page key event → guest kernel (Chromium keydown timeStamp → guest evdev timestamp, clock-aligned): ${fmt(fromPage.run.latencies)} [target p99 < 20 ms]`);
      console.log(`  ${describeRun(fromPage.run)}; page/bench clocks ${fromPage.skewMs === 0 ? 'agree' : `disagree by ≥ ${fromPage.skewMs.toFixed(2)} ms`}`);
    }
    console.log(`first frame (present → first RFB bytes at a new client): median ${median.toFixed(0)} ms (runs: ${frames.map((v) => v.toFixed(0)).join(', ')}) [target < 500 ms]`);
  } finally {
    if (runtime !== null) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  }
}

interface GuestApi {
  readonly post: (path: string, body: unknown) => Promise<unknown>;
  readonly socket: { socketPath: string };
}

interface GuestKeyRun {
  /** Per press: its guest kernel timestamp on the host clock − the host time it was sent, ms. */
  readonly latencies: number[];
  readonly before: GuestClock;
  readonly after: GuestClock;
  /** How far apart the runtime's and this process's readings of the host clock are at least (0: consistent). */
  readonly runtimeSkewMs: number;
}

const mid = (c: GuestClock): number => (c.hostBeforeMs + c.hostAfterMs) / 2;

function describeRun(run: GuestKeyRun): string {
  const { before: a, after: b } = run;
  const driftPpm = ((b.offsetMs - a.offsetMs) / (mid(b) - mid(a))) * 1e6;
  return (
    `min ${Math.min(...run.latencies).toFixed(1)} ms, slowest press #${run.latencies.indexOf(Math.max(...run.latencies)) + 1}; guest clock offset ${a.offsetMs.toFixed(1)} → ${b.offsetMs.toFixed(1)} ms (drift ${driftPpm.toFixed(0)} ppm), ` +
    `uncertainty ±${Math.max(a.uncertaintyMs, b.uncertaintyMs).toFixed(2)} ms (half the best ping round trip); runtime/bench clocks ${run.runtimeSkewMs === 0 ? 'agree' : `disagree by ≥ ${run.runtimeSkewMs.toFixed(2)} ms`}`
  );
}

/**
 * Runs `rayos-agent --keylog` in the guest, presses GUEST_KEYS letters through `press` 50–100 ms apart, and matches
 * the guest kernel's timestamps with the send times `sentAt` gives afterwards (host epoch ms, one per press). The agent
 * serves one request at a time, so the clock is read before the key logger starts and after it answered (a ping in
 * between would wait for it); the offset is interpolated between the two readings.
 */
async function keysToGuest(api: GuestApi, press: (letter: string) => Promise<void>, sentAt: () => Promise<number[]>): Promise<GuestKeyRun> {
  const clock = async (): Promise<{ clock: GuestClock; skewMs: number }> => {
    const benchBeforeMs = hostNowMs();
    const reply = await rawRequest(api.socket, 'GET', '/v1/vms/linux/clock');
    const benchAfterMs = hostNowMs();
    if (reply.status !== 200) throw new Error(`/v1/vms/linux/clock: ${reply.status} ${reply.text}`);
    const read = GuestClockSchema.parse(reply.body);
    // The runtime's readings must fall inside this process's request window, else the two clocks disagree by the excess.
    return { clock: read, skewMs: Math.max(0, benchBeforeMs - read.hostBeforeMs, read.hostAfterMs - benchAfterMs) };
  };
  const logs = await rawRequest(api.socket, 'GET', '/v1/vms/linux/logs?lines=1');
  const serialLog = VmLogsSchema.parse(logs.body).path;
  const before = await clock();
  const logFrom = (await stat(serialLog)).size;
  // Long enough for every press and its gap, with room for a slow start; a lost press ends the run at this deadline.
  const timeoutMs = GUEST_KEYS * 100 + 15_000;
  const keylog = api.post('/v1/vms/linux/exec', { argv: [GUEST_AGENT, '--keylog', String(GUEST_KEYS), String(timeoutMs)], timeoutMs: timeoutMs + 5_000 });
  keylog.catch(() => undefined); // awaited below; a failure must not go unhandled while the marker is awaited
  await waitForSerialLine(serialLog, logFrom, KEYLOG_READY_MARKER, 60_000);
  const codes: number[] = [];
  for (let i = 0; i < GUEST_KEYS; i++) {
    const letter = LETTERS[i % LETTERS.length]!;
    codes.push(LINUX_KEY[letter]!);
    await press(letter);
    await sleep(gapMs(i));
  }
  const run = ExecResultSchema.parse(await keylog);
  if (run.exitCode !== 0) throw new Error(`rayos-agent --keylog exited ${run.exitCode}: ${run.stderr}`);
  const untrustedLog: unknown = JSON.parse(run.stdout);
  const logged = KeylogResultSchema.parse(untrustedLog);
  const after = await clock();
  const sent = await sentAt();
  if (logged.timedOut || logged.keys.length !== codes.length) {
    throw new Error(`the guest logged ${logged.keys.length} of ${codes.length} presses (timed out: ${logged.timedOut}); sent ${codes.join(' ')}, logged ${logged.keys.map((k) => k.code).join(' ')}`);
  }
  if (sent.length !== codes.length) throw new Error(`${sent.length} send times for ${codes.length} presses`);
  const wrong = logged.keys.findIndex((k, i) => k.code !== codes[i]);
  if (wrong >= 0) throw new Error(`press ${wrong}: the guest saw key code ${logged.keys[wrong]!.code}, ${codes[wrong]} was sent`);
  const a = before.clock;
  const b = after.clock;
  const offsetAt = (t: number): number => a.offsetMs + ((b.offsetMs - a.offsetMs) * (t - mid(a))) / (mid(b) - mid(a));
  const latencies = logged.keys.map((k, i) => k.us / 1000 - offsetAt(sent[i]!) - sent[i]!);
  return { latencies, before: a, after: b, runtimeSkewMs: Math.max(before.skewMs, after.skewMs) };
}

/**
 * Clears the shell line the letters went to (Ctrl+U) over a fresh input connection, so the tty1 prompt is left as it
 * was. The last release is awaited: the runtime drops what a closed connection still had queued, and a lost release
 * leaves the key held in the guest (its next press of that key would not be a press).
 */
async function clearGuestLine(socketPath: string): Promise<void> {
  const input = inputClient(unixUrl(socketPath, '/v1/input'));
  await input.reply((m) => m.type === 'hello');
  input.send({ type: 'claim' });
  await input.reply((m) => m.type === 'claimed');
  const keys = [['ControlLeft', true], ['KeyU', true], ['KeyU', false], ['ControlLeft', false]] as const;
  keys.forEach(([code, down], id) => input.send({ type: 'key', id, surface: 'linux', code, down }));
  await input.reply((m) => m.type === 'delivered' && m.id === keys.length - 1);
  input.ws.close();
  await input.closed;
}

/** What the page records (its init script runs before the page's own code, so it sees the page's input socket). */
interface PageRecord {
  /** performance.timeOrigin + event.timeStamp of each letter keydown, as the first capturing listener sees it. */
  keyTimes: number[];
  /** Key-down messages the page sent on its input socket, and dropped/error replies it got: to tell where a lost press went. */
  keyDownsSent: number;
  problems: string[];
}

/**
 * The same run, typed into the compositor page in Chromium: a click on the linux window takes input focus, then each
 * letter is a real keydown whose page time (performance.timeOrigin + event.timeStamp) is recorded by a capturing
 * listener before the page's own handler sends it on. Fails (the figure is then "not measured") without Chromium or dist/web.
 */
async function pageKeysToGuest(runtime: RuntimeProcess, dataDir: string, api: GuestApi): Promise<{ run: GuestKeyRun; skewMs: number }> {
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}`);
  if (!existsSync(WEB_INDEX)) throw new Error('no dist/web; ./rayos setup builds it');
  const listening = await runtime.waitFor(/^RAYOS_API:LISTENING_TCP:/, 10_000);
  const base = `http://127.0.0.1:${listening.split(':').at(-1)}`;
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  const browser = await launchChromium();
  // Runs in the page (this project has no DOM types, hence the shapes).
  type PageGlobal = {
    addEventListener(type: string, listener: (e: { code: string; timeStamp: number }) => void, capture: boolean): void;
    WebSocket: { prototype: { send(data: unknown): void; addEventListener(type: string, listener: (e: { data: unknown }) => void): void } };
    __rayos: PageRecord;
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(() => {
      const g = globalThis as unknown as PageGlobal;
      const record: PageRecord = { keyTimes: [], keyDownsSent: 0, problems: [] };
      g.__rayos = record;
      g.addEventListener('keydown', (e) => void (e.code.startsWith('Key') && record.keyTimes.push(performance.timeOrigin + e.timeStamp)), true);
      const send = g.WebSocket.prototype.send;
      g.WebSocket.prototype.send = function (this: PageGlobal['WebSocket']['prototype'], data: unknown) {
        if (typeof data === 'string' && data.includes('"type":"key"') && data.includes('"down":true')) {
          record.keyDownsSent++;
          if (record.keyDownsSent === 1) this.addEventListener('message', (e) => void (typeof e.data === 'string' && /"type":"(dropped|error)"/.test(e.data) && record.problems.push(e.data)));
        }
        send.call(this, data);
      };
    });
    await page.goto(`${base}/#token=${token}`);
    const body = '.surface-window[data-vm="linux"] .window-body';
    await page.waitForSelector(body, { timeout: 30_000 });
    await page.click(body);
    await page.waitForSelector('body[data-input="held"]', { timeout: 30_000 });
    const pageRecord = () => page.evaluate(() => (globalThis as unknown as PageGlobal).__rayos);
    const sentBefore = (await pageRecord()).keyDownsSent;
    const timesBefore = (await pageRecord()).keyTimes.length;
    // The page's reading of the host clock against this process's, like the runtime's.
    const benchBeforeMs = hostNowMs();
    const pageNowMs = await page.evaluate(() => performance.timeOrigin + performance.now());
    const benchAfterMs = hostNowMs();
    const skewMs = Math.max(0, benchBeforeMs - pageNowMs, pageNowMs - benchAfterMs);
    const from = runtime.lines.length;
    const run = await keysToGuest(api, (letter) => page.keyboard.press(letter), async () => (await pageRecord()).keyTimes.slice(timesBefore)).catch(async (error: Error) => {
      const record = await pageRecord();
      const dropped = runtime.lines.slice(from).filter((line) => line.startsWith('RAYOS_INPUT:DROPPED'));
      throw new Error(
        `${error.message}; the page saw ${record.keyTimes.length - timesBefore} letter keydowns and sent ${record.keyDownsSent - sentBefore} key downs` +
          `${record.problems.length === 0 ? '' : `, replies: ${record.problems.join(' ')}`}${dropped.length === 0 ? '' : `; runtime: ${dropped.join(', ')}`}`,
      );
    });
    return { run, skewMs };
  } finally {
    await browser.close();
  }
}

/** Polls the serial log from byte `from` until a line starts with `prefix` (setup, not measurement: a cheap 20 ms poll). */
async function waitForSerialLine(path: string, from: number, prefix: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const handle = await open(path, 'r');
  try {
    let text = '';
    let at = from;
    while (Date.now() < deadline) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
      at += bytesRead;
      text += chunk.toString('utf8', 0, bytesRead);
      if (text.split(/\r?\n/).some((line) => line.startsWith(prefix))) return;
      if (bytesRead === 0) await sleep(20);
    }
  } finally {
    await handle.close();
  }
  throw new Error(`no ${prefix} in ${path} within ${timeoutMs} ms`);
}

await main();
