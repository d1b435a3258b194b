// Proves the Windows profile with a Linux guest (no Windows media exist here): Debian's signed shim, grub and kernel boot under enforced Secure Boot, the guest sees the TPM 2.0 and EFI through qemu-ga, and TPM NV and UEFI variable values survive suspend/resume and a cold reboot.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ExecResultSchema, type ExecResult } from '../../src/contracts/guest-agent.js';
import { runCli, startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { provisionWithSecureBootGuest } from '../support/secure-boot-guest.js';
import { killQemusUnder } from '../support/vm-support.js';

// A cold boot of Debian through the Secure Boot firmware takes 1–2 minutes under TCG: NO_AGENT only after that.
const RUNTIME_ARGS = ['--set', 'vm.accel=tcg', '--set', 'vm.guestReadyTimeoutMs=600000'];
const BOOT_MS = 420_000;
/** The EFI global-variable GUID (SecureBoot, SetupMode) and one of our own for the value that must persist. */
const EFI_GLOBAL = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
const PROOF_VAR = '/sys/firmware/efi/efivars/RayosProof-5ec0b007-0000-4000-8000-00000000c0de';
/** A second variable for the named snapshot: its value must follow the snapshot, in RAM and in flash. */
const SNAP_VAR = '/sys/firmware/efi/efivars/RayosSnap-5ec0b007-0000-4000-8000-00000000c0de';
/** An owner-defined NV index (the TPM's owner range starts at 0x01000000; 0x015… is free for anyone). */
const NV_INDEX = '0x1500016';
const NV_BYTES = 16;
const TPM = 'export TPM2TOOLS_TCTI=device:/dev/tpmrm0;';

describe('the Windows profile, proven with a Linux guest (QEMU under TCG)', { timeout: 40 * 60_000 }, () => {
  const { dir, cleanup } = tempDataDir('rayos-winprofile-it-');
  const cli = (args: string[], timeoutMs = 180_000) => runCli(['--data', dir, ...args], { timeoutMs });
  /** A command in the guest through the runtime and qemu-ga (`rayos vm exec`); fails the test unless it exits 0. */
  const guest = async (script: string): Promise<ExecResult> => {
    const run = await cli(['vm', 'exec', 'windows', '--json', '--timeout', '60000', '--', 'sh', '-c', script], 120_000);
    assert.equal(run.code, 0, `${script}\n${run.stderr}`);
    const result = ExecResultSchema.parse(JSON.parse(run.stdout));
    assert.equal(result.exitCode, 0, `${script}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  /**
   * Writes a non-volatile, boot- and runtime-access UEFI variable: efivarfs takes the attributes, then the value, in one
   * write, and keeps an existing variable's file immutable until told otherwise.
   */
  const setVariable = (path: string, value: string) =>
    guest(`if [ -e ${path} ]; then chattr -i ${path}; fi; printf '\\007\\000\\000\\000${value}' | dd of=${path} bs=64 iflag=fullblock conv=notrunc status=none`);
  const variableHex = async (path: string): Promise<string> => (await guest(`od -An -tx1 -v ${path} | tr -d ' \\n'`)).stdout;
  const asStored = (value: string): string => Buffer.concat([Buffer.from([7, 0, 0, 0]), Buffer.from(value)]).toString('hex');
  const bootId = async (): Promise<string> => (await guest('cat /proc/sys/kernel/random/boot_id')).stdout.trim();
  const readBack = async (): Promise<{ nv: string; variable: string }> => ({
    nv: (await guest(`${TPM} tpm2_nvread ${NV_INDEX} -C o -s ${NV_BYTES}`)).stdout,
    // efivarfs shows the 4 attribute bytes first, then the value.
    variable: await variableHex(PROOF_VAR),
  });
  /** PCR 16 (the debug PCR) as hex: volatile, so only a saved TPM state brings back what was extended into it. */
  const pcr16 = async (): Promise<string> => {
    const read = (await guest(`${TPM} tpm2_pcrread sha256:16`)).stdout;
    const value = /16\s*:\s*0x([0-9A-Fa-f]{64})/.exec(read)?.[1];
    assert.ok(value !== undefined, read);
    return value.toLowerCase();
  };
  let extendedPcr = '';
  // Fresh per run: what is read back after the suspend and the reboot can only be what this run wrote.
  const nvValue = randomBytes(NV_BYTES / 2).toString('hex');
  const varValue = `rayos-${randomBytes(6).toString('hex')}`;
  const varHex = asStored(varValue);
  const snapValue = `snap-${randomBytes(6).toString('hex')}`;
  let runtime: RuntimeProcess;
  let bootBeforeSuspend = '';

  before(async () => {
    runtime = startRuntime(dir, RUNTIME_ARGS);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await provisionWithSecureBootGuest(dir, (line) => process.stdout.write(`# secure-boot guest: ${line}\n`));
  });
  after(async () => {
    if (runtime !== undefined) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test("Debian's Microsoft-signed shim, signed grub and signed kernel boot with Secure Boot enforced, and qemu-ga answers", async () => {
    const from = runtime.lines.length;
    const started = await cli(['vm', 'start', 'windows']);
    assert.equal(started.code, 0, started.stderr);
    // The first start is the installing one: the (fake) installer is attached, the firmware passes over it to the disk.
    await runtime.waitFor('RAYOS_WINDOWS:INSTALLER_ATTACHED:windows:1', 30_000, from);
    await runtime.waitFor('RAYOS_WINDOWS:GUEST_READY', BOOT_MS, from);
    assert.ok(!runtime.lines.slice(from).includes('RAYOS_WINDOWS:NO_AGENT'));

    assert.equal((await guest(`od -An -tx1 /sys/firmware/efi/efivars/SecureBoot-${EFI_GLOBAL} | tr -d ' \\n'`)).stdout, '0600000001', 'SecureBoot = 1');
    assert.equal((await guest(`od -An -tx1 /sys/firmware/efi/efivars/SetupMode-${EFI_GLOBAL} | tr -d ' \\n'`)).stdout, '0600000000', 'keys enrolled (user mode)');
    assert.equal((await guest('cat /sys/firmware/efi/fw_platform_size')).stdout.trim(), '64');
    // The kernel locks itself down only when the firmware says it verified the boot chain.
    assert.match((await guest('cat /sys/kernel/security/lockdown')).stdout, /\[integrity\]/);
    assert.match((await guest('dmesg')).stdout, /secureboot: Secure boot enabled/);
    bootBeforeSuspend = await bootId();
  });

  test('the guest sees a TPM 2.0 whose TPM2_GetRandom works', async () => {
    assert.equal((await guest('cat /sys/class/tpm/tpm0/tpm_version_major')).stdout.trim(), '2');
    assert.match((await guest('ls /dev/tpm0 /dev/tpmrm0')).stdout, /\/dev\/tpm0\n\/dev\/tpmrm0/);
    const first = (await guest(`${TPM} tpm2_getrandom 16 --hex`)).stdout.trim();
    const second = (await guest(`${TPM} tpm2_getrandom 16 --hex`)).stdout.trim();
    assert.match(first, /^[0-9a-f]{32}$/);
    assert.match(second, /^[0-9a-f]{32}$/);
    assert.notEqual(first, second);
  });

  test("a TPM NV index and a UEFI variable written in the guest survive suspend (RayOS stops) and resume (RayOS starts), the TPM's volatile state (PCR 16) comes back too, and the guest clock is set", async () => {
    await guest(`${TPM} tpm2_nvdefine ${NV_INDEX} -C o -s ${NV_BYTES} -a 'ownerread|ownerwrite' && printf ${nvValue} | tpm2_nvwrite ${NV_INDEX} -C o -i -`);
    await setVariable(PROOF_VAR, varValue);
    assert.deepEqual(await readBack(), { nv: nvValue, variable: varHex });
    await guest(`${TPM} tpm2_pcrextend 16:sha256=${randomBytes(32).toString('hex')}`);
    extendedPcr = await pcr16();
    assert.notEqual(extendedPcr, '0'.repeat(64));

    // A guest clock an hour slow: only RayOS setting it after the resume puts it right.
    await guest(`date -s @${Math.floor(Date.now() / 1000) - 3600} > /dev/null`);

    const suspending = runtime.lines.length;
    assert.equal(await stopRuntime(runtime), 0);
    assert.ok(runtime.lines.slice(suspending).some((line) => /^RAYOS_VM:SUSPENDED:windows:/.test(line)), runtime.lines.slice(suspending).join('\n'));
    runtime = startRuntime(dir, RUNTIME_ARGS);
    await runtime.waitFor(/^RAYOS_VM:RESUMING:windows:/, 60_000);
    await runtime.waitFor(/^RAYOS_WINDOWS:TPM_STARTED:windows:\d+$/, 60_000);
    await runtime.waitFor('RAYOS_VM:RESUMED:windows', 120_000);
    await runtime.waitFor('RAYOS_WINDOWS:GUEST_READY', BOOT_MS);
    assert.equal(await bootId(), bootBeforeSuspend, 'resumed, not booted again');
    await runtime.waitFor('RAYOS_VM:CLOCK_SET:windows', 60_000);
    const guestSeconds = Number((await guest('date +%s')).stdout);
    // Seconds apart at most (the exec's own round trip), not the hour it was set back by.
    assert.ok(Math.abs(guestSeconds - Date.now() / 1000) < 60, `guest clock ${guestSeconds}, host ${Date.now() / 1000}`);
    assert.deepEqual(await readBack(), { nv: nvValue, variable: varHex });
    // The TPM's volatile state came back with the saved state, not just its NV file from disk.
    assert.equal(await pcr16(), extendedPcr, 'PCR 16 as extended before the suspend');
  });

  test('a named snapshot takes the UEFI variables with it: restored, a variable written after it is back to its value at the snapshot', async () => {
    await setVariable(SNAP_VAR, snapValue);
    const saved = await cli(['vm', 'snapshot', 'windows', '--tag', 'before-change'], 300_000);
    assert.equal(saved.code, 0, saved.stderr);
    await setVariable(SNAP_VAR, 'changed-after');
    assert.equal(await variableHex(SNAP_VAR), asStored('changed-after'));
    const restored = await cli(['vm', 'restore', 'windows', '--tag', 'before-change'], 300_000);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(await variableHex(SNAP_VAR), asStored(snapValue));
    // The flash's contents travel in the saved RAM (QEMU writes them back to vars.qcow2 after the load): the cold boot
    // below reads the flash itself.
  });

  test('the NV index and the variable survive a cold reboot too (PCR 16 is reset), and that boot has no installer attached', async () => {
    const from = runtime.lines.length;
    const stopped = await cli(['vm', 'stop', 'windows'], 300_000);
    assert.equal(stopped.code, 0, stopped.stderr);
    await runtime.waitFor('RAYOS_VM:STOPPED:windows', 60_000, from);
    // Shut down by the guest itself, asked through qemu-ga: not a power cut.
    assert.ok(runtime.lines.slice(from).includes('RAYOS_VM:STOPPING:windows:guest'), runtime.lines.slice(from).join('\n'));
    const started = await cli(['vm', 'start', 'windows']);
    assert.equal(started.code, 0, started.stderr);
    await runtime.waitFor('RAYOS_WINDOWS:GUEST_READY', BOOT_MS, from);
    assert.ok(!runtime.lines.slice(from).some((line) => line.startsWith('RAYOS_WINDOWS:INSTALLER_ATTACHED')), 'the installer is attached to the first boot only');
    assert.notEqual(await bootId(), bootBeforeSuspend, 'booted again');
    assert.deepEqual(await readBack(), { nv: nvValue, variable: varHex });
    assert.equal(await variableHex(SNAP_VAR), asStored(snapValue), 'the flash was restored with the named snapshot');
    // A cold boot resets the TPM: only the non-volatile value stays (the PCR check above was not a formality).
    assert.equal(await pcr16(), '0'.repeat(64));
  });

  test('the firmware refuses a boot loader without a trusted signature (Secure Boot is enforced, not just reported)', async () => {
    // Debian's own unsigned build of the same shim, put where the firmware boots from.
    await guest('mkdir -p /mnt/esp && mount /dev/sda1 /mnt/esp && cp /usr/lib/shim/shimx64.efi /mnt/esp/EFI/BOOT/BOOTX64.EFI && umount /mnt/esp');
    const from = runtime.lines.length;
    assert.equal((await cli(['vm', 'stop', 'windows'], 300_000)).code, 0);
    assert.equal((await cli(['vm', 'start', 'windows'])).code, 0);
    let serial = '';
    for (const deadline = Date.now() + BOOT_MS; Date.now() < deadline && !/No bootable option or device was found/.test(serial); ) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const logs = await cli(['vm', 'logs', 'windows', '--lines', '60']);
      serial = logs.stdout;
    }
    assert.match(serial, /failed to load Boot\d+ "UEFI QEMU HARDDISK[^"]*" from [^\n]*: Access Denied/);
    assert.ok(!runtime.lines.slice(from).includes('RAYOS_WINDOWS:GUEST_READY'), 'nothing booted');
  });
});
