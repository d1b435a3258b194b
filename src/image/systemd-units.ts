// Owns the systemd configuration of an installed RayOS: the runtime's service (notify + watchdog + reboot on repeated failure), the hardware watchdog, a persistent journal, and blessing the boot entry once READY.
//
// Why these settings (issue 7): Node cannot send sd_notify datagrams itself, so the runtime calls `systemd-notify`,
// which is a child process — hence NotifyAccess=all. READY=1 is sent only at RAYOS_BOOT_MARKER:READY; the service is
// ordered before and required by boot-complete.target, so systemd-bless-boot marks the entry good only after it.

export interface RuntimeUnitOptions {
  /** Absolute path of the node binary on the installed root. */
  readonly node: string;
  /** Absolute path of the runtime entry (dist/src/daemon/main.js) on the installed root. */
  readonly runtimeMain: string;
  /** The data directory on the data volume. */
  readonly dataDir: string;
  /** How long the runtime may go without petting the service watchdog. */
  readonly watchdogSec: number;
  /** Failed starts within `startLimitIntervalSec` before systemd reboots (the boot then counts as failed). */
  readonly startLimitBurst: number;
  readonly startLimitIntervalSec: number;
}

export const DEFAULT_RUNTIME_UNIT: Omit<RuntimeUnitOptions, 'node' | 'runtimeMain' | 'dataDir'> = { watchdogSec: 30, startLimitBurst: 3, startLimitIntervalSec: 300 };

const SAFE_PATH = /^\/[A-Za-z0-9._/+-]+$/;

function checkPath(what: string, path: string): void {
  // Unit files have their own quoting rules; RayOS only ever writes plain absolute paths into them.
  if (!SAFE_PATH.test(path) || path.includes('..')) throw new Error(`${what} must be a plain absolute path, got ${JSON.stringify(path)}`);
}

/** rayos.service: the runtime as the system's main service. */
export function runtimeUnit(options: RuntimeUnitOptions): string {
  checkPath('node', options.node);
  checkPath('runtimeMain', options.runtimeMain);
  checkPath('dataDir', options.dataDir);
  for (const [key, value] of Object.entries({ watchdogSec: options.watchdogSec, startLimitBurst: options.startLimitBurst, startLimitIntervalSec: options.startLimitIntervalSec })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a positive integer, got ${value}`);
  }
  return [
    '[Unit]',
    'Description=RayOS runtime',
    'After=local-fs.target network.target',
    'Before=boot-complete.target',
    // The data directory is its own volume on an installed system; never start on the root's empty mount point.
    `RequiresMountsFor=${options.dataDir}`,
    `StartLimitIntervalSec=${options.startLimitIntervalSec}`,
    `StartLimitBurst=${options.startLimitBurst}`,
    // Repeated failure is a failed boot: reboot, and let boot counting take the next try (recovery after three).
    'StartLimitAction=reboot',
    '',
    '[Service]',
    'Type=notify',
    'NotifyAccess=all',
    `WatchdogSec=${options.watchdogSec}`,
    `ExecStart=${options.node} ${options.runtimeMain} run --data ${options.dataDir}`,
    'Restart=on-failure',
    'RestartSec=2',
    // READY is sent at RAYOS_BOOT_MARKER:READY. Until then every watchdog ping extends the start timeout (EXTEND_TIMEOUT_USEC),
    // so this only has to cover the time before node's first ping; a start whose pings stop (hung) is killed at once and
    // fails like a crash, counting toward the start limit.
    'TimeoutStartSec=45',
    'TimeoutStartFailureMode=kill',
    // Node writes a diagnostic report on a fatal error; it lands beside the crash archive.
    // Quoted: the value has a space, and unquoted systemd would take the second word as another assignment.
    `Environment="NODE_OPTIONS=--report-on-fatalerror --report-directory=${options.dataDir}/crash"`,
    // Markers reach the console too: the boot tests (and a person at the serial console) read them there.
    'StandardOutput=journal+console',
    'KillMode=mixed',
    'TimeoutStopSec=60',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    'RequiredBy=boot-complete.target',
    '',
  ].join('\n');
}

/** A drop-in for system.conf: systemd pets the hardware watchdog, so a hung kernel or PID 1 resets the machine. */
export function watchdogDropIn(runtimeWatchdogSec: number, rebootWatchdogSec: number): string {
  if (!Number.isInteger(runtimeWatchdogSec) || runtimeWatchdogSec < 1 || !Number.isInteger(rebootWatchdogSec) || rebootWatchdogSec < 1) {
    throw new Error('watchdog timeouts must be positive whole seconds');
  }
  return ['[Manager]', `RuntimeWatchdogSec=${runtimeWatchdogSec}`, `RebootWatchdogSec=${rebootWatchdogSec}`, ''].join('\n');
}

/** journald keeps its journal on disk, so `rayos log show --boot -1` can read the previous boot. */
export function persistentJournalDropIn(): string {
  return ['[Journal]', 'Storage=persistent', 'SystemMaxUse=256M', ''].join('\n');
}

/** Where each file goes on the installed root. */
export const UNIT_PATHS = {
  runtime: 'etc/systemd/system/rayos.service',
  watchdog: 'etc/systemd/system.conf.d/10-rayos-watchdog.conf',
  journal: 'etc/systemd/journald.conf.d/10-rayos-persistent.conf',
} as const;
// No unit is needed for blessing: on a counted boot, systemd-bless-boot-generator pulls in systemd-bless-boot.service,
// which marks the entry good once boot-complete.target is reached — and rayos.service is required by that target.
