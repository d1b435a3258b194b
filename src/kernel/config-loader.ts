// Owns building the runtime configuration: defaults < rayos.toml/rayos.json in the data dir < RAYOS_* environment < flags.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { CONFIG_DEFAULTS, CONFIG_KEYS, ConfigSchema, envNameOf, type RayosConfig } from '../contracts/config.js';

export { envNameOf } from '../contracts/config.js';
import { rayosError, type RayosError } from '../contracts/errors.js';

export const CONFIG_FILES = ['rayos.toml', 'rayos.json'] as const;

type Tree = { [key: string]: unknown };

export interface ConfigSources {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `key.path=value` pairs from --set, in order; later wins. */
  readonly sets: readonly string[];
  /** Named flags (already typed), e.g. { api: { port: 0 } }. */
  readonly flags?: Tree;
}

export interface LoadedConfig {
  readonly config: RayosConfig;
  /** The config file read, if any. */
  readonly file: string | null;
}

export function loadConfig(sources: ConfigSources): Result<LoadedConfig, RayosError> {
  const file = readConfigFile(sources.dataDir);
  if (!file.ok) return file;
  const env = envLayer(sources.env);
  if (!env.ok) return env;
  const sets = setLayer(sources.sets);
  if (!sets.ok) return sets;

  // Each layer is validated on top of the ones below it, so an error names the layer that caused it.
  const layers: { source: string; tree: Tree }[] = [
    ...(file.value ? [{ source: file.value.path, tree: file.value.tree }] : []),
    { source: 'the environment', tree: env.value },
    { source: 'the command line', tree: deepMerge(sets.value, sources.flags ?? {}) },
  ];
  let current: RayosConfig = CONFIG_DEFAULTS;
  for (const layer of layers) {
    const parsed = ConfigSchema.safeParse(deepMerge(current as unknown as Tree, layer.tree));
    if (!parsed.success) return err(describeIssue(parsed.error.issues[0] as z.core.$ZodIssue, layer.source));
    current = parsed.data;
  }
  return ok({ config: current, file: file.value?.path ?? null });
}

function readConfigFile(dataDir: string): Result<{ path: string; tree: Tree } | null, RayosError> {
  const present = CONFIG_FILES.map((name) => join(dataDir, name)).filter((path) => existsSync(path));
  if (present.length > 1) {
    return err(rayosError('RAYOS_CONFIG_PARSE', `Both ${present.join(' and ')} exist; keep one of them.`));
  }
  const path = present[0];
  if (path === undefined) return ok(null);
  let untrustedTree: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    untrustedTree = path.endsWith('.toml') ? parseToml(text) : JSON.parse(text);
  } catch (error) {
    return err(rayosError('RAYOS_CONFIG_PARSE', `${path} cannot be read: ${error instanceof Error ? error.message : String(error)}. Fix the syntax or remove the file.`));
  }
  if (typeof untrustedTree !== 'object' || untrustedTree === null || Array.isArray(untrustedTree)) {
    return err(rayosError('RAYOS_CONFIG_PARSE', `${path} must hold a table of settings.`));
  }
  return ok({ path, tree: untrustedTree as Tree });
}

function envLayer(env: Readonly<Record<string, string | undefined>>): Result<Tree, RayosError> {
  const tree: Tree = {};
  for (const [key, fallback] of CONFIG_KEYS) {
    const name = envNameOf(key);
    const untrustedValue = env[name];
    if (untrustedValue === undefined || untrustedValue === '') continue;
    const value = coerce(untrustedValue, fallback);
    if (value === undefined) {
      return err(rayosError('RAYOS_CONFIG_INVALID_VALUE', `${name}="${untrustedValue}" (config key ${key}) must be a ${typeof fallback}.`, { key }));
    }
    setPath(tree, key, value);
  }
  return ok(tree);
}

function setLayer(sets: readonly string[]): Result<Tree, RayosError> {
  const tree: Tree = {};
  for (const untrustedPair of sets) {
    const eq = untrustedPair.indexOf('=');
    if (eq <= 0) return err(rayosError('RAYOS_CONFIG_INVALID_VALUE', `--set "${untrustedPair}" must look like key.path=value, e.g. --set api.port=7421.`));
    const key = untrustedPair.slice(0, eq);
    const raw = untrustedPair.slice(eq + 1);
    // Unknown keys fall through to schema validation, which names them; known ones are typed by their default.
    const value = CONFIG_KEYS.has(key) ? coerce(raw, CONFIG_KEYS.get(key)) : raw;
    if (value === undefined) return err(rayosError('RAYOS_CONFIG_INVALID_VALUE', `--set ${key}="${raw}" must be a ${typeof CONFIG_KEYS.get(key)}.`, { key }));
    setPath(tree, key, value);
  }
  return ok(tree);
}

function coerce(raw: string, like: unknown): unknown {
  if (typeof like === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (typeof like === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : undefined;
  return raw;
}

function describeIssue(issue: z.core.$ZodIssue, source: string): RayosError {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = [at, issue.keys[0]].filter(Boolean).join('.');
    const known = [...CONFIG_KEYS.keys()].filter((k) => k.startsWith(at === '' ? '' : `${at}.`)).join(', ');
    return rayosError('RAYOS_CONFIG_UNKNOWN_KEY', `Unknown config key "${key}" in ${source}; remove it or check its spelling (known keys: ${known}).`, { key });
  }
  return rayosError('RAYOS_CONFIG_INVALID_VALUE', `Config key "${at}" in ${source} is invalid: ${issue.message}.`, { key: at });
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    if (!isTree(node[part])) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1] as string] = value;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isTree(existing) && isTree(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
