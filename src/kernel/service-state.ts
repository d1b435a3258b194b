// Owns the pure lifecycle state machine of one service inside the host.
//
//   registered ──start──▶ starting ──ready──▶ running ──stop──▶ stopping ──stopped──▶ stopped
//                            │                                     │
//                            └──fail──▶ failed ◀──────fail─────────┘
//   failed ──stop──▶ stopping   (a failed start is still stopped, to release what it took)
//   stopped is final; a stop of a registered or stopped service is a no-op.
import { err, ok, type Result } from '../base/result.js';
import type { ServiceState } from '../contracts/api-types.js';

export type ServiceTransition = 'start' | 'ready' | 'fail' | 'stop' | 'stopped';

const TABLE: Record<ServiceState, Partial<Record<ServiceTransition, ServiceState>>> = {
  registered: { start: 'starting', stop: 'stopped' },
  starting: { ready: 'running', fail: 'failed' },
  running: { stop: 'stopping', fail: 'failed' },
  stopping: { stopped: 'stopped', fail: 'failed' },
  stopped: { stop: 'stopped' },
  failed: { stop: 'stopping' },
};

export function nextServiceState(state: ServiceState, transition: ServiceTransition): Result<ServiceState, string> {
  const next = TABLE[state][transition];
  return next === undefined ? err(`a service that is ${state} cannot ${transition}`) : ok(next);
}
