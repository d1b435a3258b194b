// Owns the client's compositor and input calls: surfaces, present/hide/focus/move, screenshots (PNG bytes) and input batches.
import { err, ok } from '../base/result.js';
import { API_ROUTES } from '../contracts/api-routes.js';
import type { InputEventInput, Layout, SurfaceInputResponse, SurfaceList, SurfaceView } from '../contracts/display.js';
import type { HttpTransport } from './http-transport.js';
import { protocolError, readReply } from './reply.js';
import type { Call, ClientResult } from './rayos-client.js';

export interface SurfaceApi {
  list(): ClientResult<SurfaceList>;
  present(vm: string, options?: { layout?: Layout }): ClientResult<SurfaceView>;
  hide(vm: string): ClientResult<SurfaceView>;
  focus(vm: string): ClientResult<SurfaceView>;
  /** No surface keeps focus. */
  blur(): ClientResult<SurfaceList>;
  move(vm: string, to: { x: number; y: number; width?: number; height?: number }): ClientResult<SurfaceView>;
  /** The VM screen as PNG bytes (checked to start with the PNG signature). */
  screenshot(vm: string): ClientResult<Uint8Array>;
  /** Key, pointer, text, key-combination and click events; dropped ones are reported, not errors. */
  input(vm: string, events: InputEventInput[]): ClientResult<SurfaceInputResponse>;
  typeText(vm: string, text: string): ClientResult<SurfaceInputResponse>;
  pressKeys(vm: string, keys: string[]): ClientResult<SurfaceInputResponse>;
  click(vm: string, x: number, y: number, button?: 'left' | 'right' | 'middle'): ClientResult<SurfaceInputResponse>;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SCREENSHOT_TIMEOUT_MS = 30_000;
/** Typing is one QMP call per character; a long text under TCG takes a while. */
const INPUT_TIMEOUT_MS = 120_000;

export function surfaceApi(call: Call, transport: HttpTransport, timeoutMs: number): SurfaceApi {
  const on = (vm: string) => ({ params: { vm } });
  const input = (vm: string, events: InputEventInput[]) => call('surfaceInput', API_ROUTES.surfaceInput.response, { ...on(vm), body: { events }, timeoutMs: Math.max(timeoutMs, INPUT_TIMEOUT_MS) });
  return {
    list: () => call('surfaceList', API_ROUTES.surfaceList.response),
    present: (vm, options = {}) => call('surfacePresent', API_ROUTES.surfacePresent.response, { ...on(vm), body: options }),
    hide: (vm) => call('surfaceHide', API_ROUTES.surfaceHide.response, { ...on(vm), body: {} }),
    focus: (vm) => call('surfaceFocus', API_ROUTES.surfaceFocus.response, { ...on(vm), body: {} }),
    blur: () => call('surfaceBlur', API_ROUTES.surfaceBlur.response, { body: {} }),
    move: (vm, to) => call('surfaceMove', API_ROUTES.surfaceMove.response, { ...on(vm), body: to }),
    screenshot: async (vm) => {
      const route = API_ROUTES.surfaceScreenshot;
      const path = route.path.replace(':vm', encodeURIComponent(vm));
      const reply = await transport.exchange({ method: route.method, path, timeoutMs: Math.max(timeoutMs, SCREENSHOT_TIMEOUT_MS), accept: 'image/png' });
      if (!reply.ok) return reply;
      const { status, untrustedBytes, contentType } = reply.value;
      // Errors come as JSON, like every route's.
      if (status < 200 || status > 299 || !contentType.startsWith('image/png')) {
        const read = readReply(API_ROUTES.surfaceList.response, reply.value, `${route.method} ${route.path}`);
        return read.ok ? err(protocolError(`${route.method} ${route.path}`, `a ${contentType} reply instead of image/png`)) : read;
      }
      if (!PNG_SIGNATURE.every((byte, i) => untrustedBytes[i] === byte)) return err(protocolError(`${route.method} ${route.path}`, 'the body is not a PNG'));
      return ok(untrustedBytes);
    },
    input,
    typeText: (vm, text) => input(vm, [{ type: 'text', text }]),
    pressKeys: (vm, keys) => input(vm, [{ type: 'keys', keys }]),
    click: (vm, x, y, button = 'left') => input(vm, [{ type: 'click', x, y, button }]),
  };
}
