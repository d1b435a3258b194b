// Owns turning a validated QemuVmSpec into QEMU 7.2's argv, and the config hash that identifies a running QEMU by its argv.
import { createHash } from 'node:crypto';
import { GUEST_AGENT_PORT_NAME } from '../../contracts/guest-agent.js';
import type { QemuDisk, QemuFirmware, QemuNetwork, QemuVmSpec } from './vm-spec.js';

/** The display the input devices are bound to; QMP input-send-event takes it as `device`. */
export const DISPLAY_ID = 'video0';
export const AGENT_CHARDEV_ID = 'agent0';
export const SERIAL_CHARDEV_ID = 'serial0';
export const QGA_CHARDEV_ID = 'qga0';
/** The port name qemu-ga (Linux and Windows) opens. */
export const QGA_PORT_NAME = 'org.qemu.guest_agent.0';
/** The node of the n-th CD-ROM: cdrom0 the installer, cdrom1 the driver image. */
export const cdromNodeName = (index: number): string => `cdrom${index}`;

/**
 * The guest NIC's fixed ids. A NIC hot-plugged over QMP (netdev_add NET_NETDEV_ID, device_add NET_DEVICE_ID on
 * NET_ROOT_PORT_ID) and one given on the command line are the same device in the same slot, so a VM saved with a
 * hot-plugged NIC resumes (-loadvm) in a QEMU launched with network mode "user".
 */
export const NET_ROOT_PORT_ID = 'rp-net';
export const NET_NETDEV_ID = 'net0';
export const NET_DEVICE_ID = 'nic0';
export const NET_DEVICE_DRIVER = 'virtio-net-pci';
/** The root port's own PCIe chassis and slot numbers (the only root port RayOS adds, so 1/1 is free). */
const NET_ROOT_PORT_CHASSIS = 1;
const NET_ROOT_PORT_SLOT = 1;

/**
 * Escapes a value for QEMU's option parsers (QemuOpts and keyval): a comma ends a value, so a
 * literal one is written twice. Only for values inside "key=value,..." options; plain options
 * such as -kernel or -pidfile take the string as it is.
 */
export function qemuOptValue(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error('a QEMU option value may not contain line breaks or NUL');
  return value.replaceAll(',', ',,');
}

/**
 * The arguments (without the program) for one VM. Pure: the same spec always gives the same argv,
 * which is what lets configHash prove that a running QEMU was started with this config.
 * The spec must come from parseQemuVmSpec (or be built to its type).
 */
export function buildQemuArgv(spec: QemuVmSpec): string[] {
  const argv: string[] = [
    '-name', `guest=${qemuOptValue(spec.name)}`,
    '-uuid', spec.id,
    '-nodefaults',
    '-no-user-config',
    '-machine', machineOption(spec),
    '-accel', spec.accel,
    '-m', `${spec.memoryMiB}M`,
    '-smp', String(spec.vcpus),
  ];
  argv.push(...firmwareArgs(spec.firmware));
  if (spec.kernel !== undefined) {
    argv.push('-kernel', spec.kernel.path);
    if (spec.kernel.initrdPath !== undefined) argv.push('-initrd', spec.kernel.initrdPath);
    argv.push('-append', spec.kernel.cmdline);
  }

  // Disks: a file node and a format node each, so snapshot jobs can name the format node.
  const ideSlots = ideSlotsFor(spec.machine);
  for (const disk of spec.disks) argv.push(...diskArgs(disk, ideSlots));
  (spec.cdroms ?? []).forEach((cdrom, index) => {
    const node = cdromNodeName(index);
    argv.push(...blockNodes(node, cdrom.path, 'raw', true));
    argv.push('-device', deviceOption('ide-cd', { drive: node, id: `${node}-dev`, ...nextIdeSlot(ideSlots), bootindex: cdrom.bootIndex }));
  });

  // Display: VNC on a unix socket only (RayOS proxies it); input devices bound to this display.
  argv.push(
    '-display', 'none',
    '-vnc', `unix:${qemuOptValue(spec.display.vncSocketPath)}`,
    '-device', `VGA,id=${DISPLAY_ID}`,
    '-device', `virtio-tablet-pci,display=${DISPLAY_ID}`,
    '-device', `virtio-keyboard-pci,display=${DISPLAY_ID}`,
  );

  // A file chardev, not "-serial file:", because the compat syntax takes the path unescaped.
  argv.push('-chardev', `file,id=${SERIAL_CHARDEV_ID},path=${qemuOptValue(spec.serialLogPath)}`, '-serial', `chardev:${SERIAL_CHARDEV_ID}`);

  for (const path of spec.qmpSocketPaths) argv.push('-qmp', `unix:${qemuOptValue(path)},server=on,wait=off`);

  // The agent's argv is exactly as before the QEMU guest agent port existed: its hash must still match running QEMUs.
  if (spec.agentSocketPath !== undefined) {
    argv.push(
      '-chardev', `socket,id=${AGENT_CHARDEV_ID},path=${qemuOptValue(spec.agentSocketPath)},server=on,wait=off`,
      '-device', 'virtio-serial-pci,id=vser0',
      '-device', `virtserialport,bus=vser0.0,chardev=${AGENT_CHARDEV_ID},name=${GUEST_AGENT_PORT_NAME}`,
    );
  }
  if (spec.qgaSocketPath !== undefined) {
    argv.push('-chardev', `socket,id=${QGA_CHARDEV_ID},path=${qemuOptValue(spec.qgaSocketPath)},server=on,wait=off`);
    if (spec.agentSocketPath === undefined) argv.push('-device', 'virtio-serial-pci,id=vser0');
    argv.push('-device', `virtserialport,bus=vser0.0,chardev=${QGA_CHARDEV_ID},name=${QGA_PORT_NAME}`);
  }

  argv.push(...networkArgs(spec.machine, spec.network));

  if (spec.tpm !== undefined) {
    argv.push(
      '-chardev', `socket,id=chrtpm,path=${qemuOptValue(spec.tpm.socketPath)}`,
      '-tpmdev', 'emulator,id=tpm0,chardev=chrtpm',
      '-device', 'tpm-tis,tpmdev=tpm0',
    );
  }

  if (spec.loadvmTag !== undefined) argv.push('-loadvm', spec.loadvmTag);
  if (spec.startPaused) argv.push('-S');
  if (spec.logPath !== undefined) argv.push('-D', spec.logPath);
  // Always a daemon: QEMU outlives the runtime, and its parent exits only once init succeeded or failed.
  argv.push('-daemonize', '-pidfile', spec.pidFilePath);
  return argv;
}

