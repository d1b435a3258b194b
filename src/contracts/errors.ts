// Owns the catalog of stable error codes (RAYOS_<AREA>_<WHAT>) and the error shape every boundary returns.
import { z } from 'zod';

/** Every code RayOS may return. Codes are stable: add, never rename. */
export const ERROR_CODES = {
  RAYOS_CONFIG_UNKNOWN_KEY: 'a configuration key RayOS does not know',
  RAYOS_CONFIG_INVALID_VALUE: 'a configuration value of the wrong type or out of range',
  RAYOS_CONFIG_PARSE: 'a configuration file that is not valid TOML or JSON',
  RAYOS_RUNTIME_LOCKED: 'another runtime holds the data directory',
  RAYOS_RUNTIME_DATA_DIR: 'the data directory cannot be created or used',
  RAYOS_SERVICE_MISSING_DEPENDENCY: 'a service depends on one that is not registered',
  RAYOS_SERVICE_DEPENDENCY_CYCLE: 'services depend on each other in a cycle',
  RAYOS_SERVICE_DUPLICATE: 'two services share a name',
  RAYOS_SERVICE_START_TIMEOUT: 'a service did not become ready in time',
  RAYOS_SERVICE_START_FAILED: 'a service failed while starting',
  RAYOS_SERVICE_STOP_TIMEOUT: 'a service did not stop before its deadline',
  RAYOS_STORAGE_DB_TOO_NEW: 'the state database was written by a newer RayOS',
  RAYOS_STORAGE_MIGRATION_FAILED: 'a state database migration failed',
  RAYOS_JOURNAL_CLOSED: 'an append after the journal was closed',
  RAYOS_JOURNAL_RECORD_TOO_LARGE: 'a journal record larger than the limit',
  RAYOS_JOURNAL_IO: 'the journal could not be written',
  RAYOS_API_UNAUTHORIZED: 'an API call without a valid token',
  RAYOS_API_BAD_REQUEST: 'an API body or query of the wrong shape',
  RAYOS_API_BODY_TOO_LARGE: 'an API body over the size limit',
  RAYOS_API_NOT_FOUND: 'an API route that does not exist',
  RAYOS_API_RATE_LIMITED: 'too many API calls from one client',
  RAYOS_API_ADDRESS_IN_USE: 'the API port or socket is already in use',
  RAYOS_API_INTERNAL: 'an unexpected failure inside the runtime',
  RAYOS_CLI_NOT_RUNNING: 'no runtime answers on the data directory',
  RAYOS_CLI_USAGE: 'an unknown command or flag, or a bad argument',
  RAYOS_CLI_PROTOCOL: 'the runtime answered something the CLI cannot read',
  RAYOS_CLI_TIMEOUT: 'the runtime accepted the connection but did not answer in time',
  RAYOS_QMP_CONNECT: 'the QMP socket of a VM cannot be reached',
  RAYOS_QMP_TIMEOUT: 'QEMU did not answer a QMP command in time',
  RAYOS_QMP_CLOSED: 'the QMP connection closed (QEMU exited or dropped the client)',
  RAYOS_QMP_PROTOCOL: 'QEMU sent something that is not valid QMP',
  RAYOS_QMP_COMMAND_FAILED: 'QEMU refused or failed a QMP command',
  RAYOS_QMP_JOB_FAILED: 'a QMP job (snapshot save or load) ended in error',
  RAYOS_VM_NOT_FOUND: 'no VM with that name or id',
  RAYOS_VM_BAD_NAME: 'a VM name that is not allowed',
  RAYOS_VM_EXISTS: 'a VM with that name already exists',
  RAYOS_VM_RECORD_CORRUPT: 'a VM row in the state database does not read back; the VM is left alone',
  RAYOS_VM_ILLEGAL_TRANSITION: 'the VM cannot do that from its current state',
  RAYOS_VM_BUSY: 'another operation on the VM is in progress',
  RAYOS_VM_LAUNCH_FAILED: 'QEMU could not be started for the VM',
  RAYOS_VM_DISK_FAILED: 'a VM disk could not be created',
  RAYOS_VM_REATTACH_FAILED: 'a running QEMU of the VM was found but could not be reattached',
  RAYOS_VM_QEMU_EXITED: 'the QEMU process of the VM exited unexpectedly',
  RAYOS_VM_SNAPSHOT_NOT_FOUND: 'no snapshot with that tag',
  RAYOS_VM_CONFIRM_REQUIRED: 'a destructive operation needs explicit confirmation',
  RAYOS_VM_ACCEL: 'the accelerator probe failed',
  RAYOS_VM_STORAGE_MISSING: 'the folder that holds a VM (under vm.linuxStorage / vm.windowsStorage, or vm/ of the data directory) is not there: its disk is not attached or the setting changed; RayOS neither starts nor recreates the VM',
  RAYOS_GUEST_AGENT_UNAVAILABLE: 'the guest agent is not connected',
  RAYOS_GUEST_AGENT_TIMEOUT: 'the guest agent did not answer in time',
  RAYOS_GUEST_AGENT_PROTOCOL: 'the guest agent sent something that is not valid protocol',
  RAYOS_GUEST_EXEC_FAILED: 'the guest agent could not run the command',
  RAYOS_GUEST_IMAGE_MISSING: 'the default Linux guest image has not been built',
  RAYOS_GUEST_BUILD_FAILED: 'building the default Linux guest failed',
  RAYOS_POLICY_DENIED: 'the policy in force does not allow the action',
  RAYOS_POLICY_ASK_DECLINED: 'the person asked about the action said no, or did not answer in time',
  RAYOS_POLICY_INVALID: 'a policy file does not parse or does not fit the RayOS schema',
  RAYOS_POLICY_LOCKOUT: 'a policy set that would forbid changing the policy itself',
  RAYOS_POLICY_BAD_FILE_NAME: 'a policy file name that is not allowed',
  RAYOS_POLICY_FILE_NOT_FOUND: 'no policy file with that name',
  RAYOS_POLICY_BAD_REQUEST: 'a policy test request of the wrong shape',
  RAYOS_POLICY_QUESTION_NOT_FOUND: 'no open policy question with that id',
  RAYOS_POLICY_ENGINE: 'the Cedar engine failed unexpectedly',
  RAYOS_DISPLAY_SURFACE_NOT_FOUND: 'no surface for that VM (a VM gets one when it runs)',
  RAYOS_DISPLAY_SURFACE_UNAVAILABLE: 'the surface of a VM that is not running',
  RAYOS_DISPLAY_NOT_PRESENTED: 'the surface is hidden, so it cannot take focus or stream frames',
  RAYOS_DISPLAY_VNC_UNREACHABLE: "QEMU's VNC socket of the VM could not be reached or closed the stream",
  RAYOS_DISPLAY_SCREENSHOT_FAILED: 'the screen of a VM could not be captured',
  RAYOS_INPUT_UNKNOWN_KEY: 'a key code, key name or character RayOS cannot map to a QEMU key',
  RAYOS_PERCEPTION_BAD_SAMPLES: 'a batch of gaze or pointer samples of the wrong shape or over the size limit',
  RAYOS_PERCEPTION_BAD_SCENE: 'a scene for the attention field of the wrong shape',
  RAYOS_PERCEPTION_BAD_SIGNAL: 'a silence or hesitation signal of the wrong shape',
  RAYOS_PERCEPTION_BAD_TRACKER: 'tracker settings that are not a positive accuracy and pixels per degree',
  RAYOS_CONDUCTOR_BAD_REQUEST: 'an intent request of the wrong shape',
  RAYOS_CONDUCTOR_UNKNOWN_INTENT: 'no intent with that id (in memory or in the journal)',
  RAYOS_CONDUCTOR_NO_QUESTION: 'an answer to a question that is not open (answered, cancelled or never asked)',
  RAYOS_CONDUCTOR_BAD_OPTION: 'an answer that is not one of the options of the question',
  RAYOS_CLI_WRITE_FAILED: 'the CLI could not write the output file',
  RAYOS_EVAL_FILE_UNREADABLE: 'an eval scenario file that does not exist or cannot be read',
  RAYOS_EVAL_BAD_SCENARIO: 'a line of an eval scenario file that is not JSON or not a valid scenario (the message names the line)',
  RAYOS_EVAL_NO_SCENARIOS: 'an eval scenario file with no scenarios in it',
  RAYOS_CLI_BAD_FILE: 'an input file (e.g. a gaze trace) that cannot be read or has the wrong shape',
  RAYOS_CLI_NOT_BUILT: 'a RayOS program the CLI runs (the image program) is not built; run "npx tsc -b" or ./rayos setup',
  RAYOS_VOICE_UNAVAILABLE: 'voice is off because pocketsphinx, pocketsphinx-en-us or espeak-ng is not installed (the message has the apt-get line)',
  RAYOS_VOICE_BAD_AUDIO: 'audio that is not a WAV file RayOS can read (RIFF/WAVE, PCM 16-bit, 8–96 kHz, mono or stereo)',
  RAYOS_VOICE_AUDIO_TOO_LONG: 'a recording longer than RayOS transcribes (30 s)',
  RAYOS_VOICE_BAD_TEXT: 'text to speak that is empty, too long or not a string',
  RAYOS_VOICE_RECOGNIZER_FAILED: 'pocketsphinx failed or ran past its deadline',
  RAYOS_VOICE_SYNTHESIS_FAILED: 'espeak-ng failed or ran past its deadline',
  RAYOS_INSTALLER_TOO_SMALL: 'an install target smaller than the RayOS disk layout needs (ESP, two root slots, data)',
  RAYOS_IMAGE_BAD_BOOT_ENTRY: 'a boot entry name, version, path or option RayOS cannot write or read',
  RAYOS_IMAGE_TOOL_MISSING: 'a program the image builder needs (sfdisk, mkfs.vfat, mtools, mkfs.ext4, dd) is not installed',
  RAYOS_IMAGE_BUILD_FAILED: 'a step of building a disk image failed or ran past its deadline',
  RAYOS_INSTALLER_NO_MEDIUM: 'the installer cannot tell which disk it booted from (pass --medium)',
  RAYOS_INSTALLER_BAD_MEDIUM: 'the installer medium lacks its partitions, its manifest or a file the manifest names',
  RAYOS_INSTALLER_NO_TARGET: 'the install target does not exist (the message lists the disks there are)',
  RAYOS_INSTALLER_TARGET_IS_MEDIUM: 'the install target is the medium RayOS is installing from',
  RAYOS_INSTALLER_BAD_STORAGE: 'a VM storage disk (--linux-storage, --windows-storage) that is missing, not a whole disk, smaller than 1 GiB, or the medium, the target or the other storage disk (the message names the disk and why)',
  RAYOS_INSTALLER_STORAGE_FAILED: 'writing a VM storage disk (its GPT or its ext4 filesystem) failed or ran past its deadline',
  RAYOS_INSTALLER_DECLINED: 'the person did not confirm wiping the target; nothing was written to it',
  RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED: 'the installer could not set the UEFI firmware boot entry (Boot####, BootOrder); the installed disk still boots through the removable path \\EFI\\BOOT\\BOOTX64.EFI',
  RAYOS_UPDATE_FAILED: 'an update could not be applied (not an installed A/B system, a version already installed, or a write failed); the running version is untouched',
  RAYOS_SYSTEMD_NOTIFY_FAILED: 'systemd-notify could not tell the service manager (not installed, NOTIFY_SOCKET unreachable, or past its deadline)',
  RAYOS_CRASH_NOT_FOUND: 'no crash artifact with that id in the data directory',
  RAYOS_CRASH_DIR_UNREADABLE: 'the crash directory of the data directory cannot be read',
  RAYOS_JOURNAL_BOOT_NOT_FOUND: 'no recorded runtime boot matches the --boot selector',
  RAYOS_BOOTMGR_NO_ESP: 'no EFI system partition with loader/entries was found (or the --esp given has none, or it cannot be read)',
  RAYOS_BOOTMGR_NO_UEFI: 'the EFI variables directory does not exist: this system did not boot through UEFI, so the booted and next entry cannot be read or set',
  RAYOS_BOOTMGR_NOT_LOADER_BOOT: 'the EFI variables hold no LoaderEntrySelected: this boot did not come through systemd-boot',
  RAYOS_BOOTMGR_EFIVAR: 'a systemd-boot EFI variable could not be read or written, or does not hold what systemd-boot writes',
  RAYOS_BOOTMGR_UNKNOWN_ENTRY: 'an entry id, file name or version that names no RayOS boot entry on the ESP',
  RAYOS_BOOTMGR_BLESS_FAILED: 'the current boot could not be marked good (its counted entry file is missing, or the rename or systemd-bless-boot failed)',
  RAYOS_TPM_TOOL_MISSING: 'swtpm or swtpm_setup is not installed (the message has the apt-get line: swtpm swtpm-tools)',
  RAYOS_TPM_SETUP_FAILED: 'a new TPM 2.0 state could not be made (swtpm_setup failed; its output is in the message), or the directory is not empty: RayOS never overwrites a TPM state',
  RAYOS_TPM_STATE_MISSING: "a VM's TPM state directory is not there; RayOS never starts the VM on a new, empty TPM (that would lose BitLocker keys and activation)",
  RAYOS_TPM_STATE_CORRUPT: "a VM's TPM state (tpm2-00.permall) is absent, empty or unreadable; RayOS leaves it as it is and does not start the VM",
  RAYOS_TPM_START_FAILED: 'swtpm did not start, or its control socket did not accept a connection in time (its log is in the message)',
  RAYOS_WINDOWS_ISO_MISSING: '"rayos windows provision" was given no --iso: RayOS never ships Windows, the person supplies the installation image once',
  RAYOS_WINDOWS_ISO_NOT_FOUND: 'an --iso or --drivers path that is not absolute or names no file',
  RAYOS_WINDOWS_ISO_UNREADABLE: 'an --iso or --drivers path that is a directory, a device or pipe, or a file RayOS may not read',
  RAYOS_WINDOWS_ISO_NOT_ISO: 'an --iso or --drivers file with no ISO 9660 (CD001) or UDF (BEA01, NSR02, NSR03) volume descriptor at byte 32768',
  RAYOS_WINDOWS_EXISTS: 'the Windows VM is provisioned already; a second provision needs --replace --yes, which destroys its disk, UEFI variables and TPM state',
  RAYOS_WINDOWS_FIRMWARE_MISSING: 'the Secure Boot OVMF files (OVMF_CODE_4M.secboot.fd, OVMF_VARS_4M.ms.fd) are not installed: sudo apt-get install ovmf',
  RAYOS_WINDOWS_PROVISION_FAILED: 'making the Windows VM failed part way (its disk, UEFI variables or TPM state); what was made is removed again and nothing else changed',
  RAYOS_WINDOWS_VARS_MISSING: "a Windows VM's UEFI variables file is not there; RayOS never starts it with fresh variables (its boot entries and Secure Boot keys are in them)",
  RAYOS_WINDOWS_VARS_CORRUPT: "a Windows VM's UEFI variables file is empty, unreadable or not the qcow2 RayOS made; RayOS leaves it as it is and does not start the VM",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** The wire and in-process shape of an error: a stable code and a sentence that says what to do. */
export const RayosErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type RayosError = z.infer<typeof RayosErrorSchema>;

export const rayosError = (code: ErrorCode, message: string, details?: Record<string, unknown>): RayosError =>
  details === undefined ? { code, message } : { code, message, details };

/** Thrown only across boundaries that cannot return (a failed boot); carries a RayosError. */
export class RayosFailure extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(error: RayosError) {
    super(error.message);
    this.name = 'RayosFailure';
    this.code = error.code;
    this.details = error.details;
  }
  toError(): RayosError {
    return rayosError(this.code, this.message, this.details);
  }
}
