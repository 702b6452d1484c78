/**
 * @module probes/harness/paths — where the probe suite finds its server scripts and the registry
 * cache, and where it writes its results (under the git-ignored `coverage/`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** test/probes/servers: install.sh and start-<engine>.sh. */
export const SERVERS_DIR = fileURLToPath(new URL('../servers/', import.meta.url));

/** Results of a run: `rows/*.jsonl` written by the test files, `results.json` by the teardown. */
export const RESULTS_DIR =
  process.env.AUTOPROBE_PROBE_RESULTS_DIR ?? join(REPO_ROOT, 'coverage', 'probes');

/** The registry download cache install.sh fills (same rule as servers/lib.sh). */
export const CACHE_DIR =
  process.env.AUTOPROBE_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'autoprobe');
