// Owns the installed system's root tree: the cached Debian tree (hard-linked, never modified) plus RayOS, its units, the mount generator and the console.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { applyBootTuning } from './boot-tuning.js';
import { NODE_PATH, RUNTIME_MAIN, writeRuntimePayload } from './runtime-payload.js';
import { DEFAULT_RUNTIME_UNIT, persistentJournalDropIn, runtimeUnit, UNIT_PATHS, watchdogDropIn } from './systemd-units.js';
import { VM_STORAGE_MOUNTS } from './vm-storage-disk.js';

/** The data volume's mount point: also the RayOS data directory (root's default). */
export const DATA_MOUNT = '/var/lib/rayos';
/** Directories the data volume holds for the system (made by the installer); bind-mounted over the root's. */
export const DATA_SYSTEM_DIRS = ['system/journal', 'crash/pstore'] as const;

/** A path as a systemd unit name (systemd-escape --path): "/" → "-", and every other "-" → "\x2d". */
export function escapeUnitPath(path: string): string {
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) throw new Error(`a plain absolute path is needed, got ${JSON.stringify(path)}`);
  return path.slice(1).replaceAll('-', '\\x2d').replaceAll('/', '-');
}

/**
 * How long a VM storage disk's mount waits for its disk (from the start of the boot, as the data volume's disk gets
 * systemd's default 90 s) before it gives up. The mount is wanted, not required, by rayos.service: past this the runtime
 * starts without it and refuses the VMs on it (RAYOS_VM:STORAGE_MISSING), where a required mount would fail the boot
 * and, three boots later, drop to recovery for want of a secondary disk.
 */
export const VM_STORAGE_MOUNT_TIMEOUT_S = 90;

export interface InstalledRootOptions {
  readonly tree: string;
  readonly staging: string;
  readonly repoRoot: string;
  /** A root shell on the serial console, for development and the boot tests; never on by default. */
  readonly consoleShell: boolean;
}

/**
 * The mounts are not in /etc/fstab: partition UUIDs are fresh per install, and one root image must fit any slot
 * (A/B updates write it unchanged). The boot entry names them (`rayos.data=PARTUUID=…`, `rayos.esp=PARTUUID=…`)
 * and this generator turns them into mount units before local-fs.target; the VM storage disks chosen at install
 * (`rayos.vmstore.linux|windows=PARTUUID=…`) into mounts under the data volume that rayos.service waits for.
 */
export const MOUNT_GENERATOR = `#!/bin/sh
# rayos-mounts: the data volume, its system directories, the ESP and the VM storage disks, as named on the kernel command line.
# Shell builtins only (mkdir aside): every process costs a fraction of a second at this point of a slow boot.
out="$1"
data=""
esp=""
vmstore_linux=""
vmstore_windows=""
read -r cmdline < /proc/cmdline
for word in $cmdline; do
  case "$word" in
    rayos.data=PARTUUID=*) data="\${word#rayos.data=PARTUUID=}" ;;
    rayos.esp=PARTUUID=*) esp="\${word#rayos.esp=PARTUUID=}" ;;
    rayos.vmstore.linux=PARTUUID=*) vmstore_linux="\${word#rayos.vmstore.linux=PARTUUID=}" ;;
    rayos.vmstore.windows=PARTUUID=*) vmstore_windows="\${word#rayos.vmstore.windows=PARTUUID=}" ;;
  esac
done
units=""
mount_unit() { # unit what where type options extra-unit-line
  {
    echo "[Unit]"
    echo "Description=RayOS mount of $3"
    echo "Before=local-fs.target"
    [ -n "$6" ] && echo "$6"
    echo "[Mount]"
    echo "What=$2"
    echo "Where=$3"
    echo "Type=$4"
    echo "Options=$5"
  } > "$out/$1"
  units="$units $1"
}
if [ -n "$data" ]; then
  mount_unit var-lib-rayos.mount "/dev/disk/by-partuuid/$data" ${DATA_MOUNT} ext4 noatime ""
  mount_unit var-log-journal.mount ${DATA_MOUNT}/system/journal /var/log/journal none bind "RequiresMountsFor=${DATA_MOUNT}"
  mount_unit var-lib-systemd-pstore.mount ${DATA_MOUNT}/crash/pstore /var/lib/systemd/pstore none bind "RequiresMountsFor=${DATA_MOUNT}"
fi
if [ -n "$esp" ]; then
  mount_unit efi.mount "/dev/disk/by-partuuid/$esp" /efi vfat umask=0077,noatime ""
fi
if [ -n "$units" ]; then
  mkdir -p "$out/local-fs.target.d"
  { echo "[Unit]"; echo "Requires=$units"; echo "After=$units"; } > "$out/local-fs.target.d/rayos-mounts.conf"
fi
# VM storage disks: inside the data volume's mount (so only with it), nofail (not before local-fs.target, whose failure
# is the emergency shell), and waited for by rayos.service for at most JobTimeoutSec. A disk that does not come leaves
# the mount point empty; its vm/ folder is on the disk, so RayOS finds the VMs' storage missing and refuses them.
# printf, not echo: the unit names hold a backslash (\\x2d), which some echos would take for an escape.
storage=""
storage_unit() { # unit partuuid where
  {
    printf '%s\\n' "[Unit]" "Description=RayOS VM storage at $3" "RequiresMountsFor=${DATA_MOUNT}" "JobTimeoutSec=${VM_STORAGE_MOUNT_TIMEOUT_S}"
    printf '%s\\n' "[Mount]" "What=/dev/disk/by-partuuid/$2" "Where=$3" "Type=ext4" "Options=noatime,nofail"
  } > "$out/$1"
  storage="$storage $1"
}
if [ -n "$data" ] && [ -n "$vmstore_linux" ]; then
  storage_unit '${escapeUnitPath(VM_STORAGE_MOUNTS.linux)}.mount' "$vmstore_linux" ${VM_STORAGE_MOUNTS.linux}
fi
if [ -n "$data" ] && [ -n "$vmstore_windows" ]; then
  storage_unit '${escapeUnitPath(VM_STORAGE_MOUNTS.windows)}.mount' "$vmstore_windows" ${VM_STORAGE_MOUNTS.windows}
fi
if [ -n "$storage" ]; then
  mkdir -p "$out/rayos.service.d"
  printf '%s\\n' "[Unit]" "Wants=$storage" "After=$storage" > "$out/rayos.service.d/rayos-vm-storage.conf"
fi
exit 0
`;

