// Owns the VM registry in the state database: one row per VM with its stable identity, config, desired and observed state.
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { RayosFailure, rayosError, type RayosError } from '../../contracts/errors.js';
import { VM_NAME_PATTERN, VmKindSchema, VmLifecycleStateSchema, VmStopProfileSchema, type VmKind, type VmStopProfile } from '../../contracts/vm.js';
import type { SqliteDatabase } from '../../platform/sqlite/database.js';

/** Paths are stored relative to the VM's folder so a data directory can move; they must stay inside it. */
const RelativePathSchema = z.string().refine((p) => !isAbsolute(p) && !p.split('/').includes('..') && p.length > 0, 'a path inside the VM folder');

export const VmConfigSchema = z.object({
  machine: z.enum(['q35', 'pc']),
  memoryMiB: z.number().int().min(32).max(1024 * 1024),
  vcpus: z.number().int().min(1).max(256),
  disks: z
    .array(
      z.object({
        nodeName: z.string().regex(/^[a-z][a-z0-9-]{0,25}$/),
        file: RelativePathSchema,
        format: z.enum(['qcow2', 'raw']),
        sizeMiB: z.number().int().positive(),
        /** Absent: virtio (RayOS-built guests). ahci for a guest whose installer has no virtio driver (Windows). */
        bus: z.enum(['virtio', 'ahci']).optional(),
        /** Absent: an ext4 data disk. blank: a disk the guest partitions itself; a reset makes it blank again. */
        content: z.enum(['ext4', 'blank']).optional(),
      }),
    )
    .min(1),
  /** A kernel + initramfs image installed under <data>/images/<kind>/<imageKey>/ (Linux subsystem). */
  image: z.object({ kind: z.string(), key: z.string().regex(/^[A-Za-z0-9._-]+$/), cmdline: z.string() }).nullable(),
  firmware: z
    .object({ kind: z.literal('bios') })
    .or(z.object({ kind: z.literal('uefi'), varsFile: RelativePathSchema, secureBoot: z.boolean(), varsFormat: z.enum(['raw', 'qcow2']).optional() })),
  /** swtpm's TPM 2.0 state (tpm-state.ts), made once at provisioning and never remade. */
  tpmDir: RelativePathSchema.nullable(),
  /**
   * Installation media (absolute paths on the host, the person's files) for the launch that installs the guest.
   * booted: false until the first cold launch attaches them; a later cold launch drops them (the next cold start has
   * no CD-ROM), while a resume of a state saved during the install needs them attached again (-loadvm wants the same devices).
   */
  installMedia: z
    .object({ iso: z.string().refine((p) => p.startsWith('/')), drivers: z.string().refine((p) => p.startsWith('/')).nullable(), booted: z.boolean() })
    .nullable()
    .optional(),
  network: z.enum(['none', 'user']),
  agent: z.boolean(),
  /** A port for the QEMU guest agent (qemu-ga), whose answer is the guest's readiness when RayOS's own agent is not in it. */
  qga: z.boolean().optional(),
});
export type VmConfig = z.infer<typeof VmConfigSchema>;

export const VmInstanceSchema = z.object({
  pid: z.number().int().positive(),
  startTicks: z.number().int().nonnegative(),
  configHash: z.string(),
  accel: z.enum(['kvm', 'tcg']),
  launchedAt: z.string(),
});
export type VmInstance = z.infer<typeof VmInstanceSchema>;

export const DesiredStateSchema = z.enum(['running', 'stopped', 'suspended']);
export type DesiredState = z.infer<typeof DesiredStateSchema>;

export interface VmRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: VmKind;
  readonly createdAt: string;
  readonly config: VmConfig;
  readonly stopProfile: VmStopProfile;
  readonly desiredState: DesiredState;
  readonly observedState: z.infer<typeof VmLifecycleStateSchema>;
  readonly observedReason: string | null;
  readonly savedStateTag: string | null;
  readonly bootCount: number;
  readonly instance: VmInstance | null;
}

const RowSchema = z.object({
  // The id names the VM's folder under the VM root (vm-files.ts): a tampered one must not point outside it.
  id: z.uuid(),
  name: z.string(),
  kind: VmKindSchema,
  created_at: z.string(),
  config: z.string(),
  stop_profile: VmStopProfileSchema,
  desired_state: DesiredStateSchema,
  observed_state: VmLifecycleStateSchema,
  observed_reason: z.string().nullable(),
  saved_state_tag: z.string().nullable(),
  boot_count: z.number().int(),
  instance: z.string().nullable(),
});

export function checkVmName(untrustedName: string): Result<string, RayosError> {
  if (VM_NAME_PATTERN.test(untrustedName)) return ok(untrustedName);
  return err(rayosError('RAYOS_VM_BAD_NAME', `${JSON.stringify(untrustedName.slice(0, 64))} is not a VM name: use 1–32 of a-z, 0-9 and "-", starting with a letter (no paths, dots or spaces).`));
}

