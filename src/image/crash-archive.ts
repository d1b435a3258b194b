// Owns reading the crash archive of a data directory: Node diagnostic reports (<data>/crash/report.*.json) and kernel panics kept by systemd-pstore (<data>/crash/pstore/), each one artifact with a stable id; every read size-capped, the report validated.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';

export type CrashKind = 'kernel-panic' | 'runtime-fatal';

export interface CrashArtifact {
  /** Stable while the files stay: `runtime-<report name>` or `kernel-<pstore name>`; letters, digits, dot, dash, underscore. */
  readonly id: string;
  readonly kind: CrashKind;
  /** ISO-8601 UTC: when it happened as far as the files say (report time, pstore directory time, else the file's mtime). */
  readonly time: string;
  /** One line: the `Kernel panic - not syncing: …` line, or the report's event and message; for an unreadable one, why. */
  readonly summary: string;
  readonly paths: readonly string[];
  /** false: listed so it is not missed, but its content could not be read or validated. */
  readonly readable: boolean;
}

/** The parts of a Node diagnostic report worth reading (its environment variables are never shown: they may hold secrets). */
export interface RuntimeReportView {
  readonly event: string;
  readonly trigger: string;
  readonly pid: number | null;
  readonly nodeVersion: string | null;
  readonly cwd: string | null;
  readonly commandLine: readonly string[];
  readonly message: string;
  readonly javascriptStack: readonly string[];
  /** Native frames' symbols, first NATIVE_FRAMES of them. */
  readonly nativeStack: readonly string[];
  readonly heap: { readonly usedBytes: number | null; readonly totalBytes: number | null; readonly limitBytes: number | null };
}

export interface CrashDetail extends CrashArtifact {
  /** kernel-panic: the dmesg text as kept. */
  readonly dmesg?: string;
  /** runtime-fatal: the report's key parts. */
  readonly report?: RuntimeReportView;
}

export interface CrashListing {
  readonly crashDir: string;
  readonly artifacts: readonly CrashArtifact[];
  /** Parts of the archive that could not be looked at (e.g. pstore/ unreadable); the rest is still listed. */
  readonly warnings: readonly string[];
}

/** A report is tens of KiB; a dmesg record a few; anything far larger is not what we think it is. */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
export const MAX_DMESG_BYTES = 2 * 1024 * 1024;
/** Entries looked at per directory, so a directory flooded with files cannot stall the command. */
export const MAX_ENTRIES = 2000;
const NATIVE_FRAMES = 30;
const SUMMARY_CHARS = 300;
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const REPORT_NAME = /^report\..{1,200}\.json$/;
const PANIC = /Kernel panic - not syncing:.*/;
const OOPS = /(Oops[:\s].*|BUG: .*|general protection fault.*|Internal error: .*)/;

const text = (max: number) => z.string().max(max);
const NodeReportSchema = z
  .object({
    header: z
      .object({
        event: text(4096),
        trigger: text(256),
        dumpEventTime: text(64).optional(),
        dumpEventTimeStamp: z.string().regex(/^\d{1,16}$/).optional(),
        processId: z.number().int().nonnegative().optional(),
        cwd: text(4096).optional(),
        commandLine: z.array(text(65_536)).max(10_000).optional(),
        nodejsVersion: text(64).optional(),
      })
      .loose(),
    javascriptStack: z.object({ message: text(1024 * 1024), stack: z.array(text(65_536)).max(100_000).optional() }).loose().optional(),
    nativeStack: z.array(z.object({ symbol: text(65_536) }).loose()).max(100_000).optional(),
    javascriptHeap: z.object({ usedMemory: z.number().optional(), totalMemory: z.number().optional(), memoryLimit: z.number().optional() }).loose().optional(),
  })
  .loose();
type NodeReport = z.infer<typeof NodeReportSchema>;

export const crashDirOf = (dataDir: string): string => join(dataDir, 'crash');

interface Found {
  readonly artifact: CrashArtifact;
  readonly detail: () => CrashDetail;
}

/** Every artifact, newest first. A missing crash directory is an empty archive; one that cannot be read is an error. */
export function listCrashArtifacts(crashDir: string): Result<CrashListing, RayosError> {
  const found = collect(crashDir);
  if (!found.ok) return found;
  return ok({ crashDir, artifacts: found.value.items.map((f) => f.artifact), warnings: found.value.warnings });
}

/** One artifact with its whole content (the dmesg text, or the report's key parts). */
export function showCrashArtifact(crashDir: string, untrustedId: string): Result<CrashDetail, RayosError> {
  const notFound = () =>
    err(rayosError('RAYOS_CRASH_NOT_FOUND', `No crash artifact "${untrustedId.slice(0, 200)}" in ${crashDir}. Run "rayos crash list" for the ids (add --data DIR when the data directory is elsewhere).`, { id: untrustedId.slice(0, 200) }));
  if (!SAFE_ID.test(untrustedId)) return notFound();
  const found = collect(crashDir);
  if (!found.ok) return found;
  const item = found.value.items.find((f) => f.artifact.id === untrustedId);
  return item === undefined ? notFound() : ok(item.detail());
}

