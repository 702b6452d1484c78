/** @module scripts/write-docs — regenerate the generated documentation (docs/catalog.md). */
import { writeFileSync } from 'node:fs';
import { renderCatalog } from './render-catalog.js';

writeFileSync(new URL('../docs/catalog.md', import.meta.url), renderCatalog());
process.stdout.write('docs/catalog.md written\n');
