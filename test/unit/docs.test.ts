// Generated documentation matches the data it is generated from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCatalog } from '../../scripts/render-catalog.js';
import { renderLint } from '../../scripts/render-lint.js';
import { renderPrefilterNames } from '../../scripts/render-prefilter.js';
import { renderReasons } from '../../scripts/render-reasons.js';
import { renderSafety } from '../../scripts/render-safety.js';

describe('docs/catalog.md', () => {
  it('is up to date with the catalog data (run `npm run docs` to refresh)', () => {
    const onDisk = readFileSync(new URL('../../docs/catalog.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderCatalog());
  });

  it('docs/reasons.md is up to date with the reason codes', () => {
    expect(readFileSync(new URL('../../docs/reasons.md', import.meta.url), 'utf8')).toBe(
      renderReasons(),
    );
  });

  it('docs/lint.md is up to date with the lint rules', () => {
    expect(readFileSync(new URL('../../docs/lint.md', import.meta.url), 'utf8')).toBe(renderLint());
  });

  it('docs/safety.md is up to date with the safety invariants', () => {
    expect(readFileSync(new URL('../../docs/safety.md', import.meta.url), 'utf8')).toBe(
      renderSafety(),
    );
  });

  it("the chart's prefilter names are up to date with the catalog", () => {
    const file = new URL('../../charts/autoprobe/files/prefilter-basenames.txt', import.meta.url);
    expect(readFileSync(file, 'utf8')).toBe(renderPrefilterNames());
  });

  it('cites only sources listed in docs/sources.md', () => {
    const sources = readFileSync(new URL('../../docs/sources.md', import.meta.url), 'utf8');
    const cited = new Set(
      [...renderCatalog().matchAll(/\[([A-Z][A-Za-z0-9-]+)\]/g)].map((m) => m[1]),
    );
    for (const key of cited) expect(sources, `source ${key}`).toContain(`[${key}]`);
  });
});
