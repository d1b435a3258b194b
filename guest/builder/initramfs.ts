// Owns the content of the guest's initramfs: the /init script, the file tree (busybox, agent, modules), its cpio bytes.
import { writeCpioNewc, type CpioEntry } from '../../src/platform/initramfs/cpio-newc.js';

/** Where the module files and their load order live inside the guest. */
export const GUEST_MODULES_DIR = 'lib/modules';
export const GUEST_LOAD_ORDER = `${GUEST_MODULES_DIR}/load-order`;
/** The display modules' load order (loaded in the background, after the boot modules). */
export const GUEST_DISPLAY_LOAD_ORDER = `${GUEST_MODULES_DIR}/load-order-display`;
/** The VGA virtual console the interactive shell runs on (the one QEMU's VGA shows; the VT keyboard types into it). */
export const GUEST_VT = 'tty1';
export const GUEST_AGENT_PATH = 'sbin/rayos-agent';

/**
 * PID 1 of the guest (busybox sh). The RAYOS_GUEST:* lines go to the serial console so the host can see how
 * far a boot got. It never creates or formats /data: a missing or unreadable disk is reported, not "fixed".
 * If this script ended, the kernel would panic, so it ends in the agent respawn loop.
 *
 * The VGA console is started in the background just before the agent, so the agent's hello never waits for it:
 * a PVH boot hands the kernel no VGA text mode (screen_info is empty, vgacon stays the dummy console), so the
 * bochs DRM driver is loaded to give fbcon a framebuffer on QEMU's VGA, then an interactive shell runs on tty1,
 * respawned. Keys reach it through virtio_input and the VT keyboard handler built into the kernel (CONFIG_VT).
 */
export const INIT_SCRIPT = `#!/bin/busybox sh
# RayOS default Linux guest: PID 1. Mounts the kernel filesystems, loads modules, mounts /data, runs the agent.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root TERM=linux
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo RAYOS_GUEST:INIT_START
hostname rayos-linux
home=/root
while read -r m; do
  [ -n "$m" ] || continue
  insmod "/lib/modules/$m.ko" || echo "RAYOS_GUEST:MODULE_FAILED:$m"
done < /${GUEST_LOAD_ORDER}
# virtio_blk probes while it loads, so the disk is normally there at once; allow a moment anyway.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 20 ]; do usleep 100000; i=$((i+1)); done
if [ ! -b /dev/vda ]; then
  echo RAYOS_GUEST:DATA_MISSING
elif mount -t ext4 -o noatime /dev/vda /data; then
  echo RAYOS_GUEST:DATA_MOUNTED
  home=/data
else
  echo RAYOS_GUEST:DATA_MOUNT_FAILED
fi
echo RAYOS_GUEST:INIT_DONE
(
  while read -r m; do
    [ -n "$m" ] || continue
    insmod "/lib/modules/$m.ko" || echo "RAYOS_GUEST:MODULE_FAILED:$m"
  done < /${GUEST_DISPLAY_LOAD_ORDER}
  echo RAYOS_GUEST:VT_SHELL:${GUEST_VT}
  while :; do
    setsid -c sh -c 'cd "$1"; printf "\\nRayOS Linux subsystem - %s\\n" "$(uname -r)"; PS1="\\w # " exec sh -i' vt-shell "$home" </dev/${GUEST_VT} >/dev/${GUEST_VT} 2>&1
    sleep 1
  done
) &
while :; do
  /${GUEST_AGENT_PATH}
  echo "RAYOS_GUEST:AGENT_EXITED:$?"
  sleep 1
done
`;

export interface InitramfsInputs {
  readonly busybox: Uint8Array;
  /** Applet paths relative to the root (from `busybox --list-full`), e.g. "bin/sh", "sbin/insmod". */
  readonly applets: readonly string[];
  readonly agent: Uint8Array;
  /** Modules in load order. */
  readonly modules: readonly { readonly name: string; readonly data: Uint8Array }[];
  /** Display modules (for the VGA console) in load order, none of them in `modules`. */
  readonly displayModules?: readonly { readonly name: string; readonly data: Uint8Array }[];
}

const BASE_DIRS = ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'dev', 'proc', 'sys', 'data', 'tmp', 'run', 'root', 'etc', 'lib', GUEST_MODULES_DIR];

/** The ordered file tree of the initramfs. */
export function initramfsEntries(inputs: InitramfsInputs): CpioEntry[] {
  const entries: CpioEntry[] = BASE_DIRS.map((path) => ({ kind: 'dir', path, mode: path === 'tmp' ? 0o1777 : path === 'root' ? 0o700 : 0o755 }));
  // The kernel opens /dev/console for init before anything is mounted, so the node must be in the archive.
  entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1, mode: 0o600 });
  entries.push({ kind: 'chardev', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });
  entries.push({ kind: 'file', path: 'bin/busybox', data: inputs.busybox, mode: 0o755 });
  const dirs = new Set(BASE_DIRS);
  const taken = new Set(['bin/busybox', 'init']);
  for (const applet of [...inputs.applets].sort()) {
    const path = applet.replace(/^\/+/, '');
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    // Only applets in the standard directories, never over a file of ours.
    if (!dirs.has(dir) || taken.has(path) || !/^[A-Za-z0-9_.[\]-]+$/.test(path.slice(dir.length + 1))) continue;
    taken.add(path);
    entries.push({ kind: 'symlink', path, target: '/bin/busybox' });
  }
  entries.push({ kind: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') });
  entries.push({ kind: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\n') });
  entries.push({ kind: 'file', path: 'init', data: Buffer.from(INIT_SCRIPT), mode: 0o755 });
  entries.push({ kind: 'file', path: GUEST_AGENT_PATH, data: inputs.agent, mode: 0o755 });
  for (const m of inputs.modules) entries.push({ kind: 'file', path: `${GUEST_MODULES_DIR}/${m.name}.ko`, data: m.data });
  entries.push({ kind: 'file', path: GUEST_LOAD_ORDER, data: Buffer.from(inputs.modules.map((m) => `${m.name}\n`).join('')) });
  const display = inputs.displayModules ?? [];
  for (const m of display) entries.push({ kind: 'file', path: `${GUEST_MODULES_DIR}/${m.name}.ko`, data: m.data });
  entries.push({ kind: 'file', path: GUEST_DISPLAY_LOAD_ORDER, data: Buffer.from(display.map((m) => `${m.name}\n`).join('')) });
  return entries;
}

export function buildInitramfs(inputs: InitramfsInputs): Buffer {
  return writeCpioNewc(initramfsEntries(inputs));
}
