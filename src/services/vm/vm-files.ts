// Owns where a VM's files live inside its storage directory (<data>/vm or the configured one): its folder, sockets, logs and disks.
import { join } from 'node:path';
import { insideVmDir, type VmRecord } from './vm-registry.js';

/** Linux limits unix socket paths to 107 bytes; a deep data directory would break QEMU's sockets silently. */
export const MAX_SOCKET_PATH = 107;

export interface VmFiles {
  /** The storage directory the VM's folder is in. */
  readonly root: string;
  readonly dir: string;
  readonly qmpSockets: readonly [string, string];
  readonly agentSocket: string;
  readonly qgaSocket: string;
  readonly vncSocket: string;
  readonly serialLog: string;
  readonly qemuLog: string;
  readonly pidFile: string;
  disk(file: string): string;
}

export function vmFiles(vmRoot: string, record: Pick<VmRecord, 'id'>): VmFiles {
  const dir = join(vmRoot, record.id);
  return {
    root: vmRoot,
    dir,
    qmpSockets: [join(dir, 'qmp-0.sock'), join(dir, 'qmp-1.sock')],
    agentSocket: join(dir, 'agent.sock'),
    qgaSocket: join(dir, 'qga.sock'),
    vncSocket: join(dir, 'vnc.sock'),
    serialLog: join(dir, 'serial.log'),
    qemuLog: join(dir, 'qemu.log'),
    pidFile: join(dir, 'qemu.pid'),
    disk: (file) => insideVmDir(dir, file),
  };
}

export function longestSocketPath(files: VmFiles): string {
  return [...files.qmpSockets, files.agentSocket, files.qgaSocket, files.vncSocket, join(files.dir, 'swtpm.sock')].reduce((a, b) => (b.length > a.length ? b : a));
}
