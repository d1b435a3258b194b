// Owns the bootmgr tests' fixtures: a temp ESP with loader/entries and a temp efivars directory in efivarfs's byte format.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';

export interface Fixture {
  readonly root: string;
  readonly esp: string;
  readonly efivars: string;
  readonly entriesDir: string;
  /** Writes a loader string variable as systemd-boot does (attributes 0x06: bootservice|runtime, volatile). */
  setVar(name: string, value: string, attributes?: number): void;
  /** The raw bytes of a variable file, or null when absent. */
  rawVar(name: string): Buffer | null;
  entries(): string[];
  cleanup(): void;
}

export function efivarBytes(value: string, attributes: number): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(attributes, 0);
  return Buffer.concat([head, Buffer.from(`${value}\0`, 'utf16le')]);
}

/** An ESP holding `files` in loader/entries (plus a foreign entry RayOS must ignore) and an empty efivars dir. */
export function makeFixture(files: readonly string[]): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'rayos-bootmgr-'));
  const esp = join(root, 'esp');
  const efivars = join(root, 'efivars');
  const entriesDir = join(esp, 'loader', 'entries');
  mkdirSync(entriesDir, { recursive: true });
  mkdirSync(efivars);
  for (const file of [...files, 'debian.conf']) writeFileSync(join(entriesDir, file), `title ${file}\n`);
  const varPath = (name: string) => join(efivars, `${name}-${GUID}`);
  return {
    root,
    esp,
    efivars,
    entriesDir,
    setVar: (name, value, attributes = 0x06) => writeFileSync(varPath(name), efivarBytes(value, attributes)),
    rawVar: (name) => {
      try {
        return readFileSync(varPath(name));
      } catch {
        return null;
      }
    },
    entries: () => readdirSync(entriesDir).sort(),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The state right after systemd-boot booted `rayos-<version>` from a counted file now named `countedName`. */
export function bootedCounted(fixture: Fixture, countedName: string, id: string): void {
  fixture.setVar('LoaderEntrySelected', id);
  fixture.setVar('LoaderBootCountPath', `\\loader\\entries\\${countedName}`);
}

/** Runs body with a fresh fixture of `files`, removed afterwards. */
export function withFixture(files: readonly string[], body: (fixture: Fixture) => Promise<void>): () => Promise<void> {
  return async () => {
    const fixture = makeFixture(files);
    try {
      await body(fixture);
    } finally {
      fixture.cleanup();
    }
  };
}

/** An executable shell script in the fixture (a stand-in for chattr or systemd-bless-boot). */
export function script(fixture: Fixture, name: string, body: string): string {
  const path = join(fixture.root, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
