// Tests configuration layering and the errors that name the bad key and where it came from.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { envNameOf, loadConfig } from './config-loader.js';

const dirs: string[] = [];
function dataDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadConfig', () => {
  test('defaults apply when nothing is set', () => {
    const loaded = loadConfig({ dataDir: dataDir(), env: {}, sets: [] });
    assert.ok(loaded.ok);
    assert.equal(loaded.value.config.api.port, 7420);
    assert.equal(loaded.value.config.journal.durability, 'fsync');
    assert.equal(loaded.value.file, null);
  });

  test('file < environment < flags', () => {
    const dir = dataDir({ 'rayos.toml': '[api]\nport = 8000\nbodyLimitBytes = 4096\n[journal]\nmaxSegments = 9\n' });
    const loaded = loadConfig({ dataDir: dir, env: { RAYOS_API_PORT: '8001', RAYOS_JOURNAL_MAX_SEGMENTS: '10' }, sets: ['journal.maxSegments=11'] });
    assert.ok(loaded.ok);
    assert.equal(loaded.value.config.api.port, 8001);
    assert.equal(loaded.value.config.api.bodyLimitBytes, 4096);
    assert.equal(loaded.value.config.journal.maxSegments, 11);
    assert.equal(loaded.value.file, join(dir, 'rayos.toml'));
  });

  test('diagnostics.fault is none unless set to one of the injected hangs, from a flag or the environment', () => {
    const plain = loadConfig({ dataDir: dataDir(), env: {}, sets: [] });
    assert.ok(plain.ok && plain.value.config.diagnostics.fault === 'none');
    const flag = loadConfig({ dataDir: dataDir(), env: {}, sets: ['diagnostics.fault=hang-after-ready'] });
    assert.ok(flag.ok && flag.value.config.diagnostics.fault === 'hang-after-ready');
    const env = loadConfig({ dataDir: dataDir(), env: { [envNameOf('diagnostics.fault')]: 'hang-at-start' }, sets: [] });
    assert.ok(env.ok && env.value.config.diagnostics.fault === 'hang-at-start');
    const bad = loadConfig({ dataDir: dataDir(), env: {}, sets: ['diagnostics.fault=crash'] });
    assert.ok(!bad.ok && bad.error.code === 'RAYOS_CONFIG_INVALID_VALUE' && bad.error.details?.['key'] === 'diagnostics.fault');
  });

  test('vm.linuxStorage / vm.windowsStorage: empty by default (<data>/vm), absolute directories from the file or the environment, relative paths refused', () => {
    const plain = loadConfig({ dataDir: dataDir(), env: {}, sets: [] });
    assert.ok(plain.ok);
    assert.equal(plain.value.config.vm.linuxStorage, '');
    assert.equal(plain.value.config.vm.windowsStorage, '');
    const file = loadConfig({ dataDir: dataDir({ 'rayos.toml': '[vm]\nlinuxStorage = "/var/lib/rayos/vm-storage/linux/vm"\n' }), env: { RAYOS_VM_WINDOWS_STORAGE: '/srv/windows' }, sets: [] });
    assert.ok(file.ok, file.ok ? '' : file.error.message);
    assert.equal(file.value.config.vm.linuxStorage, '/var/lib/rayos/vm-storage/linux/vm');
    assert.equal(file.value.config.vm.windowsStorage, '/srv/windows');
    for (const [where, sources] of [
      ['the command line', { env: {}, sets: ['vm.linuxStorage=vm-disks'] }],
      ['the environment', { env: { RAYOS_VM_WINDOWS_STORAGE: './here' }, sets: [] }],
      ['the command line', { env: {}, sets: ['vm.linuxStorage=/srv/../etc'] }],
    ] as const) {
      const bad = loadConfig({ dataDir: dataDir(), ...sources });
      assert.ok(!bad.ok, JSON.stringify(sources));
      assert.equal(bad.error.code, 'RAYOS_CONFIG_INVALID_VALUE');
      assert.match(bad.error.message, new RegExp(`Config key "vm\\.(linux|windows)Storage" in ${where} is invalid: must be an absolute directory path`));
    }
    const relativeInFile = loadConfig({ dataDir: dataDir({ 'rayos.toml': '[vm]\nlinuxStorage = "vm"\n' }), env: {}, sets: [] });
    assert.ok(!relativeInFile.ok);
    assert.match(relativeInFile.error.message, /vm\.linuxStorage.*rayos\.toml is invalid/);
  });

  test('named flags win over --set', () => {
    const loaded = loadConfig({ dataDir: dataDir(), env: {}, sets: ['api.port=1234'], flags: { api: { port: 0 } } });
    assert.ok(loaded.ok);
    assert.equal(loaded.value.config.api.port, 0);
  });

  test('a JSON config file works too', () => {
    const loaded = loadConfig({ dataDir: dataDir({ 'rayos.json': '{"api":{"rateLimit":{"max":5}}}' }), env: {}, sets: [] });
    assert.ok(loaded.ok);
    assert.equal(loaded.value.config.api.rateLimit.max, 5);
  });

  test('an unknown key in the file stops startup naming the key and the file', () => {
    const dir = dataDir({ 'rayos.toml': '[api]\nprot = 8000\n' });
    const loaded = loadConfig({ dataDir: dir, env: {}, sets: [] });
    assert.equal(loaded.ok, false);
    if (loaded.ok) return;
    assert.equal(loaded.error.code, 'RAYOS_CONFIG_UNKNOWN_KEY');
    assert.match(loaded.error.message, /"api\.prot"/);
    assert.match(loaded.error.message, /rayos\.toml/);
    assert.match(loaded.error.message, /api\.port/);
  });

  test('an unknown top-level section is named', () => {
    const loaded = loadConfig({ dataDir: dataDir({ 'rayos.json': '{"gpu":{}}' }), env: {}, sets: [] });
    assert.ok(!loaded.ok && loaded.error.code === 'RAYOS_CONFIG_UNKNOWN_KEY' && /"gpu"/.test(loaded.error.message));
  });

  test('a bad value names the key and the layer', () => {
    const fromEnv = loadConfig({ dataDir: dataDir(), env: { RAYOS_API_PORT: '99999' }, sets: [] });
    assert.ok(!fromEnv.ok);
    assert.equal(fromEnv.error.code, 'RAYOS_CONFIG_INVALID_VALUE');
    assert.match(fromEnv.error.message, /"api\.port" in the environment/);
    const notNumber = loadConfig({ dataDir: dataDir(), env: { RAYOS_API_PORT: 'eighty' }, sets: [] });
    assert.ok(!notNumber.ok && /RAYOS_API_PORT="eighty"/.test(notNumber.error.message));
    const badEnum = loadConfig({ dataDir: dataDir(), env: {}, sets: ['journal.durability=sometimes'] });
    assert.ok(!badEnum.ok && /"journal\.durability" in the command line/.test(badEnum.error.message));
    const host = loadConfig({ dataDir: dataDir({ 'rayos.toml': '[api]\nhost = "0.0.0.0"\n' }), env: {}, sets: [] });
    assert.ok(!host.ok && /loopback/.test(host.error.message));
  });

  test('an unknown --set key and a malformed --set are refused', () => {
    const unknown = loadConfig({ dataDir: dataDir(), env: {}, sets: ['api.nope=1'] });
    assert.ok(!unknown.ok && unknown.error.code === 'RAYOS_CONFIG_UNKNOWN_KEY' && /"api\.nope"/.test(unknown.error.message));
    const malformed = loadConfig({ dataDir: dataDir(), env: {}, sets: ['api.port'] });
    assert.ok(!malformed.ok && malformed.error.code === 'RAYOS_CONFIG_INVALID_VALUE');
  });

  test('a file with bad syntax, or two config files, is refused', () => {
    const bad = loadConfig({ dataDir: dataDir({ 'rayos.toml': '[api\nport=' }), env: {}, sets: [] });
    assert.ok(!bad.ok && bad.error.code === 'RAYOS_CONFIG_PARSE');
    const both = loadConfig({ dataDir: dataDir({ 'rayos.toml': '', 'rayos.json': '{}' }), env: {}, sets: [] });
    assert.ok(!both.ok && both.error.code === 'RAYOS_CONFIG_PARSE' && /keep one/.test(both.error.message));
  });

  test('environment names follow the key path', () => {
    assert.equal(envNameOf('api.rateLimit.max'), 'RAYOS_API_RATE_LIMIT_MAX');
    assert.equal(envNameOf('journal.segmentBytes'), 'RAYOS_JOURNAL_SEGMENT_BYTES');
  });
});
