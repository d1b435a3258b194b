// Owns choosing kernel modules without depmod: reading each .ko's .modinfo, and the dependency closure and load order.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';

export interface ModuleInfo {
  readonly name: string;
  /** Hard dependencies (modinfo `depends=`): must be loaded first. */
  readonly depends: readonly string[];
  /** Soft "pre:" dependencies (modinfo `softdep=`): module names or aliases that should be loaded first when we have them. */
  readonly softPre: readonly string[];
  readonly aliases: readonly string[];
  readonly vermagic: string | null;
}

/** Module names compare with '-' and '_' as the same character, as the kernel does. */
export const normalizeModuleName = (name: string): string => name.replace(/-/g, '_');

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** The NUL-separated key=value strings of the .modinfo section (ELF64 little-endian), or null when there is none. */
function modinfoSection(untrustedKo: Buffer): Buffer | null {
  if (untrustedKo.length < 64 || ELF_MAGIC.some((b, i) => untrustedKo[i] !== b)) return null;
  if (untrustedKo[4] !== 2 || untrustedKo[5] !== 1) return null; // ELFCLASS64, little-endian
  const shoff = Number(untrustedKo.readBigUInt64LE(0x28));
  const shentsize = untrustedKo.readUInt16LE(0x3a);
  const shnum = untrustedKo.readUInt16LE(0x3c);
  const shstrndx = untrustedKo.readUInt16LE(0x3e);
  const section = (i: number): { name: number; offset: number; size: number } | null => {
    const at = shoff + i * shentsize;
    if (shentsize < 64 || at + 64 > untrustedKo.length) return null;
    return { name: untrustedKo.readUInt32LE(at), offset: Number(untrustedKo.readBigUInt64LE(at + 24)), size: Number(untrustedKo.readBigUInt64LE(at + 32)) };
  };
  const names = section(shstrndx);
  if (names === null) return null;
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s === null) return null;
    const nameStart = names.offset + s.name;
    const nameEnd = untrustedKo.indexOf(0, nameStart);
    if (nameStart >= untrustedKo.length || nameEnd < 0) continue;
    if (untrustedKo.toString('latin1', nameStart, nameEnd) !== '.modinfo') continue;
    if (s.offset + s.size > untrustedKo.length) return null;
    return untrustedKo.subarray(s.offset, s.offset + s.size);
  }
  return null;
}

const MODINFO_KEYS = /^(name|depends|softdep|alias|vermagic)=/;

/**
 * Reads a module's .modinfo. A file that is not a readable ELF64 is scanned byte by byte for the same
 * NUL-separated key=value strings instead (that is all .modinfo is), so a stripped or odd file still works.
 */
export function parseModinfo(untrustedKo: Buffer, fallbackName: string): ModuleInfo {
  const section = modinfoSection(untrustedKo);
  const strings = (section ?? untrustedKo).toString('latin1').split('\0');
  const fields = new Map<string, string[]>();
  for (const s of strings) {
    const m = MODINFO_KEYS.exec(s);
    if (m === null) continue;
    const key = m[1] as string;
    fields.set(key, [...(fields.get(key) ?? []), s.slice(key.length + 1)]);
  }
  const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(normalizeModuleName);
  const softPre: string[] = [];
  for (const soft of fields.get('softdep') ?? []) {
    // "pre: a b post: c": only what comes before "post:" matters for load order.
    let inPre = false;
    for (const token of soft.split(/\s+/)) {
      if (token === 'pre:') inPre = true;
      else if (token === 'post:') inPre = false;
      else if (inPre && token !== '') softPre.push(normalizeModuleName(token));
    }
  }
  return {
    name: normalizeModuleName(fields.get('name')?.[0] ?? fallbackName),
    depends: list(fields.get('depends')?.[0]),
    softPre,
    aliases: (fields.get('alias') ?? []).map(normalizeModuleName),
    vermagic: fields.get('vermagic')?.[0]?.trim() ?? null,
  };
}

/** What the resolver may ask about modules: a loadable module by name, or whether the name is built into the kernel. */
export interface ModuleCatalog {
  get(name: string): ModuleInfo | undefined;
  isBuiltin(name: string): boolean;
}

