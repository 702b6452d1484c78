/** Files generated from the chart: compare, or rewrite them with `UPDATE_GOLDEN=1`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './helm.js';

/** expectFile asserts the file at `path` holds `actual`, or writes it in update mode. */
export function expectFile(path: string, actual: string): void {
  const name = relative(ROOT, path);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const hint = `${name} is out of date with charts/autoprobe; after checking the change, refresh with UPDATE_GOLDEN=1 npm run test:chart`;
  expect(
    existsSync(path),
    `missing ${name}; create it with UPDATE_GOLDEN=1 npm run test:chart`,
  ).toBe(true);
  expect(actual, hint).toBe(readFileSync(path, 'utf8'));
}
