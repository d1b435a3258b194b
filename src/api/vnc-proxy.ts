// Owns the frames endpoint: relays a presented surface's unix VNC socket (RFB) to a WebSocket client, byte for byte, with backpressure.
import { createConnection } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import { z } from 'zod';
import { COMPOSITOR_PATHS, VNC_CLOSE } from '../contracts/compositor-wire.js';
import type { RayosError } from '../contracts/errors.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { DisplayControl } from '../services/display/api.js';

/** Above this much unsent data the relay stops reading QEMU (RFB is client-pulled, so QEMU simply waits). */
const PAUSE_BUFFERED_BYTES = 1024 * 1024;
const RESUME_BUFFERED_BYTES = 256 * 1024;
/** A client this far behind is cut off, as on the event streams. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const VncParams = z.strictObject({ vm: z.string().max(256) });
const VncQuery = z.strictObject({ token: z.string().optional() });

/** A WebSocket close reason is at most 123 bytes: "CODE: message", cut to fit. */
export function closeReason(error: Pick<RayosError, 'code' | 'message'>): string {
  let reason = `${error.code}: ${error.message}`;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

const closeCodeOf = (error: RayosError): number => {
  switch (error.code) {
    case 'RAYOS_DISPLAY_NOT_PRESENTED':
      return VNC_CLOSE.hidden;
    case 'RAYOS_DISPLAY_SURFACE_UNAVAILABLE':
    case 'RAYOS_QMP_CLOSED':
      return VNC_CLOSE.unavailable;
    default:
      return VNC_CLOSE.notFound;
  }
};

export function registerVncProxy(app: FastifyInstance, deps: { bus: EventBus; display: DisplayControl }): void {
  app.get(COMPOSITOR_PATHS.vnc, { websocket: true }, (socket, request) => {
    const params = VncParams.safeParse(request.params);
    const query = VncQuery.safeParse(request.query);
    if (!params.success || !query.success) return socket.close(VNC_CLOSE.badRequest, 'RAYOS_API_BAD_REQUEST: the only query parameter is token');
    const frames = deps.display.frames(params.data.vm);
    if (!frames.ok) return socket.close(closeCodeOf(frames.error), closeReason(frames.error));
    const { vm, vncSocket, relayed } = frames.value;

    const vnc = createConnection({ path: vncSocket });
    let open = true;
    const end = (code: number, reason: string): void => {
      if (!open) return;
      open = false;
      unsubscribe();
      vnc.destroy();
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    };
    // The surface stops being shown: the stream ends with why. Bus delivery is synchronous, so no frame follows a hide.
    const unsubscribe = deps.bus.subscribe((event) => {
      const data = event.data as { vm?: string };
      if (data.vm !== vm) return;
      if (event.type === 'surface.hidden') end(VNC_CLOSE.hidden, closeReason({ code: 'RAYOS_DISPLAY_NOT_PRESENTED', message: `${vm} was hidden` }));
      else if (event.type === 'surface.unavailable') end(VNC_CLOSE.unavailable, closeReason({ code: 'RAYOS_DISPLAY_SURFACE_UNAVAILABLE', message: `${vm} stopped` }));
    });

    const afterSend = (): void => {
      if (vnc.isPaused() && socket.bufferedAmount < RESUME_BUFFERED_BYTES) vnc.resume();
    };
    vnc.on('data', (chunk: Buffer) => {
      if (!open || socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return end(VNC_CLOSE.slowClient, 'RAYOS_API_RATE_LIMITED: the client reads too slowly');
      socket.send(chunk, { binary: true }, afterSend);
      relayed();
      if (socket.bufferedAmount > PAUSE_BUFFERED_BYTES) vnc.pause();
    });
    vnc.on('error', (error: NodeJS.ErrnoException) => end(VNC_CLOSE.vncClosed, closeReason({ code: 'RAYOS_DISPLAY_VNC_UNREACHABLE', message: `${vm}: ${error.code ?? error.message}` })));
    vnc.on('close', () => end(VNC_CLOSE.vncClosed, closeReason({ code: 'RAYOS_DISPLAY_VNC_UNREACHABLE', message: `QEMU closed the VNC stream of ${vm}` })));
    vnc.on('drain', () => socket.resume());

    socket.on('message', (data: RawData) => {
      if (!open) return;
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!vnc.write(bytes)) socket.pause();
    });
    socket.on('close', () => end(VNC_CLOSE.goingAway, 'closed'));
    socket.on('error', () => end(VNC_CLOSE.goingAway, 'closed'));
  });
}
