// Owns the shape of one QEMU launch (QemuVmSpec): every device, path and socket a VM gets, validated before argv is built.
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { VM_NAME_PATTERN } from '../../contracts/vm.js';

/** Linux limits a unix socket path to 107 bytes; QEMU would fail (or truncate) on a longer one. */
export const MAX_UNIX_SOCKET_PATH = 107;

/**
 * QEMU node names are at most 31 bytes and each disk also gets a "<name>-file" protocol node,
 * so a disk node name may be 26 characters at most.
 */
export const DISK_NODE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,25}$/;

/** Node names the argv builder uses itself (firmware and installer media). */
export const RESERVED_NODE_NAMES: readonly string[] = ['fw-code', 'fw-vars', 'cdrom0', 'cdrom1'];

/** The installer and a driver image (virtio-win) at most: Windows Setup reads both at once. */
export const MAX_CDROMS = 2;

/** IDE/AHCI slots without adding a controller: q35's built-in AHCI has 6 ports, pc's PIIX IDE 2 buses × 2 units. */
export const IDE_SLOTS = { q35: 6, pc: 4 } as const;

// Absolute, so the daemon (which changes directory to /) and a later reopen see the same file;
// no line breaks or NUL, which argv or QEMU's option parser would mangle.
const PathSchema = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => p.startsWith('/'), 'an absolute path')
  .refine((p) => !/[\r\n\0]/.test(p), 'a path without line breaks or NUL');

const SocketPathSchema = PathSchema.refine(
  (p) => Buffer.byteLength(p) <= MAX_UNIX_SOCKET_PATH,
  `a unix socket path of at most ${MAX_UNIX_SOCKET_PATH} bytes (Linux cannot bind a longer one); use a shorter data directory`,
);

const BootIndexSchema = z.number().int().min(0).max(63);

export const QemuFirmwareSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bios') }),
  z.strictObject({
    kind: z.literal('uefi'),
    /** Read-only OVMF code (the .secboot build when secureBoot). */
    codePath: PathSchema,
    /** This VM's own writable copy of the OVMF variables; never the shared template. */
    varsPath: PathSchema,
    /** qcow2 variables let internal snapshots (suspend) include them; QEMU refuses snapshot-save with a writable raw node. */
    varsFormat: z.enum(['raw', 'qcow2']).optional(),
    secureBoot: z.boolean(),
  }),
]);

export const QemuDiskSchema = z.strictObject({
  /** The block node QMP snapshot jobs name; "<nodeName>-file" is its file node. */
  nodeName: z.string().regex(DISK_NODE_NAME_PATTERN, 'a node name is 1–26 of a-z, 0-9 and "-", starting with a letter'),
  path: PathSchema,
  format: z.enum(['qcow2', 'raw']),
  readOnly: z.boolean(),
  /** virtio-blk for RayOS-built guests; ahci (ide-hd on the machine's own controller) for guests without virtio drivers. */
  bus: z.enum(['virtio', 'ahci']),
  bootIndex: BootIndexSchema.optional(),
});

export const QemuHostForwardSchema = z.strictObject({
  protocol: z.enum(['tcp', 'udp']),
  /** Host address to listen on; default 127.0.0.1, so a forward never opens a port to the network by accident. */
  hostAddress: z.ipv4().optional(),
  hostPort: z.number().int().min(1).max(65535),
  guestPort: z.number().int().min(1).max(65535),
});

/**
 * none: no NIC at launch (on q35 the empty root port "rp-net" still lets one be hot-plugged later).
 * user: QEMU user-mode networking (guest 10.0.2.15/24, host loopback as 10.0.2.2) on a virtio-net NIC laid out
 * exactly as a hot-plug lays it out, so a VM saved with a hot-plugged NIC resumes in a QEMU launched with it.
 */
export const QemuNetworkSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({ mode: z.literal('user'), hostForwards: z.array(QemuHostForwardSchema).max(32).optional() }),
]);

