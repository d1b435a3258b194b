// Owns one VM's current lifecycle state: commands are checked by the pure machine (vm-state.ts), facts are recorded, changes reported.
import { err, ok, type Result } from '../../base/result.js';
import type { RayosError } from '../../contracts/errors.js';
import { transition, type VmCommandType, type VmFact, type VmLifecycleState, type VmState } from './vm-state.js';

export type LifecycleListener = (from: VmLifecycleState, to: VmLifecycleState, reason: string | null) => void;

export class VmLifecycle {
  private current: VmState;

  constructor(
    private readonly vmName: string,
    initial: VmState,
    private readonly onChange: LifecycleListener,
  ) {
    this.current = initial;
  }

  get state(): VmLifecycleState {
    return this.current.state;
  }

  get value(): VmState {
    return this.current;
  }

  /** Whether the command is legal now, without acting on it. */
  check(command: VmCommandType): Result<VmState, RayosError> {
    return transition(this.current, { type: command }, this.vmName);
  }

  /** A command the supervisor is about to carry out: legal → the state moves (starting, stopping…). */
  command(command: VmCommandType): Result<void, RayosError> {
    const next = transition(this.current, { type: command }, this.vmName);
    if (!next.ok) return err(next.error);
    this.set(next.value);
    return ok(undefined);
  }

  /** Something the supervisor observed. A fact that does not fit the state changes nothing (the state already says more). */
  fact(fact: VmFact): void {
    const next = transition(this.current, fact, this.vmName);
    if (next.ok) this.set(next.value);
  }

  /** Sets the state without a transition: recovery at runtime start and reset, where RayOS re-establishes what is true. */
  establish(state: VmState): void {
    this.set(state);
  }

  private set(next: VmState): void {
    const from = this.current.state;
    this.current = next;
    if (from !== next.state || next.state === 'failed') this.onChange(from, next.state, next.state === 'failed' ? next.reason : null);
  }
}