function collect(crashDir: string): Result<{ items: Found[]; warnings: string[] }, RayosError> {
  const top = listDir(crashDir);
  if (top === 'missing') return ok({ items: [], warnings: [] });
  if (typeof top === 'string') {
    return err(rayosError('RAYOS_CRASH_DIR_UNREADABLE', `The crash directory ${crashDir} cannot be read (${top}). Run as root (sudo rayos crash list) or give the data directory with --data DIR.`, { crashDir }));
  }
  const warnings: string[] = [];
  const items: Found[] = [];
  const ids = new Set<string>();
  const unique = (prefix: string, name: string): string => {
    const base = `${prefix}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 190);
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}_${n}`;
    ids.add(id);
    return id;
  };
  for (const { name, stats } of top.entries) {
    if (!stats.isFile() || !REPORT_NAME.test(name)) continue;
    const id = unique('runtime', name.slice('report.'.length, -'.json'.length));
    const path = join(crashDir, name);
    items.push(lazily((full) => nodeReport(id, path, stats, full)));
  }
  const pstoreDir = join(crashDir, 'pstore');
  const pstore = listDir(pstoreDir);
  if (typeof pstore === 'string') {
    if (pstore !== 'missing') warnings.push(`${pstoreDir} cannot be read (${pstore}); kernel panics are not listed.`);
  } else {
    for (const { name, stats } of pstore.entries) {
      if (stats.isDirectory()) {
        const record = pstoreDirectory(pstoreDir, name, stats, warnings);
        if (record === null) continue;
        const id = unique('kernel', name);
        items.push(lazily((full) => dmesgRecord(id, record.paths, record.time, full)));
      } else if (stats.isFile() && name.startsWith('dmesg-')) {
        const id = unique('kernel', name);
        items.push(lazily((full) => dmesgRecord(id, [join(pstoreDir, name)], timeOf(stats), full)));
      }
    }
    if (pstore.truncated) warnings.push(`${pstoreDir} has more than ${MAX_ENTRIES} entries; only the first ${MAX_ENTRIES} (by name) were looked at.`);
  }
  if (top.truncated) warnings.push(`${crashDir} has more than ${MAX_ENTRIES} entries; only the first ${MAX_ENTRIES} (by name) were looked at.`);
  items.sort((a, b) => b.artifact.time.localeCompare(a.artifact.time) || a.artifact.id.localeCompare(b.artifact.id));
  return ok({ items, warnings });
}

/** The listing keeps only the summary; the content is read again for `show`, so a large archive is never all in memory. */
function lazily(read: (full: boolean) => CrashDetail): Found {
  return { artifact: read(false), detail: () => read(true) };
}

/** systemd-pstore's `<id>/` folder: its dmesg.txt, else the dmesg-* records in it. null when it holds neither. */
function pstoreDirectory(pstoreDir: string, name: string, stats: Stats, warnings: string[]): { paths: string[]; time: string } | null {
  const dir = join(pstoreDir, name);
  const inside = listDir(dir);
  if (typeof inside === 'string') {
    warnings.push(`${dir} cannot be read (${inside}).`);
    return null;
  }
  const files = inside.entries.filter((e) => e.stats.isFile());
  const dmesgTxt = files.find((e) => e.name === 'dmesg.txt');
  const records = files.filter((e) => e.name.startsWith('dmesg-'));
  const chosen = dmesgTxt !== undefined ? [dmesgTxt] : records;
  if (chosen.length === 0) return null;
  // systemd-pstore names the folder after the record's time in seconds; dmesg.txt itself is written at archive time.
  const seconds = /^\d{9,10}$/.test(name) ? Number(name) : null;
  const time = seconds !== null ? new Date(seconds * 1000).toISOString() : timeOf(records[0]?.stats ?? chosen[0]?.stats ?? stats);
  return { paths: chosen.map((e) => join(dir, e.name)), time };
}

function dmesgRecord(id: string, paths: string[], time: string, full: boolean): CrashDetail {
  const read = (): Result<string, string> => {
    const parts: string[] = [];
    for (const path of paths) {
      if (/\.(enc\.)?z$/.test(path)) return err(`${path} is a compressed pstore record the kernel could not decompress`);
      const bytes = readCapped(path, MAX_DMESG_BYTES);
      if (!bytes.ok) return err(`${path}: ${bytes.error}`);
      parts.push(bytes.value.toString('utf8'));
    }
    return ok(parts.join('\n'));
  };
  const content = read();
  const base = { id, kind: 'kernel-panic' as const, time, paths };
  if (!content.ok) return { ...base, summary: `unreadable: ${content.error}`, readable: false };
  return { ...base, summary: panicSummary(content.value), readable: true, ...(full ? { dmesg: content.value } : {}) };
}

