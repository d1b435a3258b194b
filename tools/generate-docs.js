// Regenerates docs/MARKERS.md, docs/ERRORS.md and docs/CONFIG.md from the compiled contracts (run after `npx tsc -b`).
import { writeFileSync } from 'node:fs';
import { renderConfigCatalog, renderErrorCatalog, renderMarkerCatalog } from '../dist/src/contracts/catalog-docs.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('docs/MARKERS.md', root), renderMarkerCatalog());
writeFileSync(new URL('docs/ERRORS.md', root), renderErrorCatalog());
writeFileSync(new URL('docs/CONFIG.md', root), renderConfigCatalog());
console.log('wrote docs/MARKERS.md, docs/ERRORS.md and docs/CONFIG.md');
