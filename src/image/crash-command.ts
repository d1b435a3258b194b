// Owns `rayos crash list|show`: the crash artifacts of a data directory (Node diagnostic reports, kernel panics kept by systemd-pstore), as text or JSON.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../contracts/data-dir.js';
import type { RayosError } from '../contracts/errors.js';
import { EXIT } from '../contracts/exit-codes.js';
import { crashDirOf, listCrashArtifacts, showCrashArtifact, type CrashArtifact, type CrashDetail } from './crash-archive.js';

interface CrashOptions {
  data?: string;
  json?: boolean;
}

export function registerCrashCommands(program: Command): void {
  const crash = program.command('crash').description('crash artifacts kept across reboots: Node reports of the runtime and kernel panics (pstore)');
  crash
    .command('list')
    .description('list crash artifacts, newest first')
    .option('--data <dir>', 'data directory (default: $RAYOS_DATA, else /var/lib/rayos for root, else ~/.local/share/rayos)')
    .option('--json', 'print {crashDir, artifacts, warnings} as JSON')
    .action((options: CrashOptions) => {
      process.exitCode = list(options);
    });
  crash
    .command('show')
    .description('print one crash artifact whole: the dmesg text of a panic, or the key parts of a runtime report')
    .argument('<id>', 'an id from "rayos crash list"')
    .option('--data <dir>', 'data directory (default: $RAYOS_DATA, else /var/lib/rayos for root, else ~/.local/share/rayos)')
    .option('--json', 'print the artifact as JSON')
    .action((id: string, options: CrashOptions) => {
      process.exitCode = show(id, options);
    });
}

const crashDir = (options: CrashOptions): string => crashDirOf(resolve(options.data ?? defaultDataDir({ env: process.env, home: homedir(), uid: process.getuid?.() ?? 1000 })));

function fail(error: RayosError): number {
  process.stderr.write(`${error.code}: ${error.message}\n`);
  return EXIT.FAILURE;
}

function list(options: CrashOptions): number {
  const listing = listCrashArtifacts(crashDir(options));
  if (!listing.ok) return fail(listing.error);
  const { artifacts, warnings } = listing.value;
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(listing.value)}\n`);
    return EXIT.OK;
  }
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  if (artifacts.length === 0) {
    process.stdout.write(`No crash artifacts in ${listing.value.crashDir}.\n`);
    return EXIT.OK;
  }
  process.stdout.write(table(artifacts));
  return EXIT.OK;
}

function show(id: string, options: CrashOptions): number {
  const detail = showCrashArtifact(crashDir(options), id);
  if (!detail.ok) return fail(detail.error);
  process.stdout.write(options.json === true ? `${JSON.stringify(detail.value)}\n` : describe(detail.value));
  return EXIT.OK;
}

function table(artifacts: readonly CrashArtifact[]): string {
  const idWidth = Math.max(2, ...artifacts.map((a) => a.id.length));
  const row = (id: string, kind: string, time: string, summary: string) => `${id.padEnd(idWidth)}  ${kind.padEnd(13)}  ${time.padEnd(24)}  ${summary}`;
  return [row('ID', 'KIND', 'TIME', 'SUMMARY'), ...artifacts.map((a) => row(a.id, a.kind, a.time, a.summary))].map((l) => `${terminalSafe(l)}\n`).join('');
}

function describe(detail: CrashDetail): string {
  const lines = [`id: ${detail.id}`, `kind: ${detail.kind}`, `time: ${detail.time}`, `summary: ${detail.summary}`, ...detail.paths.map((p) => `path: ${p}`)];
  const { report } = detail;
  if (report !== undefined) {
    lines.push(
      `event: ${report.event} (trigger ${report.trigger})`,
      `pid: ${report.pid ?? 'unknown'}, node ${report.nodeVersion ?? 'unknown'}, cwd ${report.cwd ?? 'unknown'}`,
      `command line: ${report.commandLine.join(' ')}`,
      `heap: used ${report.heap.usedBytes ?? '?'} of ${report.heap.totalBytes ?? '?'} bytes (limit ${report.heap.limitBytes ?? '?'})`,
      '',
      report.message,
      ...report.javascriptStack.map((frame) => `    ${frame}`),
      '',
      'native stack:',
      ...report.nativeStack.map((frame) => `    ${frame}`),
    );
  }
  if (detail.dmesg !== undefined) lines.push('', detail.dmesg.trimEnd());
  return `${terminalSafe(lines.join('\n'))}\n`;
}

/** Files are untrusted: no escape sequences reach the terminal (newlines and tabs stay). */
function terminalSafe(untrusted: string): string {
  return untrusted.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g, '?');
}
