/** @module verification.test — every exec readiness command in the catalog says how it was verified. */
import { describe, expect, it } from 'vitest';
import { renderCatalog } from '../../../scripts/render-catalog.js';
import { VERIFICATION } from '../../../scripts/catalog-verification.js';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';

/** The rows of the catalog's "Exec readiness command" tables: [variant, version, command, verified]. */
function commandRows(): string[][] {
  const rows: string[][] = [];
  let inTable = false;
  for (const line of renderCatalog().split('\n')) {
    if (line.startsWith('| Variant | Version | Exec readiness command')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !line.startsWith('|---')) {
      rows.push(
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    }
  }
  return rows;
}

describe('catalog verification', () => {
  it('gives every rendered exec command a verification entry (executed by test/probes, or why not)', () => {
    const exec = commandRows().filter((r) => r[2]?.startsWith('`'));
    expect(exec.length).toBeGreaterThan(20);
    for (const [variant, version, command, verified] of exec) {
      expect(verified, `${variant} ${version}: ${command}`).not.toBe('not executed here');
    }
  });

  it('marks TCP-only rows as having no command to verify', () => {
    for (const [variant, version, command, verified] of commandRows()) {
      if (command?.startsWith('TCP'))
        expect(verified, `${variant} ${version}`).toBe('n/a (TCP readiness)');
    }
  });

  it('names only variants that exist in the catalog', () => {
    for (const entry of VERIFICATION) {
      const known = DEFAULT_CATALOG.images
        .filter((v) => v.family === entry.family)
        .map((v) => v.variant);
      if (entry.variants !== 'all') {
        for (const variant of entry.variants) expect(known, entry.family).toContain(variant);
      }
    }
  });
});
