/** @module scripts/write-docs — regenerate the generated documentation (docs/catalog.md, docs/reasons.md). */
import { writeFileSync } from 'node:fs';
import { renderCatalog } from './render-catalog.js';
import { renderReasons } from './render-reasons.js';

writeFileSync(new URL('../docs/catalog.md', import.meta.url), renderCatalog());
writeFileSync(new URL('../docs/reasons.md', import.meta.url), renderReasons());
process.stdout.write('docs/catalog.md and docs/reasons.md written\n');