export const QemuVmSpecSchema = z
  .strictObject({
    /** The RayOS VM name, shown by QEMU (-name). */
    name: z.string().regex(VM_NAME_PATTERN, 'a VM name is 1–32 of a-z, 0-9 and "-", starting with a letter'),
    /** Stable SMBIOS UUID (-uuid): guests (Windows activation) key on it, so it never changes for a VM. */
    id: z.guid('a UUID such as 0b5a1f6e-3c1d-4c8e-9a57-2f0e4d1b6c3a'),
    machine: z.enum(['q35', 'pc']),
    accel: z.enum(['kvm', 'tcg']),
    memoryMiB: z.number().int().min(16).max(1024 * 1024),
    vcpus: z.number().int().min(1).max(256),
    firmware: QemuFirmwareSchema,
    /** Direct kernel boot (the RayOS-built Linux guest). */
    kernel: z
      .strictObject({
        path: PathSchema,
        initrdPath: PathSchema.optional(),
        cmdline: z.string().max(4096).refine((s) => !/[\r\n\0]/.test(s), 'a kernel command line on one line'),
      })
      .optional(),
    disks: z.array(QemuDiskSchema).max(16),
    /** Installation media (the installer, then a driver image), each attached read-only as an IDE/AHCI CD-ROM, cdrom0 and cdrom1. */
    cdroms: z.array(z.strictObject({ path: PathSchema, bootIndex: BootIndexSchema.optional() })).max(MAX_CDROMS).optional(),
    display: z.strictObject({ vncSocketPath: SocketPathSchema }),
    /** Where the guest's first serial port is written (replaced at every launch). */
    serialLogPath: PathSchema,
    /** Host end of the guest agent's virtio-serial port. */
    agentSocketPath: SocketPathSchema.optional(),
    /** Host end of the QEMU guest agent's port (org.qemu.guest_agent.0), for guests RayOS's agent is not in (Windows). */
    qgaSocketPath: SocketPathSchema.optional(),
    /** Two QMP sockets, one client each, so a stuck client cannot lock RayOS out of the VM. */
    qmpSocketPaths: z.tuple([SocketPathSchema, SocketPathSchema]),
    network: QemuNetworkSchema,
    /** swtpm's control socket (swtpm must be listening before the launch). */
    tpm: z.strictObject({ socketPath: SocketPathSchema }).optional(),
    /** Start from this internal snapshot instead of booting. */
    loadvmTag: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a tag is 1–64 of A-Z, a-z, 0-9, ".", "_" and "-"').optional(),
    /** Stop the vCPUs before the first instruction (-S); a QMP "cont" starts them. */
    startPaused: z.boolean(),
    pidFilePath: PathSchema,
    /**
     * QEMU's own log (-D): with it, the daemon keeps writing its later errors (and why it exited)
     * there instead of to /dev/null. QEMU empties it at every launch.
     */
    logPath: PathSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const names = spec.disks.map((d) => d.nodeName);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['disks', i, 'nodeName'], message: `node name ${name} is used by two disks` });
      if (RESERVED_NODE_NAMES.includes(name)) ctx.addIssue({ code: 'custom', path: ['disks', i, 'nodeName'], message: `node name ${name} is reserved by RayOS` });
    });
    spec.disks.forEach((disk, i) => {
      if (disk.bus === 'ahci' && disk.readOnly) {
        ctx.addIssue({ code: 'custom', path: ['disks', i, 'readOnly'], message: 'an AHCI disk cannot be read-only (QEMU\'s ide-hd refuses read-only nodes); use bus virtio, or the cdrom' });
      }
    });
    const cdroms = spec.cdroms ?? [];
    const ide = spec.disks.filter((d) => d.bus === 'ahci').length + cdroms.length;
    if (ide > IDE_SLOTS[spec.machine]) {
      ctx.addIssue({ code: 'custom', path: ['disks'], message: `machine ${spec.machine} has ${IDE_SLOTS[spec.machine]} AHCI/IDE slots; this VM needs ${ide}` });
    }
    const bootIndexes = [...spec.disks.map((d) => d.bootIndex), ...cdroms.map((c) => c.bootIndex)].filter((b) => b !== undefined);
    if (new Set(bootIndexes).size !== bootIndexes.length) ctx.addIssue({ code: 'custom', path: ['disks'], message: 'two devices share a bootIndex' });
    if (spec.firmware.kind === 'uefi' && spec.firmware.secureBoot && spec.machine !== 'q35') {
      ctx.addIssue({ code: 'custom', path: ['firmware', 'secureBoot'], message: 'Secure Boot needs SMM, which only machine q35 has' });
    }
    const sockets = [...spec.qmpSocketPaths, spec.display.vncSocketPath, spec.agentSocketPath, spec.qgaSocketPath, spec.tpm?.socketPath].filter((s) => s !== undefined);
    if (new Set(sockets).size !== sockets.length) ctx.addIssue({ code: 'custom', path: ['qmpSocketPaths'], message: 'two sockets share a path' });
  });

export type QemuVmSpec = z.infer<typeof QemuVmSpecSchema>;
export type QemuDisk = z.infer<typeof QemuDiskSchema>;
export type QemuFirmware = z.infer<typeof QemuFirmwareSchema>;
export type QemuNetwork = z.infer<typeof QemuNetworkSchema>;

/** Validates a spec from anywhere (a registry row, a test); the error lists every problem with its field. */
export function parseQemuVmSpec(untrustedSpec: unknown): Result<QemuVmSpec, RayosError> {
  const parsed = QemuVmSpecSchema.safeParse(untrustedSpec);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => `${i.path.length === 0 ? 'spec' : i.path.join('.')}: ${i.message}`);
  const vm = typeof (untrustedSpec as { name?: unknown } | null)?.name === 'string' ? String((untrustedSpec as { name: string }).name).slice(0, 40) : 'the VM';
  return err(
    rayosError('RAYOS_VM_LAUNCH_FAILED', `${vm}: its QEMU launch spec is invalid (${problems.join('; ')}). Fix the VM configuration and start it again.`, {
      problems,
    }),
  );
}