const CONSOLE_SHELL_DROP_IN = [
  '# Development/test image only (rayos image build --console-shell): root on the serial console without a password.',
  '[Service]',
  'ExecStart=',
  'ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,57600,38400,9600 %I $TERM',
  '',
].join('\n');

/** Writes a file, replacing (never writing through) a hard link into the cached tree. */
async function put(root: string, rel: string, content: string, mode = 0o644): Promise<void> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  await writeFile(path, content, { mode });
}

async function link(root: string, rel: string, target: string): Promise<void> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  await symlink(target, path);
}

/** Builds the installed root in `staging` (replaced): a hard-linked copy of the tree, then RayOS's files. */
export async function composeInstalledRoot(options: InstalledRootOptions): Promise<Result<void, RayosError>> {
  await rm(options.staging, { recursive: true, force: true });
  await mkdir(dirname(options.staging), { recursive: true });
  // Hard links: instant and free; every file RayOS writes replaces its link (put), so the cache stays pristine.
  const copied = await runCommand(['cp', '-a', '-l', options.tree, options.staging], { deadlineMs: 300_000 });
  if (copied.code !== 0) return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Copying the root tree failed (${copied.stderr.trim().slice(-300)}); check free space beside ${options.staging}.`));
  const root = options.staging;
  try {
    await rm(join(root, '.rayos-root-tree.json'), { force: true });
    const payload = await writeRuntimePayload(options.repoRoot, root, 'system');
    if (!payload.ok) return payload;
    await put(root, UNIT_PATHS.runtime, runtimeUnit({ ...DEFAULT_RUNTIME_UNIT, node: `/${NODE_PATH}`, runtimeMain: RUNTIME_MAIN, dataDir: DATA_MOUNT }));
    // What `systemctl enable rayos` would do: WantedBy=multi-user.target, RequiredBy=boot-complete.target.
    await link(root, 'etc/systemd/system/multi-user.target.wants/rayos.service', '../rayos.service');
    await link(root, 'etc/systemd/system/boot-complete.target.requires/rayos.service', '../rayos.service');
    await put(root, UNIT_PATHS.watchdog, watchdogDropIn(30, 120));
    await put(root, UNIT_PATHS.journal, persistentJournalDropIn());
    await put(root, 'etc/systemd/system-generators/rayos-mounts', MOUNT_GENERATOR, 0o755);
    for (const dir of [DATA_MOUNT, '/efi', '/var/log/journal', '/var/lib/systemd/pstore']) await mkdir(join(root, dir), { recursive: true });
    // The watchdog driver QEMU's i6300esb needs, and the EFI pstore backend that keeps a panic's dmesg for the next boot.
    await put(root, 'etc/modules-load.d/rayos.conf', 'i6300esb\nefi_pstore\n');
    await put(root, 'etc/fstab', '# RayOS mounts come from /etc/systemd/system-generators/rayos-mounts (the boot entry names the partitions).\n');
    await put(root, 'etc/hostname', 'rayos\n');
    await put(root, 'etc/hosts', '127.0.0.1 localhost\n127.0.1.1 rayos\n::1 localhost ip6-localhost ip6-loopback\n');
    // Empty: the boot entry carries systemd.machine_id=, written fresh by each install and shared by both root slots.
    await put(root, 'etc/machine-id', '');
    await rm(join(root, 'var/lib/dbus/machine-id'), { force: true });
    if (options.consoleShell) await put(root, 'etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf', CONSOLE_SHELL_DROP_IN);
    const tuned = await applyBootTuning(root); if (!tuned.ok) return tuned;
    return ok(undefined);
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Writing RayOS into the root tree failed: ${(error as Error).message}.`));
  }
}