/** sha256 (hex) of the arguments joined by NUL, the way /proc/PID/cmdline holds them (program excluded). */
export function configHash(argv: readonly string[]): string {
  return createHash('sha256').update(argv.join('\0')).digest('hex');
}

function machineOption(spec: QemuVmSpec): string {
  const parts: string[] = [spec.machine];
  if (spec.firmware.kind === 'uefi') {
    if (spec.firmware.secureBoot) parts.push('smm=on');
    parts.push('pflash0=fw-code', 'pflash1=fw-vars');
  }
  return parts.join(',');
}

function firmwareArgs(firmware: QemuFirmware): string[] {
  if (firmware.kind === 'bios') return [];
  const args = [
    ...blockNodes('fw-code', firmware.codePath, 'raw', true),
    ...blockNodes('fw-vars', firmware.varsPath, firmware.varsFormat ?? 'raw', false),
  ];
  // Only SMM code may write the variables, or a guest could switch Secure Boot off.
  if (firmware.secureBoot) args.push('-global', 'driver=cfi.pflash01,property=secure,value=on');
  return args;
}

function blockNodes(nodeName: string, path: string, format: 'raw' | 'qcow2', readOnly: boolean): string[] {
  const ro = readOnly ? ',read-only=on' : '';
  return [
    '-blockdev', `driver=file,filename=${qemuOptValue(path)},node-name=${nodeName}-file${ro}`,
    '-blockdev', `driver=${format},file=${nodeName}-file,node-name=${nodeName}${ro}`,
  ];
}

type IdeSlot = { bus: string; unit: number };

// AHCI/IDE devices need an explicit free port: left to itself, QEMU puts a second device on a full bus.
function ideSlotsFor(machine: QemuVmSpec['machine']): IdeSlot[] {
  if (machine === 'q35') return [0, 1, 2, 3, 4, 5].map((port) => ({ bus: `ide.${port}`, unit: 0 }));
  return [0, 1, 2, 3].map((i) => ({ bus: `ide.${i >> 1}`, unit: i & 1 }));
}

function nextIdeSlot(slots: IdeSlot[]): IdeSlot {
  const slot = slots.shift();
  // The spec schema counts slots, so running out here is a caller that skipped validation.
  if (slot === undefined) throw new Error('more AHCI/IDE devices than the machine has slots');
  return slot;
}

function diskArgs(disk: QemuDisk, ideSlots: IdeSlot[]): string[] {
  const nodes = blockNodes(disk.nodeName, disk.path, disk.format, disk.readOnly);
  if (disk.bus === 'virtio') {
    return [...nodes, '-device', deviceOption('virtio-blk-pci', { drive: disk.nodeName, id: `${disk.nodeName}-dev`, bootindex: disk.bootIndex })];
  }
  return [...nodes, '-device', deviceOption('ide-hd', { drive: disk.nodeName, id: `${disk.nodeName}-dev`, ...nextIdeSlot(ideSlots), bootindex: disk.bootIndex })];
}

function deviceOption(driver: string, props: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return [driver, ...pairs].join(',');
}

/**
 * On q35 a PCIe root port is always there (after every other PCI device, so their addresses do not move), empty
 * unless the network is on: a NIC can then be hot-plugged into it, and a QEMU started with mode "user" has the
 * very device layout a hot-plug produces. pc has no PCIe root ports; its NIC sits on the root bus.
 */
function networkArgs(machine: QemuVmSpec['machine'], network: QemuNetwork): string[] {
  const args: string[] = [];
  if (machine === 'q35') args.push('-device', deviceOption('pcie-root-port', { id: NET_ROOT_PORT_ID, chassis: NET_ROOT_PORT_CHASSIS, slot: NET_ROOT_PORT_SLOT }));
  if (network.mode === 'none') return [...args, '-nic', 'none'];
  const forwards = (network.hostForwards ?? []).map(
    (f) => `hostfwd=${f.protocol}:${f.hostAddress ?? '127.0.0.1'}:${f.hostPort}-:${f.guestPort}`,
  );
  args.push('-netdev', ['user', `id=${NET_NETDEV_ID}`, ...forwards].join(','));
  args.push('-device', deviceOption(NET_DEVICE_DRIVER, { id: NET_DEVICE_ID, netdev: NET_NETDEV_ID, bus: machine === 'q35' ? NET_ROOT_PORT_ID : undefined }));
  return args;
}
