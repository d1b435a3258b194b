// Owns the data volume layout: where the state db, journal, VM files, policies and crash artifacts live.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES } from '../../contracts/api-routes.js';

export interface DataLayout {
  readonly root: string;
  readonly stateDb: string;
  readonly journalDir: string;
  readonly vmDir: string;
  /** Installed guest images (kernel, initramfs), one folder per build key. */
  readonly imagesDir: string;
  readonly policyDir: string;
  readonly crashDir: string;
  readonly lockFile: string;
  readonly socket: string;
  readonly token: string;
  readonly runtimeInfo: string;
}

export function dataLayout(root: string): DataLayout {
  return {
    root,
    stateDb: join(root, 'state.db'),
    journalDir: join(root, 'journal'),
    vmDir: join(root, 'vm'),
    imagesDir: join(root, 'images'),
    policyDir: join(root, 'policy'),
    crashDir: join(root, 'crash'),
    lockFile: join(root, DATA_FILES.lock),
    socket: join(root, DATA_FILES.socket),
    token: join(root, DATA_FILES.token),
    runtimeInfo: join(root, DATA_FILES.runtimeInfo),
  };
}

/** Owner-only: the directory holds the API token and the control socket. */
export function createLayout(layout: DataLayout): void {
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  chmodSync(layout.root, 0o700);
  for (const dir of [layout.journalDir, layout.vmDir, layout.imagesDir, layout.policyDir, layout.crashDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
}
