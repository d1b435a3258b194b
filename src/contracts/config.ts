// Owns the runtime configuration schema: every key, its type, range and default.
import { z } from 'zod';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * Where VMs of one kind keep their folders: empty means the data directory's vm/. An absolute path to a directory that
 * must already exist (a mounted disk, usually): RayOS makes the VM folders in it, never the directory itself, so a disk
 * that is not mounted reads as missing rather than as an empty place to start over in.
 */
const VmStoragePathSchema = z
  .string()
  .max(4000)
  .refine((path) => path === '' || (path.startsWith('/') && !path.split('/').includes('..')), 'must be an absolute directory path without ".." (or empty for <data>/vm)');

export const ConfigSchema = z
  .object({
    api: z
      .object({
        /** TCP port on the loopback address; 0 picks a free one (written to runtime.json). */
        port: z.number().int().min(0).max(65535).default(7420),
        host: z.string().regex(LOOPBACK, 'must be a loopback address (127.0.0.1, ::1, localhost)').default('127.0.0.1'),
        bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
        rateLimit: z
          .object({
            /** Requests one client may make per window. */
            max: z.number().int().min(1).default(2000),
            windowMs: z.number().int().min(100).max(3_600_000).default(1000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    journal: z
      .object({
        segmentBytes: z.number().int().min(4096).max(1024 * 1024 * 1024).default(8 * 1024 * 1024),
        maxSegments: z.number().int().min(2).max(100_000).default(64),
        maxRecordBytes: z.number().int().min(256).max(16 * 1024 * 1024).default(1024 * 1024),
        /** fsync: a record is on disk before it is acknowledged. none: only for throwaway data dirs. */
        durability: z.enum(['fsync', 'none']).default('fsync'),
      })
      .strict()
      .prefault({}),
    services: z
      .object({
        startTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
        stopTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      })
      .strict()
      .prefault({}),
    events: z
      .object({
        /** Recent events kept in memory for `rayos events` and late WebSocket subscribers. */
        bufferSize: z.number().int().min(16).max(1_000_000).default(2000),
      })
      .strict()
      .prefault({}),
    markers: z
      .object({
        stdout: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    policy: z
      .object({
        /** How long a policy question waits for the person's answer before the action is denied. */
        askTimeoutMs: z.number().int().min(1000).max(3_600_000).default(60_000),
        /** Watch policy/*.cedar and reload the set when a file changes (validated first, like apply). */
        watch: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    cognition: z
      .object({
        llm: z
          .object({
            /** off: the embedded engine alone. openai: any OpenAI-compatible endpoint. llama: a local GGUF file through node-llama-cpp. */
            backend: z.enum(['off', 'openai', 'llama']).default('off'),
            /** openai: the server's base URL, e.g. http://127.0.0.1:8080 (".../v1" is added when missing). */
            url: z.string().max(2048).default(''),
            model: z.string().max(256).default(''),
            /** openai: the name of the environment variable that holds the API key (the key never goes in a config file). */
            apiKeyEnv: z.string().max(128).default(''),
            /** llama: the GGUF file (yours; RayOS ships no model). */
            modelPath: z.string().max(4096).default(''),
            /** Past this, RayOS stops waiting and keeps the embedded engine's answer, saying so. */
            timeoutMs: z.number().int().min(100).max(120_000).default(4000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    diagnostics: z
      .object({
        /**
         * Fault injection for boot-failure tests (a real part cannot hang on demand). none: normal.
         * hang-at-start: the event loop blocks forever before any service starts (no READY=1, watchdog pings stop).
         * hang-after-ready: it blocks right after READY=1 was sent, so the systemd watchdog fires. Never set this on a system you use.
         */
        fault: z.enum(['none', 'hang-at-start', 'hang-after-ready']).default('none'),
      })
      .strict()
      .prefault({}),
    vm: z
      .object({
        /** auto: KVM only when a probe proves it runs guests, else TCG. */
        accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
        qemuBinary: z.string().min(1).default('qemu-system-x86_64'),
        /** How long a booting guest has to answer the agent's hello before the VM is reported not ready. */
        guestReadyTimeoutMs: z.number().int().min(1000).max(3_600_000).default(300_000),
        /** Deadline of one QMP command; snapshot jobs get their own, longer one. */
        qmpTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
        snapshotTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
        /** The Linux VMs' folders (disks, sockets, logs); "" = <data>/vm. rayos install --linux-storage sets it to the storage disk's vm/. */
        linuxStorage: VmStoragePathSchema.default(''),
        /** The Windows VMs' folders; "" = <data>/vm. rayos install --windows-storage sets it. */
        windowsStorage: VmStoragePathSchema.default(''),
        linux: z
          .object({
            /** Create and start the default Linux subsystem on first start when its image is installed. */
            autoCreate: z.boolean().default(true),
            memoryMiB: z.number().int().min(64).max(65_536).default(256),
            vcpus: z.number().int().min(1).max(64).default(1),
            dataDiskMiB: z.number().int().min(16).max(1_048_576).default(256),
            /** What a running Linux VM does when the runtime stops. */
            stopProfile: z.enum(['keep-running', 'suspend', 'shutdown']).default('keep-running'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type RayosConfig = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

type Tree = { [key: string]: unknown };
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);
function leaves(tree: Tree, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isTree(value) ? leaves(value, path) : [[path, value] as [string, unknown]];
  });
}

export const CONFIG_DEFAULTS: RayosConfig = ConfigSchema.parse({});

/** Every leaf key path, e.g. "api.rateLimit.max", with its default (which also gives its type). */
export const CONFIG_KEYS: ReadonlyMap<string, unknown> = new Map(leaves(CONFIG_DEFAULTS as unknown as Tree));

/** api.rateLimit.max ↔ RAYOS_API_RATE_LIMIT_MAX */
export function envNameOf(keyPath: string): string {
  return `RAYOS_${keyPath.split('.').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}
