// Owns registering the compositor's WebSocket endpoints (frames and input) on one API server.
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../contracts/policy.js';
import type { EventBus } from '../kernel/event-bus.js';
import type { DisplayControl } from '../services/display/api.js';
import type { InputBroker } from '../services/input/api.js';
import { registerInputChannel } from './input-channel.js';
import { registerVncProxy } from './vnc-proxy.js';

/** Authentication is the server's (TCP: bearer header or ?token=); the principal is the transport's. */
export function registerCompositorStreams(app: FastifyInstance, deps: { bus: EventBus; display: DisplayControl; input: InputBroker }, principal: Principal): void {
  registerVncProxy(app, deps);
  registerInputChannel(app, deps, principal);
}
