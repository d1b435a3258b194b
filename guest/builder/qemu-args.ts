// Owns the reference QEMU command line for the default Linux guest: what its kernel, init and agent expect to find.
import { join } from 'node:path';
import { GUEST_AGENT_PORT_NAME } from '../../src/contracts/guest-agent.js';
import { DISPLAY_ID } from '../../src/platform/qemu/qemu-argv.js';

export interface LinuxGuestQemuOptions {
  /** An installed (or cached) image folder: vmlinuz, initrd.img. */
  readonly imageDir: string;
  /** The manifest's kernelCmdline. */
  readonly cmdline: string;
  /** qcow2 with an ext4 filesystem; the guest sees it as /dev/vda and mounts it at /data. */
  readonly dataDiskPath: string;
  readonly agentSocketPath: string;
  readonly serialLogPath: string;
  readonly memoryMiB?: number;
  /**
   * Adds the display RayOS presents, as qemu-argv.ts does: VGA `video0` (the guest's tty1 shell) with a virtio
   * keyboard and tablet bound to it, so QMP input-send-event with device "video0" types into tty1. Default: none.
   */
  readonly display?: boolean;
  /** A QMP socket (server, no wait), for input-send-event and screendump. */
  readonly qmpSocketPath?: string;
  readonly accel?: 'tcg' | 'kvm';
}

/** QEMU splits option strings at commas; a comma inside a value is written twice. */
const optValue = (s: string): string => s.replace(/,/g, ',,');

/**
 * Everything after `qemu-system-x86_64`. The guest needs: the kernel and initrd with that command line, the
 * serial console on ttyS0 (its RAYOS_GUEST:* lines), the data disk as the first virtio-blk device, and a
 * virtio-serial port named org.rayos.agent.0 whose chardev is the agent socket.
 */
export function linuxGuestQemuArgs(o: LinuxGuestQemuOptions): string[] {
  const display = o.display === true
    ? ['-device', `VGA,id=${DISPLAY_ID}`, '-device', `virtio-tablet-pci,display=${DISPLAY_ID}`, '-device', `virtio-keyboard-pci,display=${DISPLAY_ID}`]
    : [];
  const qmp = o.qmpSocketPath === undefined ? [] : ['-qmp', `unix:${optValue(o.qmpSocketPath)},server=on,wait=off`];
  return [
    '-accel', o.accel ?? 'tcg',
    '-machine', 'q35',
    '-m', String(o.memoryMiB ?? 256),
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-kernel', join(o.imageDir, 'vmlinuz'),
    '-initrd', join(o.imageDir, 'initrd.img'),
    '-append', o.cmdline,
    // A file chardev rather than "-serial file:", whose compat syntax cannot escape a path.
    '-chardev', `file,id=serial0,path=${optValue(o.serialLogPath)}`,
    '-serial', 'chardev:serial0',
    '-blockdev', `driver=file,filename=${optValue(o.dataDiskPath)},node-name=data-file`,
    '-blockdev', 'driver=qcow2,file=data-file,node-name=data',
    '-device', 'virtio-blk-pci,drive=data,id=data-disk',
    '-chardev', `socket,id=agent0,path=${optValue(o.agentSocketPath)},server=on,wait=off`,
    '-device', 'virtio-serial-pci,id=vser0',
    '-device', `virtserialport,bus=vser0.0,chardev=agent0,name=${GUEST_AGENT_PORT_NAME}`,
    ...display,
    ...qmp,
  ];
}
