// Owns what the VM service tests share: a sample VM config, and the storage service started on a data dir.
import { ConfigSchema } from '../../contracts/config.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { createStorageService, type StorageService } from '../storage/api.js';
import type { VmConfig } from './vm-registry.js';

/** The state database as the runtime opens it (every migration applied); the journal skips fsync, as tests need no durability. */
export async function startTestStorage(dataDir: string): Promise<StorageService> {
  const storage = createStorageService({ dataDir, version: 'test' });
  await storage.start({
    config: ConfigSchema.parse({ journal: { durability: 'none' } }),
    dataDir,
    bus: new EventBus(100),
    markers: new MarkerWriter({ write: null, historySize: 100 }),
    signal: new AbortController().signal,
  });
  return storage;
}

/** A small VM with one qcow2 disk, no image, no agent. */
export const SAMPLE_VM_CONFIG: VmConfig = {
  machine: 'q35',
  memoryMiB: 256,
  vcpus: 1,
  disks: [{ nodeName: 'disk0', file: 'disk0.qcow2', format: 'qcow2', sizeMiB: 64 }],
  image: null,
  firmware: { kind: 'bios' },
  tpmDir: null,
  network: 'none',
  agent: false,
};