/** The absolute path of a VM-relative file, refusing anything that escapes the VM folder. */
export function insideVmDir(vmDir: string, file: string): string {
  const full = resolve(vmDir, file);
  const rel = relative(vmDir, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${file} escapes ${vmDir}`);
  return full;
}

/** What the registry holds: the VMs that read back whole, and an error per row that did not. */
export interface RegistryScan {
  readonly records: VmRecord[];
  readonly corrupt: RayosError[];
}

export class VmRegistry {
  constructor(private readonly db: SqliteDatabase) {}

  /** Every VM; a corrupted row is reported, not handed out, so one bad row cannot stop the others. */
  scan(): RegistryScan {
    const records: VmRecord[] = [];
    const corrupt: RayosError[] = [];
    for (const row of this.db.prepare('SELECT * FROM vms ORDER BY created_at, name').all() as unknown[]) {
      const record = this.fromRow(row);
      if (record.ok) records.push(record.value);
      else corrupt.push(record.error);
    }
    return { records, corrupt };
  }

  list(): VmRecord[] {
    return this.scan().records;
  }

  /** The VM with that name; null when none; an error when its row is corrupted. */
  findByName(name: string): Result<VmRecord | null, RayosError> {
    const row = this.db.prepare('SELECT * FROM vms WHERE name = ?').get(name);
    return row === undefined ? ok(null) : this.fromRow(row);
  }

  /** True when a row holds the name, even one that no longer reads back. */
  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM vms WHERE name = ?').get(name) !== undefined;
  }

  create(input: { name: string; kind: VmKind; config: VmConfig; stopProfile: VmStopProfile }): Result<VmRecord, RayosError> {
    const name = checkVmName(input.name);
    if (!name.ok) return name;
    if (this.nameTaken(input.name)) return err(rayosError('RAYOS_VM_EXISTS', `A VM named ${input.name} exists already; pick another name or reset it with "rayos vm reset ${input.name} --yes".`));
    const now = new Date().toISOString();
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO vms (id, name, kind, created_at, config, stop_profile, desired_state, observed_state, boot_count, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'stopped', 'defined', 0, ?)`,
      )
      .run(id, input.name, input.kind, now, JSON.stringify(VmConfigSchema.parse(input.config)), input.stopProfile, now);
    return this.fromRow(this.db.prepare('SELECT * FROM vms WHERE id = ?').get(id));
  }

  update(id: string, changes: Partial<Pick<VmRecord, 'desiredState' | 'observedState' | 'observedReason' | 'savedStateTag' | 'bootCount' | 'instance' | 'config'>>): void {
    const columns: Record<string, unknown> = {};
    // Validated on the way in too: a config that would not read back must never be written.
    if (changes.config !== undefined) columns['config'] = JSON.stringify(VmConfigSchema.parse(changes.config));
    if (changes.desiredState !== undefined) columns['desired_state'] = changes.desiredState;
    if (changes.observedState !== undefined) columns['observed_state'] = changes.observedState;
    if (changes.observedReason !== undefined) columns['observed_reason'] = changes.observedReason;
    if (changes.savedStateTag !== undefined) columns['saved_state_tag'] = changes.savedStateTag;
    if (changes.bootCount !== undefined) columns['boot_count'] = changes.bootCount;
    if (changes.instance !== undefined) columns['instance'] = changes.instance === null ? null : JSON.stringify(changes.instance);
    const keys = Object.keys(columns);
    if (keys.length === 0) return;
    const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'].join(', ');
    this.db.prepare(`UPDATE vms SET ${sets} WHERE id = @id`).run({ ...columns, updated_at: new Date().toISOString(), id });
  }

  /** Forgets the VM entirely (its files are the caller's to remove first). */
  remove(id: string): void {
    this.db.prepare('DELETE FROM vms WHERE id = ?').run(id);
  }

  /** A VM this runtime already holds; its row going missing or bad under it is an invariant broken, so it throws. */
  get(id: string): VmRecord {
    const row = this.db.prepare('SELECT * FROM vms WHERE id = ?').get(id);
    if (row === undefined) throw new RayosFailure(rayosError('RAYOS_VM_NOT_FOUND', `The VM with id ${id} is no longer in the state database.`));
    const record = this.fromRow(row);
    if (!record.ok) throw new RayosFailure(record.error);
    return record.value;
  }

  /** A row that does not parse is a bug or tampering: refuse it rather than act on half a VM. */
  private fromRow(untrustedRow: unknown): Result<VmRecord, RayosError> {
    const untrustedName = (untrustedRow as { name?: unknown } | null)?.name;
    const label = typeof untrustedName === 'string' ? checkVmName(untrustedName) : null;
    const which = label?.ok ? label.value : `(row id ${String((untrustedRow as { id?: unknown } | null)?.id ?? '?').slice(0, 40)})`;
    const corrupt = (problem: string): Result<VmRecord, RayosError> =>
      err(
        rayosError(
          'RAYOS_VM_RECORD_CORRUPT',
          `The VM ${which} is corrupted in state.db (${problem}); RayOS leaves it and any QEMU of it alone. Restore state.db from a backup, or remove the VM's row, then restart RayOS.`,
          { vm: label?.ok ? label.value : 'unnamed' },
        ),
      );
    const row = RowSchema.safeParse(untrustedRow);
    if (!row.success) return corrupt(`row: ${row.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const config = parseJsonColumn(row.data.config, VmConfigSchema);
    if (!config.ok) return corrupt(`config: ${config.error}`);
    const instance = row.data.instance === null ? ok(null) : parseJsonColumn(row.data.instance, VmInstanceSchema);
    if (!instance.ok) return corrupt(`instance: ${instance.error}`);
    return ok({
      id: row.data.id,
      name: row.data.name,
      kind: row.data.kind,
      createdAt: row.data.created_at,
      config: config.value,
      stopProfile: row.data.stop_profile,
      desiredState: row.data.desired_state,
      observedState: row.data.observed_state,
      observedReason: row.data.observed_reason,
      savedStateTag: row.data.saved_state_tag,
      bootCount: row.data.boot_count,
      instance: instance.value,
    });
  }
}

function parseJsonColumn<T>(untrustedText: string, schema: z.ZodType<T>): Result<T, string> {
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(untrustedText);
  } catch {
    return err('not JSON');
  }
  const parsed = schema.safeParse(untrusted);
  return parsed.success ? ok(parsed.data) : err(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
}
