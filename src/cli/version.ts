/** @module cli/version — the package version, read at run time from package.json. */
import { readFileSync } from 'node:fs';
import { AutoprobeError, isObject } from '../core/index.js';

// Two levels up from both src/cli/version.ts and dist/cli/version.js is the package root.
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** readVersion returns package.json's version; the file ships with the package (`files`). */
export function readVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
  if (isObject(pkg) && typeof pkg.version === 'string') return pkg.version;
  throw new AutoprobeError('AP_ERR_INTERNAL', 'package.json has no version');
}
