#!/usr/bin/env node
// The runtime process's entry: sets V8's engine flags, then loads the commands (and with them Cedar's wasm).
import { setFlagsFromString } from 'node:v8';

// Cedar is a 4 MB wasm module. V8's optimizing tier recompiles its hot functions on background threads:
// on a 2-core host that more than doubled start-to-READY and added about 70 MiB of resident memory, for
// decisions that the baseline tier (Liftoff) already makes in well under a millisecond (bench/policy).
// The flags must be set before the module is compiled, hence the dynamic import.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--wasm-lazy-compilation');
await import('./runtime-commands.js');
