// Owns the policy folder on disk: file names, reading every *.cedar file, and durable writes and removals.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { fsyncDirectory } from '../../platform/fs/atomic-write.js';
import { MAX_POLICY_FILE_BYTES, type PolicySource } from './policy-compiler.js';

const FILE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const POLICY_SUFFIX = '.cedar';

/** `custom` or `custom.cedar` → `custom.cedar`; anything else is RAYOS_POLICY_BAD_FILE_NAME. */
export function checkPolicyFileName(untrustedName: unknown): Result<string, RayosError> {
  const name = typeof untrustedName === 'string' && untrustedName.endsWith(POLICY_SUFFIX) ? untrustedName.slice(0, -POLICY_SUFFIX.length) : untrustedName;
  if (typeof name === 'string' && FILE_NAME.test(name)) return ok(`${name}${POLICY_SUFFIX}`);
  const shown = typeof untrustedName === 'string' ? JSON.stringify(untrustedName.slice(0, 64)) : typeof untrustedName;
  return err(rayosError('RAYOS_POLICY_BAD_FILE_NAME', `${shown} is not a policy file name: use 1–64 of a-z, 0-9 and "-", starting with a letter or digit, optionally ending in ".cedar".`));
}

/** A name for markers and events that cannot break a marker line, whatever was sent. */
export function markerSafeName(untrustedName: unknown): string {
  const text = typeof untrustedName === 'string' ? untrustedName : '';
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 70) || '_';
}

/** Names of the policy files in the folder, sorted; hidden files (editor and temp files) are not policy. */
export function listPolicyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => entry.endsWith(POLICY_SUFFIX) && !entry.startsWith('.'))
    .sort();
}

/** Every policy file of the folder, each with a name RayOS accepts and a size within the limit. */
export function readPolicyDir(dir: string): Result<PolicySource[], RayosError> {
  const sources: PolicySource[] = [];
  let names: string[];
  try {
    names = listPolicyFiles(dir);
  } catch (error) {
    return err(rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot read the policy folder ${dir}: ${(error as Error).message}.`));
  }
  for (const entry of names) {
    const name = checkPolicyFileName(entry);
    if (!name.ok) return err(rayosError('RAYOS_POLICY_BAD_FILE_NAME', `${join(dir, entry)}: ${name.error.message} Rename or remove it.`, { file: entry }));
    const path = join(dir, entry);
    try {
      if (statSync(path).size > MAX_POLICY_FILE_BYTES) return err(rayosError('RAYOS_POLICY_INVALID', `The policy is not valid: ${entry}:1:1: the file is larger than ${MAX_POLICY_FILE_BYTES / 1024} KiB.`, { file: entry, line: 1, column: 1 }));
      sources.push({ name: name.value, text: readFileSync(path, 'utf8') });
    } catch (error) {
      // Removed between the listing and the read (an editor saving): the next change event reloads again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return err(rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot read the policy file ${path}: ${(error as Error).message}.`));
    }
  }
  return ok(sources);
}

/** Removes a policy file so that the removal survives a crash. */
export function removePolicyFile(dir: string, name: string): void {
  rmSync(join(dir, name), { force: true });
  fsyncDirectory(dir);
}
