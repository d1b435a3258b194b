// Owns the CLI's version: the package version, read once from package.json at the repository root.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const untrusted = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof untrusted.version === 'string' ? untrusted.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const CLI_VERSION = readVersion();
