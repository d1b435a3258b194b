// The vm service's public surface: the only file other folders import.
export { beginAcceleratorProbe, createVmService, DEFAULT_LINUX_CMDLINE, type VmQmpCommand, type VmQmpHandle, type VmService, type VmSupervisor } from './vm-service.js';
export type { SnapshotInfo } from './vm-operations.js';
export { runWindowsCheck, type RunWindowsCheckOptions } from './windows-check.js';
export { WINDOWS_11_MINIMUM, WINDOWS_PROFILE, type WindowsProfile } from './windows-profile.js';
