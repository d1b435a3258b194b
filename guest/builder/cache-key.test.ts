// Tests the guest cache key: stable for equal inputs whatever the key order, different when any input changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILDER_VERSION, cacheKey, canonicalJson, type GuestInputs } from './cache-key.js';

const base: GuestInputs = {
  builderVersion: BUILDER_VERSION,
  kernelPackage: 'linux-image-6.1.0-56-amd64',
  kernelPackageVersion: '6.1.192-2',
  busyboxVersion: '1:1.35.0-4+deb12u1+b1',
  agentSources: { 'rayos-agent.c': 'a'.repeat(64), 'agent-json.c': 'b'.repeat(64) },
  compiler: 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0',
  initScript: '#!/bin/busybox sh\n',
  modules: ['virtio_pci', 'ext4'],
  displayModules: ['bochs'],
  kernelCmdline: 'console=ttyS0 quiet',
};

test('equal inputs give the same key, however their keys are ordered', () => {
  const reordered: GuestInputs = {
    modules: ['virtio_pci', 'ext4'],
    displayModules: ['bochs'],
    kernelCmdline: 'console=ttyS0 quiet',
    initScript: '#!/bin/busybox sh\n',
    compiler: base.compiler,
    agentSources: { 'agent-json.c': 'b'.repeat(64), 'rayos-agent.c': 'a'.repeat(64) },
    busyboxVersion: base.busyboxVersion,
    kernelPackageVersion: base.kernelPackageVersion,
    kernelPackage: base.kernelPackage,
    builderVersion: base.builderVersion,
  };
  assert.equal(cacheKey(reordered), cacheKey(base));
  assert.equal(cacheKey(base), cacheKey(structuredClone(base)));
});

test('the key reads as the kernel plus a hash, and is safe as a folder name and for `current`', () => {
  assert.match(cacheKey(base), /^linux-6\.1\.0-56-amd64-[0-9a-f]{16}$/);
});

test('every input changes the key', () => {
  const variants: Partial<GuestInputs>[] = [
    { builderVersion: BUILDER_VERSION + 1 },
    { kernelPackage: 'linux-image-6.1.0-57-amd64' },
    { kernelPackageVersion: '6.1.193-1' },
    { busyboxVersion: '1:1.36.0-1' },
    { agentSources: { ...base.agentSources, 'rayos-agent.c': 'c'.repeat(64) } },
    { agentSources: { ...base.agentSources, 'agent-exec.c': 'd'.repeat(64) } },
    { compiler: 'gcc 13' },
    { initScript: '#!/bin/busybox sh\necho hi\n' },
    { modules: ['ext4', 'virtio_pci'] },
    { displayModules: [] },
    { kernelCmdline: 'console=ttyS0' },
  ];
  const keys = new Set([cacheKey(base), ...variants.map((v) => cacheKey({ ...base, ...v }))]);
  assert.equal(keys.size, variants.length + 1);
});

test('canonicalJson sorts object keys at every depth and keeps array order', () => {
  assert.equal(canonicalJson({ b: [2, { y: 1, x: 0 }], a: 'q' }), '{"a":"q","b":[2,{"x":0,"y":1}]}');
});
