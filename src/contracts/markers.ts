// Owns the marker catalog: every deterministic RAYOS_<AREA>:<EVENT>[:<arg>]… line RayOS prints and journals.
import { z } from 'zod';

export interface MarkerSpec {
  readonly area: string;
  readonly event: string;
  /** Names of the colon-separated arguments, in order. */
  readonly args: readonly string[];
  readonly meaning: string;
}

export const MARKER_CATALOG = [
  { area: 'RAYOS_RUNTIME', event: 'STARTING', args: ['version', 'pid'], meaning: 'the runtime process began booting' },
  { area: 'RAYOS_RUNTIME', event: 'DATA_DIR', args: ['path'], meaning: 'the data directory in use' },
  { area: 'RAYOS_RUNTIME', event: 'STALE_LOCK', args: ['pid'], meaning: 'a lock left by a dead runtime was taken over' },
  { area: 'RAYOS_RUNTIME', event: 'STOPPING', args: ['reason'], meaning: 'shutdown began (signal name or failure code)' },
  { area: 'RAYOS_RUNTIME', event: 'STOPPED', args: ['reason'], meaning: 'every service stopped; the process exits next' },
  { area: 'RAYOS_SERVICE', event: 'STARTING', args: ['service'], meaning: 'a service start began' },
  { area: 'RAYOS_SERVICE', event: 'STARTED', args: ['service'], meaning: 'a service is ready' },
  { area: 'RAYOS_SERVICE', event: 'FAILED', args: ['service', 'code'], meaning: 'a service failed to start' },
  { area: 'RAYOS_SERVICE', event: 'STOPPING', args: ['service'], meaning: 'a service stop began' },
  { area: 'RAYOS_SERVICE', event: 'STOPPED', args: ['service'], meaning: 'a service stopped' },
  { area: 'RAYOS_SERVICE', event: 'STOP_TIMEOUT', args: ['service'], meaning: 'a service missed its stop deadline and was abandoned' },
  { area: 'RAYOS_BOOT_MARKER', event: 'READY', args: [], meaning: 'every service started; the runtime is ready' },
  { area: 'RAYOS_BOOT_MARKER', event: 'FAILED', args: ['code'], meaning: 'boot failed; started services are stopped in reverse' },
  { area: 'RAYOS_STORAGE', event: 'MIGRATED', args: ['fromVersion', 'toVersion'], meaning: 'the state database schema was migrated' },
  { area: 'RAYOS_JOURNAL', event: 'OPENED', args: ['nextSeq'], meaning: 'the journal is open; the next record gets this sequence' },
  { area: 'RAYOS_JOURNAL', event: 'TRUNCATED', args: ['bytes'], meaning: 'a torn tail of this many bytes was cut from the last segment' },
  { area: 'RAYOS_JOURNAL', event: 'CORRUPT', args: ['segment', 'offset'], meaning: 'a damaged record inside an older segment; later records of that segment are unreadable' },
  { area: 'RAYOS_JOURNAL', event: 'ROTATED', args: ['segment'], meaning: 'a new segment was started' },
  { area: 'RAYOS_JOURNAL', event: 'PRUNED', args: ['segment'], meaning: 'the oldest segment was deleted to respect the retention limit' },
  { area: 'RAYOS_API', event: 'LISTENING_UNIX', args: ['socketPath'], meaning: 'the control API listens on its owner-only unix socket' },
  { area: 'RAYOS_API', event: 'LISTENING_TCP', args: ['host', 'port'], meaning: 'the control API listens on loopback TCP (bearer token required)' },
  { area: 'RAYOS_VM', event: 'ACCEL', args: ['accel', 'reason'], meaning: 'the accelerator VMs will use (kvm, or tcg with why)' },
  { area: 'RAYOS_VM', event: 'CREATED', args: ['vm'], meaning: 'a VM was registered with a new identity and disk' },
  { area: 'RAYOS_VM', event: 'STARTING', args: ['vm'], meaning: 'QEMU is being launched for a cold boot' },
  { area: 'RAYOS_VM', event: 'RUNNING', args: ['vm', 'pid'], meaning: 'QEMU runs and answers QMP' },
  { area: 'RAYOS_VM', event: 'PAUSED', args: ['vm'], meaning: 'the vCPUs were stopped (RAM kept)' },
  { area: 'RAYOS_VM', event: 'CONTINUED', args: ['vm'], meaning: 'a paused VM runs again' },
  { area: 'RAYOS_VM', event: 'SUSPENDING', args: ['vm'], meaning: 'the VM state is being saved into its disk' },
  { area: 'RAYOS_VM', event: 'SUSPENDED', args: ['vm', 'tag'], meaning: 'the VM state is saved and QEMU has exited' },
  { area: 'RAYOS_VM', event: 'RESUMING', args: ['vm', 'tag'], meaning: 'QEMU is being launched from saved state' },
  { area: 'RAYOS_VM', event: 'RESUMED', args: ['vm'], meaning: 'the VM runs again from its saved state' },
  { area: 'RAYOS_VM', event: 'CLOCK_SET', args: ['vm'], meaning: 'after a resume, the guest agent (RayOS\'s, or qemu-ga) set the guest clock to the host\'s: the guest slept through the time it was saved' },
  { area: 'RAYOS_VM', event: 'CLOCK_NOT_SET', args: ['vm', 'code'], meaning: 'after a resume, the guest agent could not set the guest clock (the runtime log says why); the guest runs on with its own' },
  { area: 'RAYOS_VM', event: 'REATTACHED', args: ['vm', 'pid'], meaning: 'a QEMU left running by an earlier runtime was taken over' },
  { area: 'RAYOS_POLICY', event: 'LOADED', args: ['files', 'policies'], meaning: 'the policy set in force was parsed and validated (at start or on reload)' },
  { area: 'RAYOS_POLICY', event: 'APPLIED', args: ['file'], meaning: 'a policy file was validated and put in force' },
  { area: 'RAYOS_POLICY', event: 'DEFAULT_UPGRADED', args: ['file'], meaning: 'an earlier default policy set nobody had edited was replaced by the current one at start' },
  { area: 'RAYOS_POLICY', event: 'REJECTED', args: ['file', 'code'], meaning: 'a policy file was refused; the set in force is unchanged' },
  { area: 'RAYOS_POLICY', event: 'DENIED', args: ['action', 'resource'], meaning: 'an action was denied by policy' },
  { area: 'RAYOS_POLICY', event: 'ASK', args: ['question', 'action', 'resource'], meaning: 'policy asks the person before the action runs' },
  { area: 'RAYOS_POLICY', event: 'ANSWERED', args: ['question', 'answer'], meaning: 'the person answered a policy question (allow or deny)' },
  { area: 'RAYOS_POLICY', event: 'EXPIRED', args: ['question'], meaning: 'a policy question was not answered in time; the action is denied' },
  { area: 'RAYOS_POLICY', event: 'NETWORK', args: ['vm', 'state', 'reason'], meaning: 'guest networking of the VM was turned on or off' },
  { area: 'RAYOS_VM', event: 'RECORD_CORRUPT', args: ['vm'], meaning: 'a VM row in state.db does not read back; that VM is skipped and left alone' },
  { area: 'RAYOS_VM', event: 'REATTACH_FAILED', args: ['vm', 'reason'], meaning: 'a QEMU of the VM is alive but could not be taken over; it is left running' },
  { area: 'RAYOS_VM', event: 'STOPPING', args: ['vm', 'how'], meaning: 'the VM is being shut down (guest, acpi or forced)' },
  { area: 'RAYOS_VM', event: 'STOPPED', args: ['vm'], meaning: 'QEMU of the VM has exited after a stop' },
  { area: 'RAYOS_VM', event: 'FAILED', args: ['vm', 'reason'], meaning: 'the VM failed (QEMU exited or a step failed)' },
  { area: 'RAYOS_VM', event: 'SNAPSHOT_SAVED', args: ['vm', 'tag'], meaning: 'a named snapshot was saved into the VM disk' },
  { area: 'RAYOS_VM', event: 'SNAPSHOT_RESTORED', args: ['vm', 'tag'], meaning: 'the VM was restored from a named snapshot' },
  { area: 'RAYOS_VM', event: 'STORAGE_MISSING', args: ['vm'], meaning: 'the folder of the VM is not where its storage setting points (disk not attached, or the setting changed): the VM is neither started nor recreated until it is back' },
  { area: 'RAYOS_VM', event: 'RESET', args: ['vm'], meaning: 'the VM was recreated from scratch on explicit request' },
  { area: 'RAYOS_LINUX', event: 'GUEST_READY', args: [], meaning: 'the Linux guest agent answered hello' },
  { area: 'RAYOS_LINUX', event: 'IMAGE_MISSING', args: [], meaning: 'no default Linux guest image is installed; run "rayos guest build"' },
  { area: 'RAYOS_WINDOWS', event: 'REPLACING', args: ['vm'], meaning: 'a provision with --replace --yes is destroying the Windows VM (its disk, UEFI variables and TPM state) before making it again' },
  { area: 'RAYOS_WINDOWS', event: 'PROVISIONED', args: ['vm'], meaning: 'the Windows VM was made once: identity, 64 GiB sparse disk, its own Secure Boot UEFI variables, a new TPM 2.0 state, the installer recorded for its first boot' },
  { area: 'RAYOS_WINDOWS', event: 'INSTALLER_ATTACHED', args: ['vm', 'count'], meaning: 'the launch that installs Windows has the installer (and the driver image: count 2) as CD-ROMs; later cold starts have none' },
  { area: 'RAYOS_WINDOWS', event: 'GUEST_READY', args: [], meaning: 'the QEMU guest agent in the Windows guest answered guest-sync (the guest is up, and can be shut down cleanly through it)' },
  { area: 'RAYOS_WINDOWS', event: 'NO_AGENT', args: [], meaning: 'no QEMU guest agent answered within vm.guestReadyTimeoutMs (Windows still installing, or qemu-ga from virtio-win not installed); RayOS keeps listening and says GUEST_READY if it answers later' },
  { area: 'RAYOS_WINDOWS', event: 'TPM_STARTED', args: ['vm', 'pid'], meaning: 'swtpm runs on the VM\'s own TPM state, before QEMU is launched or resumed' },
  { area: 'RAYOS_GUEST', event: 'BUILD_STEP', args: ['step'], meaning: 'a step of the default Linux guest build began' },
  { area: 'RAYOS_GUEST', event: 'BUILT', args: ['key'], meaning: 'the default Linux guest image is ready (built or from cache)' },
  { area: 'RAYOS_PRESENTATION', event: 'SURFACE_CREATE', args: ['vm', 'size'], meaning: 'a running VM got its surface (hidden), WIDTHxHEIGHT of its display mode' },
  { area: 'RAYOS_PRESENTATION', event: 'SURFACE_UNAVAILABLE', args: ['vm'], meaning: 'the VM stopped: its surface is unavailable until it runs again (a presented window stays, saying so)' },
  { area: 'RAYOS_PRESENTATION', event: 'ARRANGEMENT_IGNORED', args: ['why'], meaning: 'the saved window arrangement did not parse; windows open in their default places (it is rewritten on the next move)' },
  { area: 'RAYOS_PRESENTATION', event: 'ARRANGEMENT_NOT_SAVED', args: ['error'], meaning: 'the window arrangement could not be written to the state database; the move itself took effect' },
  { area: 'RAYOS_PRESENTATION', event: 'PRESENTED', args: ['vm'], meaning: 'the surface of the VM is shown (QEMU untouched)' },
  { area: 'RAYOS_PRESENTATION', event: 'HIDDEN', args: ['vm'], meaning: 'the surface of the VM is no longer shown (QEMU untouched)' },
  { area: 'RAYOS_PRESENTATION', event: 'FOCUSED', args: ['vm'], meaning: 'the surface that receives input ("none" when no surface has focus)' },
  {
    area: 'RAYOS_PRESENTATION',
    event: 'FIRST_FRAME',
    args: ['vm'],
    meaning: 'after a present, the first RFB bytes from QEMU\'s VNC socket were relayed to a frames (VNC WebSocket) client; once per present, whoever views first',
  },
  { area: 'RAYOS_INPUT', event: 'DROPPED', args: ['vm', 'reason'], meaning: 'input for the VM was dropped before reaching it: hidden, unfocused or denied' },
  { area: 'RAYOS_CONDUCTOR', event: 'HANDLED', args: ['intent', 'outcome'], meaning: 'the conductor finished a request: done, denied, failed, clarify, inform or out_of_scope ("rayos explain <intent>" says why)' },
  { area: 'RAYOS_CONDUCTOR', event: 'LLM', args: ['backend'], meaning: 'the conductor started with this LLM second opinion: off, openai or llama (cognition.llm.backend)' },
  { area: 'RAYOS_CONDUCTOR', event: 'LLM_UNUSABLE', args: ['backend'], meaning: 'the configured LLM backend cannot be used (rayos status says why); the embedded engine works alone' },
  { area: 'RAYOS_SYSTEMD', event: 'READY_SENT', args: [], meaning: 'under systemd (NOTIFY_SOCKET set): READY=1 reached the service manager, right after RAYOS_BOOT_MARKER:READY' },
  { area: 'RAYOS_SYSTEMD', event: 'NOTIFY_FAILED', args: ['what'], meaning: 'a systemd-notify message (ready, watchdog, stopping) could not be sent; the runtime keeps running (rayos log show says why)' },
  { area: 'RAYOS_SYSTEMD', event: 'WATCHDOG', args: ['intervalMs'], meaning: 'the runtime pets the systemd service watchdog (WATCHDOG=1) every intervalMs from its event loop, half of WatchdogSec' },
  { area: 'RAYOS_DIAGNOSTICS', event: 'FAULT', args: ['fault'], meaning: 'an injected fault (config diagnostics.fault) is about to take effect: hang-at-start or hang-after-ready block the event loop forever' },
  { area: 'RAYOS_BOOTMGR', event: 'BLESSED', args: ['entry'], meaning: 'the current boot was marked good: its counted entry file was renamed to the plain name (entry: the systemd-boot id, e.g. rayos-1.0.conf)' },
  { area: 'RAYOS_BOOTMGR', event: 'ALREADY_BLESSED', args: ['entry'], meaning: 'bless found the current boot already good (blessed before, or never counted); nothing changed' },
  { area: 'RAYOS_BOOTMGR', event: 'NEXT_SET', args: ['entry'], meaning: 'LoaderEntryOneShot was written: the next boot (only) goes to this entry, later boots follow the boot order' },
  { area: 'RAYOS_IMAGE', event: 'STEP', args: ['step'], meaning: 'rayos image build began a step (root-tree, root-compose, root-image, recovery, disk, medium); a progress line on stderr says what' },
  { area: 'RAYOS_IMAGE', event: 'DISK_WRITTEN', args: ['path'], meaning: 'rayos image build --disk wrote a disk image with RayOS installed' },
  { area: 'RAYOS_IMAGE', event: 'MEDIUM_WRITTEN', args: ['path'], meaning: 'rayos image build wrote the installer/USB image' },
  { area: 'RAYOS_IMAGE', event: 'BUILT', args: ['version'], meaning: 'rayos image build finished' },
  { area: 'RAYOS_INSTALLER', event: 'DISK_DETECTED', args: ['name', 'bytes', 'model'], meaning: 'rayos install found a disk (one line per disk, before anything is asked or written)' },
  { area: 'RAYOS_INSTALLER', event: 'WIPING', args: ['disk'], meaning: 'both confirmations were given (or --yes): the target is being partitioned and written now' },
  { area: 'RAYOS_INSTALLER', event: 'FIRMWARE_ENTRY', args: ['variable'], meaning: 'the installer set the UEFI firmware boot entry for systemd-boot on the target (variable: Boot####, now first in BootOrder), as bootctl install does' },
  { area: 'RAYOS_INSTALLER', event: 'STORAGE', args: ['kind', 'disk'], meaning: 'a VM storage disk was erased and written (kind: linux or windows; one GPT partition rayos-vm-<kind>, ext4)' },
  { area: 'RAYOS_INSTALLER', event: 'DONE', args: [], meaning: 'RayOS is installed on the target and synced; it boots by itself from now on' },
  { area: 'RAYOS_RECOVERY', event: 'INIT', args: [], meaning: 'the recovery/installer initramfs started (PID 1 is busybox sh)' },
  { area: 'RAYOS_RECOVERY', event: 'BOOTED', args: ['mode'], meaning: 'the recovery console runs (mode: installer on the medium, recovery on an installed disk)' },
  { area: 'RAYOS_RECOVERY', event: 'REASON', args: ['why', 'entry'], meaning: 'why recovery booted: boot-failed (entry ran out of tries), requested (rayos recovery or the menu), or unknown' },
  { area: 'RAYOS_RECOVERY', event: 'CONSOLE_EXITED', args: ['code'], meaning: 'the recovery console ended; PID 1 offers a shell, then starts it again' },
  { area: 'RAYOS_UPDATE', event: 'SLOT_WRITTEN', args: ['slot'], meaning: 'rayos update apply wrote the new root image into the slot not running (rayos-root-a or rayos-root-b)' },
  { area: 'RAYOS_UPDATE', event: 'ENTRY_ADDED', args: ['entry'], meaning: 'the new version has a counted boot entry: it boots next, and falls back to the blessed one if it never reaches READY' },
] as const satisfies readonly MarkerSpec[];

type Catalog = (typeof MARKER_CATALOG)[number];
export type MarkerArea = Catalog['area'];
export type MarkerEventOf<A extends MarkerArea> = Extract<Catalog, { area: A }>['event'];

/** Marker arguments may not contain ':' or newlines, so a line always splits back into its parts. */
export function sanitizeMarkerArg(arg: string | number): string {
  return String(arg).replace(/[:\r\n]/g, '_');
}

export function formatMarker(area: string, event: string, args: readonly (string | number)[]): string {
  return [area, event, ...args.map(sanitizeMarkerArg)].join(':');
}

export const MARKER_LINE = /^RAYOS_[A-Z0-9_]+:[A-Z0-9_]+(?::[^:\r\n]*)*$/;

export const MarkerRecordSchema = z.object({
  area: z.string(),
  event: z.string(),
  args: z.array(z.string()),
  line: z.string(),
});
export type MarkerRecord = z.infer<typeof MarkerRecordSchema>;

export function findMarkerSpec(area: string, event: string): MarkerSpec | undefined {
  return (MARKER_CATALOG as readonly MarkerSpec[]).find((m) => m.area === area && m.event === event);
}