export interface LoadPlan {
  /** Modules in an order insmod can load them (each after everything it depends on). */
  readonly order: readonly ModuleInfo[];
  /** Soft dependencies that none of the chosen modules provides (not fatal: the kernel may ask later). */
  readonly unresolvedSoft: readonly string[];
}

/**
 * The closure of `wanted` over hard dependencies, ordered dependencies-first. Soft "pre:" dependencies are
 * honoured when a module of that name exists or a module in the set provides the alias (e.g. ext4's
 * "crypto-crc32c" is provided by crc32c_generic when that is wanted too); we never go looking for
 * unrequested modules by alias, which would pull in hardware-specific variants.
 */
export function planModuleLoad(wanted: readonly string[], catalog: ModuleCatalog): Result<LoadPlan, RayosError> {
  const chosen = new Map<string, ModuleInfo>();
  const missing: string[] = [];
  const collect = (name: string, from: string | null): void => {
    if (chosen.has(name) || catalog.isBuiltin(name)) return;
    const info = catalog.get(name);
    if (info === undefined) {
      missing.push(from === null ? name : `${name} (needed by ${from})`);
      return;
    }
    chosen.set(name, info);
    for (const dep of info.depends) collect(dep, name);
  };
  for (const name of wanted.map(normalizeModuleName)) collect(name, null);
  if (missing.length > 0) {
    return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `The kernel package has no module ${missing.join(', ')}; the guest cannot use its disk or agent port without it.`, { missing }));
  }
  const providers = new Map<string, string>();
  for (const info of chosen.values()) for (const alias of [info.name, ...info.aliases]) if (!providers.has(alias)) providers.set(alias, info.name);

  const unresolvedSoft = new Set<string>();
  const order: ModuleInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const cycle: string[] = [];
  const visit = (name: string): boolean => {
    const seen = state.get(name);
    if (seen === 'done') return true;
    if (seen === 'visiting') {
      cycle.push(name);
      return false;
    }
    state.set(name, 'visiting');
    const info = chosen.get(name) as ModuleInfo;
    const before = info.depends.filter((d) => chosen.has(d));
    for (const soft of info.softPre) {
      const provider = providers.get(soft);
      if (provider === undefined) {
        if (!catalog.isBuiltin(soft)) unresolvedSoft.add(soft);
      } else if (provider !== name) before.push(provider);
    }
    for (const dep of before) {
      if (!visit(dep)) {
        cycle.push(name);
        return false;
      }
    }
    state.set(name, 'done');
    order.push(info);
    return true;
  };
  for (const name of wanted.map(normalizeModuleName)) {
    if (chosen.has(name) && !visit(name)) {
      return err(rayosError('RAYOS_GUEST_BUILD_FAILED', `Kernel modules depend on each other in a cycle: ${cycle.reverse().join(' -> ')}.`));
    }
  }
  return ok({ order, unresolvedSoft: [...unresolvedSoft].sort() });
}

export interface ModuleTree {
  readonly catalog: ModuleCatalog;
  /** Where each loadable module's .ko is. */
  readonly pathOf: (name: string) => string | undefined;
}

/** Indexes lib/modules/<version> of an unpacked kernel package: .ko files by name (modinfo read on demand) and modules.builtin. */
export function indexModuleTree(modulesDir: string): ModuleTree {
  const paths = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.ko')) paths.set(normalizeModuleName(basename(entry.name, '.ko')), full);
    }
  };
  walk(join(modulesDir, 'kernel'));
  let builtin = new Set<string>();
  try {
    builtin = new Set(
      readFileSync(join(modulesDir, 'modules.builtin'), 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('.ko'))
        .map((line) => normalizeModuleName(basename(line, '.ko'))),
    );
  } catch {
    // No list: every dependency must then be a loadable module, which fails loudly if it is not.
  }
  const infos = new Map<string, ModuleInfo>();
  const catalog: ModuleCatalog = {
    get(name) {
      const cached = infos.get(name);
      if (cached !== undefined) return cached;
      const path = paths.get(name);
      if (path === undefined) return undefined;
      const info = parseModinfo(readFileSync(path), name);
      infos.set(name, info);
      return info;
    },
    isBuiltin: (name) => builtin.has(name),
  };
  return { catalog, pathOf: (name) => paths.get(name) };
}
