/** Golden files: compare output with test/fixtures/golden/NAME; `UPDATE_GOLDEN=1` rewrites them. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './run-cli.js';

const GOLDEN_DIR = join(ROOT, 'test', 'fixtures', 'golden');

/** expectGolden asserts `actual` equals the golden file, or writes it in update mode. */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const hint = `golden file ${name}; after checking the change, refresh with UPDATE_GOLDEN=1`;
  expect(existsSync(path), `missing ${hint}`).toBe(true);
  expect(actual, hint).toBe(readFileSync(path, 'utf8'));
}
