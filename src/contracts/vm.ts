// Owns the VM shapes shared by the supervisor, the API, the client and the CLI: names, states, views and requests.
import { z } from 'zod';
import { ExecResultSchema } from './guest-agent.js';

/** Lower-case letters, digits and '-', starting with a letter: safe as a file name, a QEMU -name and a marker argument. */
export const VM_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const VmNameSchema = z.string().regex(VM_NAME_PATTERN, 'a VM name is 1–32 of a-z, 0-9 and "-", starting with a letter');

/** Snapshot tags end up inside the qcow2 and in markers: keep them plain. */
export const SnapshotTagSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a tag is 1–64 of A-Z, a-z, 0-9, ".", "_" and "-"');

export const VmKindSchema = z.enum(['linux', 'windows']);
export type VmKind = z.infer<typeof VmKindSchema>;

export const VM_LIFECYCLE_STATES = ['defined', 'starting', 'running', 'paused', 'suspending', 'suspended', 'resuming', 'stopping', 'stopped', 'failed'] as const;
export const VmLifecycleStateSchema = z.enum(VM_LIFECYCLE_STATES);

/** What happens to a running VM when the runtime stops. */
export const VmStopProfileSchema = z.enum(['keep-running', 'suspend', 'shutdown']);
export type VmStopProfile = z.infer<typeof VmStopProfileSchema>;

export const GuestViewSchema = z.object({
  ready: z.boolean(),
  agentVersion: z.string().nullable(),
  bootId: z.string().nullable(),
  uptimeMs: z.number().nullable(),
  served: z.number().nullable(),
});

export const VmViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: VmKindSchema,
  state: VmLifecycleStateSchema,
  presentation: z.enum(['hidden', 'presented']).nullable(),
  reason: z.string().nullable(),
  desiredState: z.enum(['running', 'stopped', 'suspended']),
  stopProfile: VmStopProfileSchema,
  pid: z.number().int().nullable(),
  accel: z.enum(['kvm', 'tcg']).nullable(),
  memoryMiB: z.number().int(),
  vcpus: z.number().int(),
  bootCount: z.number().int(),
  savedStateTag: z.string().nullable(),
  createdAt: z.string(),
  disks: z.array(z.object({ nodeName: z.string(), path: z.string(), format: z.string() })),
  /**
   * Guest networking (QEMU user mode) as chosen for the VM: while it runs, whether its NIC is plugged in;
   * while it does not, whether its next start brings one.
   */
  network: z.boolean(),
  guest: GuestViewSchema,
});
export type VmView = z.infer<typeof VmViewSchema>;

export const VmListSchema = z.object({ vms: z.array(VmViewSchema) });
/** Any string: the supervisor checks the name itself, so a bad one is RAYOS_VM_BAD_NAME rather than a generic 400. */
export const VmNameParamsSchema = z.object({ name: z.string().max(256) });

export const VmStopRequestSchema = z.strictObject({
  /** Skip the polite shutdown and quit QEMU at once. */
  force: z.boolean().default(false),
  /** How long the guest gets to power off before RayOS forces it. */
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
});
export const VmSnapshotRequestSchema = z.strictObject({ tag: SnapshotTagSchema });
export const VmResetRequestSchema = z.strictObject({ confirm: z.literal(true, { error: 'reset destroys the VM disk; send {"confirm": true}' }) });
export const VmExecRequestSchema = z.strictObject({
  argv: z.array(z.string().max(64 * 1024)).min(1).max(256),
  timeoutMs: z.number().int().positive().max(3_600_000).default(30_000),
});
export const VmExecResponseSchema = ExecResultSchema;
export const VmLogsQuerySchema = z.strictObject({ lines: z.coerce.number().int().positive().max(10_000).default(200) });
export const VmLogsSchema = z.object({ name: z.string(), path: z.string(), lines: z.array(z.string()) });
export const VmSnapshotListSchema = z.object({
  snapshots: z.array(z.object({ tag: z.string(), vmStateBytes: z.number(), createdAt: z.string() })),
});
/** Turns guest networking on or off: hot-plugged when the VM runs, else at its next start. */
export const VmNetworkRequestSchema = z.strictObject({ enabled: z.boolean() });

/**
 * `rayos windows provision`: makes the Windows VM once from the person's installation image. Paths are absolute on
 * the runtime's host (the CLI makes relative ones absolute); iso is optional here so a missing one is the clear
 * RAYOS_WINDOWS_ISO_MISSING rather than a schema error.
 */
export const WindowsProvisionRequestSchema = z.strictObject({
  iso: z.string().min(1).max(4096).optional(),
  drivers: z.string().min(1).max(4096).optional(),
  /** Destroy an existing Windows VM (disk, UEFI variables, TPM state) and make it again; needs confirm. */
  replace: z.boolean().default(false),
  confirm: z.boolean().default(false),
  /** Boot it at once to install (hidden until presented); false only makes it. */
  start: z.boolean().default(true),
});
export type WindowsProvisionRequest = z.input<typeof WindowsProvisionRequestSchema>;

export const WindowsProvisionResultSchema = z.object({
  vm: VmViewSchema,
  /** An earlier Windows VM was destroyed to make this one. */
  replaced: z.boolean(),
  iso: z.string(),
  drivers: z.string().nullable(),
  files: z.object({ disk: z.string(), vars: z.string(), tpmState: z.string() }),
});
export type WindowsProvisionResult = z.infer<typeof WindowsProvisionResultSchema>;
