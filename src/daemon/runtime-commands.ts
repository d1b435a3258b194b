// The runtime process's commands: `run` boots every service and stays in the foreground; `doctor` and `windows-check` check the host once; `eval intents` scores intent scenarios offline.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { DATA_FILES } from '../contracts/api-routes.js';
import { defaultDataDir } from '../contracts/data-dir.js';
import { EXIT } from '../contracts/exit-codes.js';
import type { RayosConfig } from '../contracts/config.js';
import { loadConfig } from '../kernel/config-loader.js';
import type { MarkerWriter } from '../kernel/marker-writer.js';
import { createSdNotifier, type SdNotifier } from '../platform/systemd/sd-notify.js';
import { evaluateIntents } from '../services/conductor/api.js';
import { runDoctor } from '../services/observability/api.js';
import { dataLayout } from '../services/storage/api.js';
import { runWindowsCheck } from '../services/vm/api.js';
import { composeRuntime } from './compose-runtime.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const dataDirDefault = () => defaultDataDir({ env: process.env, home: homedir(), uid: process.getuid?.() ?? 1000 });

async function run(options: { data?: string; port?: string; set: string[] }): Promise<number> {
  const bootBegan = performance.now();
  const dataDir = resolve(options.data ?? dataDirDefault());
  const flags = options.port === undefined ? {} : { api: { port: Number(options.port) } };
  const loaded = loadConfig({ dataDir, env: process.env, sets: options.set, flags });
  if (!loaded.ok) {
    process.stderr.write(`${loaded.error.code}: ${loaded.error.message}\n`);
    return EXIT.CONFIG;
  }
  const { fault } = loaded.value.config.diagnostics;
  reportCrashesInto(join(dataDir, 'crash'));
  // Under systemd (rayos.service, Type=notify) NOTIFY_SOCKET is set; elsewhere notifier is null and nothing below changes.
  const notifier = createSdNotifier({ env: process.env });
  let stopRequested: ((reason: string) => void) | null = null;
  const runtime = composeRuntime({ config: loaded.value.config, dataDir, version: VERSION, requestStop: (reason) => stopRequested?.(reason) });
  const { host, bus, markers } = runtime;
  markers.emit('RAYOS_RUNTIME', 'STARTING', VERSION, process.pid);
  markers.emit('RAYOS_RUNTIME', 'DATA_DIR', dataDir);
  bus.publish('runtime.started', { version: VERSION, pid: process.pid });
  // Pinged from the whole life of the process (a slow boot is not a hang); a blocked event loop stops the pings, which is the point.
  const watchdog = startWatchdog(notifier, markers);
  if (fault === 'hang-at-start') hangForever(markers, fault);

  const stopped = new Promise<string>((resolveStop) => {
    stopRequested = resolveStop;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means "now": skip the orderly stop.
    if (++signals > 1) process.exit(130);
    stopRequested?.(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const started = await host.startAll();
  if (!started.ok) {
    markers.emit('RAYOS_BOOT_MARKER', 'FAILED', started.error.code);
    process.stderr.write(`${started.error.code}: ${started.error.message}\n`);
    watchdog.stop();
    return started.error.code === 'RAYOS_RUNTIME_LOCKED' ? EXIT.LOCKED : EXIT.FAILURE;
  }
  runtime.markReady();
  const bootMs = Math.round(performance.now() - bootBegan);
  bus.publish('runtime.ready', { bootMs });
  markers.emit('RAYOS_BOOT_MARKER', 'READY');
  // READY=1 only now: systemd then reaches boot-complete.target and blesses the boot entry. Not awaited: a slow systemd-notify never holds the runtime.
  watchdog.ready();
  const readySent = notifier === null ? null : notifier.ready(`RayOS ${VERSION} ready in ${bootMs} ms`).then((sent) => reportNotify(markers, 'ready', sent));
  if (fault === 'hang-after-ready') {
    await readySent;
    hangForever(markers, fault);
  }
  // The second figure includes loading the program (performance.now() counts from the process's start): on a slow
  // machine that is a good part of the wait.
  process.stderr.write(`RayOS ${VERSION} is ready in ${bootMs} ms (${Math.round(performance.now())} ms since its process started) — data ${dataDir}. Try "./rayos status" in another shell; Ctrl-C stops.\n`);
  const ui = uiUrl(dataDir);
  if (ui !== null) process.stderr.write(`Open the RayOS UI: ${ui}\n`);

  const reason = await stopped;
  runtime.markStopping();
  markers.emit('RAYOS_RUNTIME', 'STOPPING', reason);
  const stoppingSent = notifier?.stopping(`stopping: ${reason}`).then((sent) => reportNotify(markers, 'stopping', sent));
  bus.publish('runtime.stopping', { reason });
  await host.stopAll(reason);
  markers.emit('RAYOS_RUNTIME', 'STOPPED', reason);
  watchdog.stop();
  // Bounded by its deadline; exiting first would kill systemd-notify mid-message.
  await stoppingSent;
  return EXIT.OK;
}

/** Node writes a diagnostic report into <data>/crash on an uncaught exception or a fatal error, always (not only under systemd), so `rayos crash list` finds it. */
function reportCrashesInto(crashDir: string): void {
  process.report.directory = crashDir;
  process.report.reportOnUncaughtException = true;
  process.report.reportOnFatalError = true;
  // No reverse DNS lookups of open sockets while the process is dying (not in @types/node 20 yet).
  (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
}

/** A notify outcome becomes a marker (READY_SENT, or NOTIFY_FAILED naming what) and, on failure, a line on stderr (the system journal under systemd). */
function reportNotify(markers: MarkerWriter, what: 'ready' | 'stopping' | 'watchdog', sent: Awaited<ReturnType<SdNotifier['ready']>>): void {
  if (sent.ok) {
    if (what === 'ready') markers.emit('RAYOS_SYSTEMD', 'READY_SENT');
    return;
  }
  markers.emit('RAYOS_SYSTEMD', 'NOTIFY_FAILED', what);
  process.stderr.write(`${sent.error.code}: ${sent.error.message}\n`);
}

/**
 * WATCHDOG=1 every half WatchdogSec from an unref'd timer; a failure is reported once per run of failures, not every tick.
 * Until READY each ping also extends systemd's start timeout by three intervals, so a slow start lives and a hung one
 * (no more pings) fails within about that long instead of the unit's whole TimeoutStartSec.
 */
function startWatchdog(notifier: SdNotifier | null, markers: MarkerWriter): { stop(): void; ready(): void } {
  const intervalMs = notifier?.watchdogIntervalMs() ?? null;
  if (notifier === null || intervalMs === null) return { stop: () => undefined, ready: () => undefined };
  markers.emit('RAYOS_SYSTEMD', 'WATCHDOG', intervalMs);
  let failing = false;
  let starting = true;
  const ping = () =>
    void notifier.watchdogPing(starting ? intervalMs * 3 : undefined).then((sent) => {
      if (!sent.ok && !failing) reportNotify(markers, 'watchdog', sent);
      failing = !sent.ok;
    });
  ping();
  const timer = setInterval(ping, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), ready: () => (starting = false) };
}

/** diagnostics.fault: the event loop blocks for good (no timers, no signals, no pings), as a wedged runtime would. */
function hangForever(markers: MarkerWriter, fault: Exclude<RayosConfig['diagnostics']['fault'], 'none'>): never {
  markers.emit('RAYOS_DIAGNOSTICS', 'FAULT', fault);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

/** The compositor page's address with the API token in its fragment (never sent to the server; the page moves it to sessionStorage). */
function uiUrl(dataDir: string): string | null {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, DATA_FILES.runtimeInfo), 'utf8')) as { url?: unknown };
    const token = readFileSync(join(dataDir, DATA_FILES.token), 'utf8').trim();
    return typeof info.url === 'string' ? `${info.url}/#token=${token}` : null;
  } catch {
    return null;
  }
}