/** The panic line without its log-level and timestamp prefix; else the first oops; else say there is none. */
export function panicSummary(dmesg: string): string {
  const panic = PANIC.exec(dmesg)?.[0];
  if (panic !== undefined) return oneLine(panic);
  const oops = OOPS.exec(dmesg)?.[0];
  return oops !== undefined ? oneLine(`no panic line; ${oops}`) : 'no panic line in this dmesg record';
}

function nodeReport(id: string, path: string, stats: Stats, full: boolean): CrashDetail {
  const mtime = timeOf(stats);
  const unreadable = (why: string): CrashDetail => ({ id, kind: 'runtime-fatal', time: mtime, summary: `unreadable: ${why}`, paths: [path], readable: false });
  const bytes = readCapped(path, MAX_REPORT_BYTES);
  if (!bytes.ok) return unreadable(bytes.error);
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(bytes.value.toString('utf8'));
  } catch (error) {
    return unreadable(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = NodeReportSchema.safeParse(untrusted);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return unreadable(`not a Node diagnostic report (${issue?.path.join('.') || 'top'}: ${issue?.message ?? 'invalid'})`);
  }
  const report = parsed.data;
  const view = reportView(report);
  return {
    id,
    kind: 'runtime-fatal',
    time: reportTime(report) ?? mtime,
    summary: oneLine(`${view.event}: ${view.message}`),
    paths: [path],
    readable: true,
    ...(full ? { report: view } : {}),
  };
}

function reportTime(report: NodeReport): string | null {
  const { dumpEventTimeStamp, dumpEventTime } = report.header;
  const ms = dumpEventTimeStamp !== undefined ? Number(dumpEventTimeStamp) : dumpEventTime !== undefined ? Date.parse(dumpEventTime) : NaN;
  return Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : null;
}

function reportView(report: NodeReport): RuntimeReportView {
  const { header } = report;
  const heap = report.javascriptHeap;
  return {
    event: header.event,
    trigger: header.trigger,
    pid: header.processId ?? null,
    nodeVersion: header.nodejsVersion ?? null,
    cwd: header.cwd ?? null,
    commandLine: header.commandLine ?? [],
    message: reportMessage(report),
    javascriptStack: report.javascriptStack?.stack ?? [],
    nativeStack: (report.nativeStack ?? []).slice(0, NATIVE_FRAMES).map((frame) => frame.symbol.trim()),
    heap: { usedBytes: heap?.usedMemory ?? null, totalBytes: heap?.totalMemory ?? null, limitBytes: heap?.memoryLimit ?? null },
  };
}

/** The error line. A throw Node decorated with its source line has only `file:line` as message; the error is after the source excerpt's blank line. */
function reportMessage(report: NodeReport): string {
  const message = report.javascriptStack?.message;
  if (message === undefined) return '(no JavaScript stack in the report)';
  const stack = report.javascriptStack?.stack ?? [];
  const blank = stack.indexOf('');
  const error = blank === -1 ? undefined : stack[blank + 1];
  return /^\S+:\d+$/.test(message) && error !== undefined && error !== '' && !error.startsWith('at ') ? `${error} (${message})` : message;
}

function oneLine(untrusted: string): string {
  const flat = untrusted.split('\n')[0]!.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS - 1)}…` : flat;
}

const timeOf = (stats: Stats): string => new Date(stats.mtimeMs).toISOString();

interface Listed {
  readonly entries: { readonly name: string; readonly stats: Stats }[];
  readonly truncated: boolean;
}

/** A directory's entries by name, without following links (a planted symlink must not make `crash show` print another file). 'missing', or why it failed. */
function listDir(dir: string): Listed | string {
  let names: string[];
  try {
    if (!lstatSync(dir).isDirectory()) return 'not a directory';
    names = readdirSync(dir).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : (code ?? String(error));
  }
  const entries: { name: string; stats: Stats }[] = [];
  for (const name of names.slice(0, MAX_ENTRIES)) {
    try {
      entries.push({ name, stats: lstatSync(join(dir, name)) });
    } catch {
      // Gone between readdir and lstat: not there.
    }
  }
  return { entries, truncated: names.length > MAX_ENTRIES };
}

/** At most cap bytes of a regular file, opened without following a link and without blocking on a FIFO. */
function readCapped(path: string, cap: number): Result<Buffer, string> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return err(`cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return err('not a regular file');
    if (stats.size > cap) return err(`${stats.size} bytes, over the ${cap}-byte limit`);
    // Read one byte past the cap: a file that grew since fstat is caught too.
    const buffer = Buffer.alloc(Math.min(stats.size, cap) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > cap) return err(`over the ${cap}-byte limit`);
      if (length === buffer.length) break;
    }
    return ok(buffer.subarray(0, length));
  } catch (error) {
    return err(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    closeSync(fd);
  }
}
