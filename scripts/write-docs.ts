/** @module scripts/write-docs — regenerate the generated documentation (docs/catalog.md, docs/reasons.md, docs/safety.md). */
import { writeFileSync } from 'node:fs';
import { renderCatalog } from './render-catalog.js';
import { renderReasons } from './render-reasons.js';
import { renderSafety } from './render-safety.js';

writeFileSync(new URL('../docs/catalog.md', import.meta.url), renderCatalog());
writeFileSync(new URL('../docs/reasons.md', import.meta.url), renderReasons());
writeFileSync(new URL('../docs/safety.md', import.meta.url), renderSafety());
process.stdout.write('docs/catalog.md, docs/reasons.md and docs/safety.md written\n');
