/**
 * @module scripts/write-docs — regenerate the generated files: docs/catalog.md, docs/reasons.md,
 * docs/safety.md, docs/lint.md, the chart's list of the catalog's image basenames (its prefilter) and its Grafana
 * dashboard.
 */
import { writeFileSync } from 'node:fs';
import { renderDashboard } from './render-dashboard.js';
import { renderPrefilterNames } from './render-prefilter.js';
import { renderCatalog } from './render-catalog.js';
import { renderLint } from './render-lint.js';
import { renderReasons } from './render-reasons.js';
import { renderSafety } from './render-safety.js';

writeFileSync(new URL('../docs/catalog.md', import.meta.url), renderCatalog());
writeFileSync(new URL('../docs/reasons.md', import.meta.url), renderReasons());
writeFileSync(new URL('../docs/safety.md', import.meta.url), renderSafety());
writeFileSync(new URL('../docs/lint.md', import.meta.url), renderLint());
writeFileSync(
  new URL('../charts/autoprobe/files/prefilter-basenames.txt', import.meta.url),
  renderPrefilterNames(),
);
writeFileSync(
  new URL('../charts/autoprobe/files/grafana-dashboard.json', import.meta.url),
  renderDashboard(),
);
process.stdout.write(
  'docs/catalog.md, docs/reasons.md, docs/safety.md, docs/lint.md, charts/autoprobe/files/prefilter-basenames.txt and grafana-dashboard.json written\n',
);