async function doctor(options: { data?: string; json?: boolean }): Promise<number> {
  const report = await runDoctor({ dataDir: resolve(options.data ?? dataDirDefault()) });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : report.checks.map((c) => `${c.status.toUpperCase().padEnd(8)}${c.title}: ${c.detail}${c.fix ? ` → ${c.fix}` : ''}`).join('\n') + '\n');
  return report.checks.some((c) => c.status === 'missing') ? EXIT.DOCTOR_MISSING : EXIT.OK;
}

/** `windows-check`: Windows 11's needs against the Windows profile and this host; reads the config only for vm.windowsStorage. */
async function windowsCheck(options: { data?: string; json?: boolean; set: string[] }): Promise<number> {
  const dataDir = resolve(options.data ?? dataDirDefault());
  const loaded = loadConfig({ dataDir, env: process.env, sets: options.set });
  if (!loaded.ok) {
    process.stderr.write(`${loaded.error.code}: ${loaded.error.message}\n`);
    return EXIT.CONFIG;
  }
  const report = await runWindowsCheck({ vmConfig: loaded.value.config.vm, dataVmDir: dataLayout(dataDir).vmDir });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : report.checks.map((c) => `${c.status.toUpperCase().padEnd(8)}${c.title}: ${c.detail}${c.fix ? ` → ${c.fix}` : ''}`).join('\n') + '\n');
  return report.checks.some((c) => c.status === 'missing') ? EXIT.DOCTOR_MISSING : EXIT.OK;
}

