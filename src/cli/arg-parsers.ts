// Owns checking CLI argument values; a bad one becomes commander's usage error (RAYOS_CLI_USAGE, exit 2).
import { InvalidArgumentError } from 'commander';
import { parseSince } from '../base/duration.js';

/** A whole number in [min, max]. */
export function integerArg(min: number, max: number): (untrustedValue: string) => number {
  return (untrustedValue) => {
    if (!/^\d+$/.test(untrustedValue.trim())) throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    const value = Number(untrustedValue);
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return value;
  };
}

/** "10m" ago or an ISO time → epoch ms, measured from when the command line is read. */
export function sinceArg(untrustedValue: string): number {
  const since = parseSince(untrustedValue, Date.now());
  if (!since.ok) throw new InvalidArgumentError(`${since.error}.`);
  return since.value;
}

/** Repeatable --set key=value; the runtime checks the key and value, this only checks the shape. */
export function collectSet(untrustedValue: string, previous: string[]): string[] {
  if (!/^[A-Za-z][A-Za-z0-9_.]*=/.test(untrustedValue)) throw new InvalidArgumentError('Write it as key=value, e.g. --set api.port=7700.');
  return [...previous, untrustedValue];
}

export function nonEmptyArg(untrustedValue: string): string {
  if (untrustedValue.trim() === '') throw new InvalidArgumentError('It must not be empty.');
  return untrustedValue;
}
