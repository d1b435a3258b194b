// Owns a VM's persistent TPM 2.0 state directory: creating it once with swtpm_setup, and telling ok from missing or corrupt.
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { findExecutable, runCommand } from '../process/run-command.js';

/** The one file libtpms keeps a TPM 2.0's permanent state in (seeds, EK, NV indexes, BitLocker's sealed keys). */
export const TPM_STATE_FILE = 'tpm2-00.permall';

export const SWTPM_PACKAGE = { swtpm: 'swtpm', swtpm_setup: 'swtpm-tools' } as const;

export type TpmStateCheck =
  | { readonly status: 'ok'; readonly path: string; readonly bytes: number }
  /** The state directory is not there at all (never created, or its disk is not mounted). */
  | { readonly status: 'missing'; readonly detail: string }
  /** The directory is there but its permanent state is absent, empty or unreadable. */
  | { readonly status: 'corrupt'; readonly reason: 'not-a-directory' | 'no-state-file' | 'empty' | 'unreadable'; readonly detail: string };

/** Looks only: never creates, repairs or removes anything (a new TPM would lose BitLocker keys and activation). */
export async function checkTpmState(stateDir: string): Promise<TpmStateCheck> {
  try {
    if (!(await stat(stateDir)).isDirectory()) return { status: 'corrupt', reason: 'not-a-directory', detail: `${stateDir} is not a directory` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', detail: `${stateDir} does not exist` };
    return { status: 'corrupt', reason: 'unreadable', detail: `${stateDir} cannot be examined (${code ?? String(error)})` };
  }
  const path = join(stateDir, TPM_STATE_FILE);
  try {
    const file = await open(path, 'r');
    try {
      const info = await file.stat();
      if (!info.isFile()) return { status: 'corrupt', reason: 'unreadable', detail: `${path} is not a regular file` };
      if (info.size === 0) return { status: 'corrupt', reason: 'empty', detail: `${path} is empty` };
      // Reading a byte proves more than stat: an I/O error on a failing disk shows here, not in the mode bits.
      const { bytesRead } = await file.read(Buffer.alloc(1), 0, 1, 0);
      if (bytesRead !== 1) return { status: 'corrupt', reason: 'unreadable', detail: `${path} cannot be read` };
      return { status: 'ok', path, bytes: info.size };
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'corrupt', reason: 'no-state-file', detail: `${stateDir} holds no ${TPM_STATE_FILE}` };
    return { status: 'corrupt', reason: 'unreadable', detail: `${path} cannot be read (${code ?? String(error)})` };
  }
}

export interface CreateTpmStateOptions {
  /** Bound for swtpm_setup (two RSA/ECC key generations: under a second here). Default 60 s. */
  readonly deadlineMs?: number;
  /** PATH-style list for swtpm_setup and the swtpm it runs; default the process PATH. */
  readonly searchPath?: string;
}

/**
 * swtpm_setup 0.7 (Debian 12), checked as root and as an unprivileged user with no home directory:
 * - `--tpm2 --createek`: a TPM 2.0 with its RSA and ECC endorsement keys, as a real TPM comes from the factory.
 * - `--pcr-banks sha256`: the bank Windows 11 measures into, given here so no configuration file decides it.
 * - `--config /dev/null`: the default config (/etc/swtpm_setup.conf, or ~/.config/swtpm_setup.conf for a user)
 *   is then never read, so a missing, edited or unreadable one cannot change or break the setup. It only names
 *   the certificate tool and the default PCR banks, and both are settled here.
 * - No `--create-ek-cert` / `--create-platform-cert`: they run swtpm_localca, whose CA lives in
 *   /var/lib/swtpm-localca (tss-owned, root-only), which fails for ordinary users and in clean CI checkouts;
 *   Windows 11 Setup needs a TPM 2.0, not an EK certificate (that is only for attestation services).
 * - Neither `--overwrite` nor `--not-overwrite`: with state already there swtpm_setup then fails rather than
 *   replacing it, a second guard behind the check below (a TPM state is never overwritten).
 */
export const SWTPM_SETUP_ARGS = ['--tpm2', '--createek', '--pcr-banks', 'sha256', '--config', '/dev/null'] as const;

const TAIL_CHARS = 600;

/**
 * Creates a fresh TPM 2.0 state in stateDir, which must not exist yet (it is made 0700, in a parent that must exist)
 * or be empty: anything already there may be a VM's TPM, and RayOS never replaces one.
 */
export async function createTpmState(stateDir: string, options: CreateTpmStateOptions = {}): Promise<Result<{ path: string }, RayosError>> {
  const setup = await findExecutable('swtpm_setup', options.searchPath);
  const swtpm = await findExecutable('swtpm', options.searchPath);
  if (setup === null || swtpm === null) return err(toolMissing(setup === null ? 'swtpm_setup' : 'swtpm'));
  const before = await checkTpmState(stateDir);
  const madeDir = before.status === 'missing';
  if (!madeDir && !(before.status === 'corrupt' && before.reason === 'no-state-file' && (await isEmptyDir(stateDir)))) {
    return err(
      rayosError(
        'RAYOS_TPM_SETUP_FAILED',
        `${stateDir} is not empty (${before.status === 'ok' ? 'it holds a TPM state that reads back' : before.detail}); RayOS makes a TPM state only in a new directory and never overwrites one, because Windows keeps BitLocker keys and activation in it. Use that VM as it is, or remove the VM before making a new one.`,
        { stateDir },
      ),
    );
  }
  try {
    // Not recursive: the VM's folder must already be there, or RayOS would make one on whatever disk is mounted now.
    if (madeDir) await mkdir(stateDir, { mode: 0o700 });
  } catch (error) {
    return err(rayosError('RAYOS_TPM_SETUP_FAILED', `Cannot create the TPM state directory ${stateDir}: ${(error as Error).message}. Check that its parent exists and is writable.`, { stateDir }));
  }
  // swtpm_setup runs swtpm by name: with a search path, that PATH is the one it looks in.
  const env = options.searchPath === undefined ? process.env : { ...process.env, PATH: options.searchPath };
  const deadlineMs = options.deadlineMs ?? 60_000;
  const result = await runCommand([setup, ...SWTPM_SETUP_ARGS, '--tpmstate', stateDir], { deadlineMs, maxOutputBytes: 64 * 1024, env });
  const created = await checkTpmState(stateDir);
  if (result.code === 0 && created.status === 'ok') return ok({ path: created.path });
  // The directory was new or empty before this call: what is in it now is a half-written state, removed so a retry starts clean.
  if (madeDir) await rm(stateDir, { recursive: true, force: true });
  else await Promise.all([TPM_STATE_FILE, '.lock'].map((name) => rm(join(stateDir, name), { force: true })));
  const said = `${result.stdout}\n${result.stderr}`.trim().slice(-TAIL_CHARS);
  const why = result.timedOut
    ? `it did not finish within ${deadlineMs} ms`
    : result.error !== undefined
      ? (result.errorMessage ?? result.error)
      : result.code === 0
        ? `it exited 0 but left no readable ${TPM_STATE_FILE}`
        : `exit ${String(result.code ?? result.signal)}`;
  return err(
    rayosError(
      'RAYOS_TPM_SETUP_FAILED',
      `swtpm_setup could not create a TPM 2.0 state in ${stateDir}: ${why}${said === '' ? '' : `; it said: ${said}`}. Check that the directory's disk is writable and not full, and that "swtpm socket --tpm2 --print-capabilities" lists tpm-2.0 (sudo apt-get install swtpm swtpm-tools).`,
      { stateDir, exitCode: result.code },
    ),
  );
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return false;
  }
}

export function toolMissing(tool: keyof typeof SWTPM_PACKAGE): RayosError {
  return rayosError('RAYOS_TPM_TOOL_MISSING', `${tool} is not installed, and Windows VMs need it for their TPM 2.0: sudo apt-get install swtpm swtpm-tools (${tool} is in the Debian package ${SWTPM_PACKAGE[tool]}).`, {
    tool,
    package: SWTPM_PACKAGE[tool],
  });
}