/** Largest scenario file read (a few hundred thousand scenarios): more is a mistake, not an evaluation. */
const MAX_EVAL_FILE_BYTES = 512 * 1024 * 1024;

/** `eval intents FILE`: runs the intent scenarios offline (no services start) and prints the report JSON. */
function evalIntents(file: string): number {
  const path = resolve(file);
  const unreadable = (why: string) => {
    process.stderr.write(`RAYOS_EVAL_FILE_UNREADABLE: The scenario file ${path} cannot be read (${why}); give the path of a JSON Lines file of scenarios (shared/eval/README.md).\n`);
    return EXIT.FAILURE;
  };
  let untrustedJsonl: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_EVAL_FILE_BYTES) return unreadable(`${size} bytes, over the ${MAX_EVAL_FILE_BYTES}-byte limit`);
    untrustedJsonl = readFileSync(path, 'utf8');
  } catch (error) {
    return unreadable((error as NodeJS.ErrnoException).code ?? String(error));
  }
  const report = evaluateIntents(untrustedJsonl);
  if (!report.ok) {
    process.stderr.write(`${report.error.code}: ${report.error.message}\n`);
    return EXIT.FAILURE;
  }
  process.stdout.write(`${JSON.stringify(report.value, null, 2)}\n`);
  return EXIT.OK;
}

const program = new Command('rayos-runtime')
  .description('The RayOS runtime process (started by `rayos up`).')
  .exitOverride()
  .configureOutput({ outputError: (text) => process.stderr.write(`RAYOS_CLI_USAGE: ${text}`) });
const collect = (value: string, previous: string[]) => [...previous, value];
program
  .command('run')
  .description('boot every service and stay in the foreground')
  .option('--data <dir>', 'data directory')
  .option('--port <port>', 'TCP port of the API on 127.0.0.1 (0 picks a free one)')
  .option('--set <key=value>', 'set a config key (repeatable)', collect, [])
  .action(async (options: { data?: string; port?: string; set: string[] }) => {
    process.exitCode = await run(options);
  });
program
  .command('doctor')
  .description('check host readiness once and print the report')
  .option('--data <dir>', 'data directory')
  .option('--json', 'print the report as JSON')
  .action(async (options: { data?: string; json?: boolean }) => {
    process.exitCode = await doctor(options);
  });

program
  .command('windows-check')
  .description("check Windows 11's needs (TPM 2.0, Secure Boot, memory, CPUs, disk, acceleration) against the Windows profile and this host")
  .option('--data <dir>', 'data directory')
  .option('--json', 'print the report as JSON')
  .option('--set <key=value>', 'set a config key (repeatable)', collect, [])
  .action(async (options: { data?: string; json?: boolean; set: string[] }) => {
    process.exitCode = await windowsCheck(options);
  });

const evalCommand = program.command('eval').description('offline evaluations');
evalCommand
  .command('intents <file>')
  .description('resolve every intent scenario of a JSON Lines file (shared/eval/README.md) and print the metrics as JSON')
  .action((file: string) => {
    process.exitCode = evalIntents(file);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  else {
    process.stderr.write(`RAYOS_API_INTERNAL: the runtime crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.FAILURE;
  }
}
