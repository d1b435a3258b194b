// The vm service's public surface: the only file other folders import.
export { createVmService, DEFAULT_LINUX_CMDLINE, type VmQmpCommand, type VmQmpHandle, type VmService, type VmSupervisor } from './vm-service.js';
export type { SnapshotInfo } from './vm-operations.js';
