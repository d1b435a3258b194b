// Owns what every command shares: the data directory, the client, printing results and errors, and error → exit code.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { clientForDataDir, type RayosClient } from '../client/api.js';
import { defaultDataDir } from '../contracts/data-dir.js';
import type { RayosError } from '../contracts/errors.js';
import { EXIT, type ExitCode } from '../contracts/exit-codes.js';
import { formatErrorJson, formatErrorLine } from './format.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

export interface CommandContext {
  readonly dataDir: string;
  readonly json: boolean;
  readonly output: Output;
  /** One client per command, made on first use. */
  client(): RayosClient;
  /** Prints the error (and its JSON form under --json) and returns the exit code it means. */
  fail(error: RayosError): ExitCode;
  close(): void;
}

export function resolveDataDir(untrustedData: string | undefined): string {
  return resolve(untrustedData ?? defaultDataDir({ env: process.env, home: homedir(), uid: process.getuid?.() ?? 1000 }));
}

export function exitCodeOf(error: RayosError): ExitCode {
  if (error.code === 'RAYOS_CLI_NOT_RUNNING') return EXIT.NOT_RUNNING;
  if (error.code === 'RAYOS_CLI_USAGE') return EXIT.USAGE;
  if (error.code === 'RAYOS_RUNTIME_LOCKED') return EXIT.LOCKED;
  if (error.code.startsWith('RAYOS_CONFIG_')) return EXIT.CONFIG;
  return EXIT.FAILURE;
}

export function createContext(command: Command, output: Output = processOutput): CommandContext {
  const options = command.optsWithGlobals<{ data?: string; json?: boolean }>();
  const dataDir = resolveDataDir(options.data);
  const json = options.json === true;
  let client: RayosClient | undefined;
  return {
    dataDir,
    json,
    output,
    client: () => (client ??= clientForDataDir(dataDir)),
    fail(error) {
      output.err(formatErrorLine(error));
      if (json) output.out(formatErrorJson(error));
      return exitCodeOf(error);
    },
    close: () => client?.close(),
  };
}
