// Tests the compositor page in Chromium (playwright-core) against a runtime with a real guest: panel, windows, intent bar, reload, bad token.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { SurfaceListSchema } from '../../src/contracts/display.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;
const UI_MS = 30_000;
/** Where the page screenshot goes, for a person (or an agent) to look at. */
const SCREENSHOT = '/tmp/rayos-web-ui.png';
const WINDOW_SHOT = '/tmp/rayos-web-ui-window.png';
const LIVE_SHOT = '/tmp/rayos-web-ui-live.png';
const TYPED_SHOT = '/tmp/rayos-web-ui-typed.png';
const STOPPED_SHOT = '/tmp/rayos-web-ui-stopped.png';
const BICAMERAL_SHOT = '/tmp/rayos-web-ui-intents.png';
/** Characters typed with Shift held (US layout), by the key code that carries them. */
const SHIFTED: Record<string, string> = { '>': 'Period', '<': 'Comma', _: 'Minus', '|': 'Backslash', ':': 'Semicolon', '"': 'Quote' };

describe('the web UI', () => {
  const { dir, cleanup } = tempDataDir('rayos-web-');
  const { cli, show } = vmCli(dir);
  let runtime: RuntimeProcess;
  let browser: Browser;
  let base = '';
  let token = '';
  let page: Page;

  const surfaces = async () => {
    const listed = await cli(['surface', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    return SurfaceListSchema.parse(JSON.parse(listed.stdout));
  };
  const linuxCard = '.subsystem[data-vm="linux"]';
  const linuxWindow = '.surface-window[data-vm="linux"]';
  const { exec } = vmCli(dir);
  /** Types into the page key by key, Shift included, as a person would. */
  const typeKeys = async (text: string) => {
    for (const char of text) {
      const shifted = SHIFTED[char];
      await page.keyboard.press(shifted !== undefined ? `Shift+${shifted}` : char === ' ' ? 'Space' : char);
    }
    await page.keyboard.press('Enter');
  };
  const screenText = async () => (await exec('cat', '/dev/vcs1')).stdout;
  /** A live canvas in the linux window with some non-black pixel (the console's text). */
  /** Runs in the page (the test project has no DOM types, hence the shapes). */
  const liveCanvasLit = (selector: string): boolean => {
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const c = (globalThis as unknown as { document: { querySelector(s: string): Canvas | null } }).document.querySelector(selector);
    const d = c && c.width > 0 ? c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data : undefined;
    if (d === undefined) return false;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 60) return true;
    return false;
  };
  const liveCanvas = `${linuxWindow}.live .window-live canvas`;
  /** Says something in the intent bar and waits for RayOS's answer; returns its outcome (done, clarify, out_of_scope…). */
  const intent = async (text: string): Promise<string | null> => {
    const latest = (): string => {
      const first = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('.activity-item');
      return first?.getAttribute('data-intent') ?? '';
    };
    const previous = await page.evaluate(latest);
    await page.fill('#intent-input', text);
    await page.press('#intent-input', 'Enter');
    const changed = (before: string): boolean => {
      const first = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('.activity-item');
      return (first?.getAttribute('data-intent') ?? '') !== before;
    };
    await page.waitForFunction(changed, previous, { timeout: BOOT_MS });
    return page.getAttribute('.activity-item >> nth=0', 'data-outcome');
  };

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    const listening = await runtime.waitFor(/^RAYOS_API:LISTENING_TCP:/, 60_000);
    base = `http://127.0.0.1:${listening.split(':').at(-1)}`;
    token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 2 });
  });
  after(async () => {
    await browser?.close();
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('the page shell needs no token; the API still does', async () => {
    const shell = await fetch(`${base}/`);
    assert.equal(shell.status, 200);
    assert.match(shell.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await shell.text(), /<title>RayOS<\/title>/);
    assert.equal((await fetch(`${base}/v1/status`)).status, 401);
    assert.equal((await fetch(`${base}/assets/..%2F..%2Fapi-token`)).status, 401);
  });

  test('the side panel lists linux running, and the token leaves the address bar', async () => {
    await page.goto(`${base}/#token=${token}`);
    await page.waitForSelector(`${linuxCard}[data-state="running"][data-presentation="hidden"]`, { timeout: UI_MS });
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: UI_MS });
    assert.ok(!page.url().includes(token), page.url());
    assert.equal(await page.textContent(`${linuxCard} .subsystem-name`), 'linux');
    await page.waitForSelector(`${linuxCard}.has-picture`, { timeout: UI_MS });
  });

  test('present opens a window titled linux showing the guest console; hide linux closes it, same QEMU', async () => {
    const before = await show();
    await page.click(`${linuxCard} button[data-action="present"]`);
    await page.waitForSelector(`${linuxWindow}.focused.has-picture`, { timeout: UI_MS });
    assert.equal(await page.textContent(`${linuxWindow} .window-title`), 'linux');
    assert.equal((await show()).presentation, 'presented');
    // A frame fetched after presenting; then the picture for a person to check (banner and "/data # " prompt).
    await page.waitForFunction(`document.querySelector('${linuxWindow} .window-frame')?.complete === true`);
    await page.screenshot({ path: SCREENSHOT });
    await page.locator(linuxWindow).screenshot({ path: WINDOW_SHOT });

    assert.equal(await intent('make me a coffee'), 'out_of_scope');
    assert.equal(await intent('hide linux'), 'done');
    await page.waitForSelector(linuxWindow, { state: 'detached', timeout: UI_MS });
    await page.waitForSelector('#intent-reply[data-tone="ok"]', { timeout: UI_MS });
    const hidden = await show();
    assert.equal(hidden.presentation, 'hidden');
    assert.equal(hidden.pid, before.pid);
    assert.equal(hidden.state, 'running');
  });

  test('dragging the title bar moves the surface; a reload restores the windows from the runtime', async () => {
    assert.equal(await intent('show linux desktop'), 'done');
    await page.waitForSelector(`${linuxWindow}.has-picture`, { timeout: UI_MS });
    const start = (await surfaces()).surfaces.find((s) => s.vm === 'linux')!;
    const bar = (await page.locator(`${linuxWindow} .window-title`).boundingBox())!;
    await page.mouse.move(bar.x + 5, bar.y + 5);
    await page.mouse.down();
    await page.mouse.move(bar.x + 85, bar.y + 65, { steps: 5 });
    await page.mouse.up();
    let moved = start;
    // The page posts the move on mouse-up; poll the runtime (each CLI call is a round trip) until it has it.
    for (let i = 0; i < 50 && moved.x === start.x && moved.y === start.y; i++) moved = (await surfaces()).surfaces.find((s) => s.vm === 'linux')!;
    assert.ok(moved.x > start.x && moved.y > start.y, `surface did not move: ${JSON.stringify([start, moved])}`);

    // The corner grip resizes it; the position stays.
    const grip = (await page.locator(`${linuxWindow} .window-resize`).boundingBox())!;
    await page.mouse.move(grip.x + 8, grip.y + 8);
    await page.mouse.down();
    await page.mouse.move(grip.x - 92, grip.y - 52, { steps: 5 });
    await page.mouse.up();
    let resized = moved;
    for (let i = 0; i < 50 && resized.width === moved.width; i++) resized = (await surfaces()).surfaces.find((s) => s.vm === 'linux')!;
    assert.ok(resized.width < moved.width && resized.height < moved.height, `surface was not resized: ${JSON.stringify([moved, resized])}`);
    assert.deepEqual([resized.x, resized.y], [moved.x, moved.y]);

    await page.reload();
    await page.waitForSelector(`${linuxWindow}.has-picture`, { timeout: UI_MS });
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: UI_MS });
    assert.equal(await page.textContent(`${linuxWindow} .window-title`), 'linux');
  });

  test('the window shows the live VNC stream; typed keys reach the guest only while presented', async () => {
    const before = await show();
    await page.waitForFunction(liveCanvasLit, liveCanvas, { timeout: UI_MS, polling: 250 });
    await page.screenshot({ path: LIVE_SHOT });

    await page.click(`${linuxWindow} .window-body`);
    await page.waitForSelector('body[data-input="held"]', { timeout: UI_MS });
    await typeKeys('echo rayos-ok > /data/typed');
    let typed = '';
    for (let i = 0; i < 60 && typed !== 'rayos-ok\n'; i++) {
      typed = (await exec('cat', '/data/typed')).stdout;
      if (typed !== 'rayos-ok\n') await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(typed, 'rayos-ok\n');
    await page.screenshot({ path: TYPED_SHOT });

    assert.equal(await intent('hide linux'), 'done');
    await page.waitForSelector(linuxWindow, { state: 'detached', timeout: UI_MS });
    const screen = await screenText();
    await page.click('#desktop');
    await typeKeys('echo hidden > /data/hidden');
    await new Promise((r) => setTimeout(r, 1500));
    assert.notEqual((await exec('ls', '/data/hidden')).exitCode, 0, 'keys typed while hidden reached the guest');
    assert.equal(await screenText(), screen);

    assert.equal(await intent('show linux desktop'), 'done');
    await page.waitForFunction(liveCanvasLit, liveCanvas, { timeout: UI_MS, polling: 250 });
    const after = await show();
    assert.equal(after.pid, before.pid);
    assert.match(await screenText(), /echo rayos-ok > \/data\/typed/);
  });

  test('a second tab takes input focus: the first one says so, and its keys go nowhere', async () => {
    await page.click(`${linuxWindow} .window-body`);
    await page.waitForSelector('body[data-input="held"]', { timeout: UI_MS });
    const second = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await second.goto(`${base}/#token=${token}`);
      await second.waitForSelector(`${linuxWindow}`, { timeout: UI_MS });
      await second.click(`${linuxWindow} .window-body`);
      await second.waitForSelector('body[data-input="held"]', { timeout: UI_MS });
      await page.waitForSelector('body[data-input="lost"]', { timeout: UI_MS });
      assert.equal(await page.textContent(`${linuxWindow} .window-note`), 'input in another tab');
      const screen = await screenText();
      await typeKeys('echo first-tab > /data/first');
      // The second tab holds focus, so the first tab's keys are refused by the runtime: nothing changes in the guest.
      await page.waitForFunction(
        () => ((globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('input-status')?.textContent ?? '') === 'Input dropped: not-focus-holder',
        undefined,
        { timeout: UI_MS },
      );
      assert.notEqual((await exec('ls', '/data/first')).exitCode, 0);
      assert.equal(await screenText(), screen);
    } finally {
      await second.close();
    }
  });

  test('hover over the linux window for a second, "open this" presents and focuses it; "pause it" pauses it; "resume it" resumes it', async () => {
    if ((await show()).presentation !== 'presented') assert.equal(await intent('show linux desktop'), 'done');
    await page.waitForSelector(`${linuxWindow}.has-picture`, { timeout: UI_MS });
    await page.waitForSelector('body[data-attention="pointer"]', { timeout: UI_MS });
    await page.click('#attention-overlay');
    // A click on the empty desktop takes focus from the window, so "open this" has something to do.
    const empty = (await page.locator('#desktop').boundingBox())!;
    await page.mouse.click(empty.x + empty.width - 10, empty.y + empty.height - 10);
    await page.waitForSelector(`${linuxWindow}:not(.focused)`, { timeout: UI_MS });
    assert.equal((await surfaces()).focused, null);
    const box = (await page.locator(`${linuxWindow} .window-body`).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.waitForTimeout(1000); // the person rests their eyes (here: the pointer) on the window for a second
    // The overlay shows the runtime's live field: the window under the pointer has a share of attention.
    const shown = await page.waitForSelector(`body.attention-overlay ${linuxWindow}[data-attention]:not([data-attention="0%"])`, { timeout: UI_MS });
    assert.match((await shown.getAttribute('data-attention')) ?? '', /^\d+%$/);
    assert.equal(await intent('open this'), 'done');
    const opened = await page.getAttribute('.activity-item >> nth=0', 'data-intent');
    const explained = await cli(['explain', opened!, '--json']);
    assert.equal(explained.code, 0, explained.stderr);
    const why = JSON.parse(explained.stdout) as { action: string; target: string };
    assert.ok(why.action === 'open' || why.action === 'present', `read as ${why.action}`);
    assert.equal(why.target, 'linux');
    const linux = (await surfaces()).surfaces.find((s) => s.vm === 'linux');
    assert.deepEqual([linux?.presented, linux?.focused], [true, true]);

    assert.equal(await intent('pause it'), 'done');
    assert.equal((await show()).state, 'paused');
    await page.waitForSelector(`${linuxCard}[data-state="paused"]`, { timeout: UI_MS });
    assert.equal(await intent('resume it'), 'done');
    assert.equal((await show()).state, 'running');
    await page.screenshot({ path: BICAMERAL_SHOT });
  });

  test('the VM stopped under its open window: the window stays and says so, and comes back live when the VM runs', async () => {
    await page.waitForFunction(liveCanvasLit, liveCanvas, { timeout: UI_MS, polling: 250 });
    const stopped = await cli(['vm', 'stop', 'linux']);
    assert.equal(stopped.code, 0, stopped.stderr);
    await runtime.waitFor('RAYOS_PRESENTATION:SURFACE_UNAVAILABLE:linux', UI_MS);
    // The page follows the VM through stopping to stopped.
    const status = await page.waitForSelector(`${linuxWindow}.stopped .window-status:not([hidden]):has-text("linux is stopped")`, { timeout: UI_MS });
    assert.match((await status.textContent()) ?? '', /^linux is stopped — this window comes back when it runs$/);
    assert.equal((await page.$$(linuxWindow)).length, 1, 'the window stays open while its VM is stopped');
    assert.equal((await surfaces()).surfaces.find((s) => s.vm === 'linux')?.presented, true);
    await page.screenshot({ path: STOPPED_SHOT });

    // The panel offers Start for a stopped VM.
    const fromLine = runtime.lines.length;
    await page.click(`${linuxCard} button[data-action="start"]:not([disabled])`, { timeout: UI_MS });
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, fromLine);
    await page.waitForSelector(`${linuxWindow}:not(.stopped).live`, { timeout: UI_MS });
    await page.waitForFunction(liveCanvasLit, liveCanvas, { timeout: UI_MS, polling: 250 });
    const linux = (await surfaces()).surfaces.find((s) => s.vm === 'linux');
    assert.deepEqual([linux?.presented, linux?.available, linux?.focused], [true, true, true]);
  });

  test('a denied action shows the policy error with its RAYOS_* code in the page', async () => {
    const file = join(dir, 'no-page-present.cedar');
    writeFileSync(file, '@id("no-page-present")\n@reason("Test: API clients may not present surfaces.")\nforbid (principal is ApiClient, action == Action::"surface.present", resource);\n');
    const applied = await cli(['policy', 'apply', file]);
    assert.equal(applied.code, 0, applied.stderr);
    try {
      if ((await show()).presentation === 'presented') assert.equal(await intent('hide linux'), 'done');
      await page.click(`${linuxCard} button[data-action="present"]:not([disabled])`, { timeout: UI_MS });
      const toast = await page.waitForSelector('.toast[data-code="RAYOS_POLICY_DENIED"]', { timeout: UI_MS });
      assert.match((await toast.textContent()) ?? '', /API clients may not present surfaces/);
      assert.equal((await show()).presentation, 'hidden');
    } finally {
      assert.equal((await cli(['policy', 'remove', 'no-page-present'])).code, 0);
    }
  });

  test('a bad token shows "not authorized" and the error code in the page', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`${base}/#token=${'0'.repeat(64)}`);
      await other.waitForSelector('#connection[data-state="unauthorized"]', { timeout: UI_MS });
      await other.waitForSelector('.toast[data-code="RAYOS_API_UNAUTHORIZED"]', { timeout: UI_MS });
    } finally {
      await other.close();
    }
  });
});
