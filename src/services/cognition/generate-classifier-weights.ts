// Owns regenerating classifier-weights.ts (the fallback classifier's counts) from the registry and the corpus: node dist/src/services/cognition/generate-classifier-weights.js
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderWeightsModule, trainCounts } from './classifier-training.js';

// Run from dist/src/services/cognition/: the source file is four levels up, under src/.
const target = fileURLToPath(new URL('../../../../src/services/cognition/classifier-weights.ts', import.meta.url));
writeFileSync(target, renderWeightsModule(trainCounts()));
process.stdout.write(`wrote ${target}\n`);
