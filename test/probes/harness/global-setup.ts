/**
 * @module probes/harness/global-setup — before the probe suite: install (or confirm) every real
 * server with test/probes/servers/install.sh, failing the run loudly if one cannot be had; after
 * it: stop anything a crashed file left running, print the results table and write results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, RESULTS_DIR, SERVERS_DIR } from './paths.js';
import { readRows, renderTable, ROWS_DIR } from './results.js';
import { STARTED_LOG } from './servers.js';

function install(): number {
  const started = performance.now();
  process.stderr.write('probes: running test/probes/servers/install.sh (idempotent)\n');
  const run = spawnSync('bash', [join(SERVERS_DIR, 'install.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 60 * 60 * 1000,
  });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(
      `test/probes/servers/install.sh failed (${run.error?.message ?? `exit ${String(run.status ?? run.signal)}`}): ` +
        'the probe suite needs every real server and does not skip; see the output above',
    );
  }
  return Math.round(performance.now() - started);
}

function stopLeftovers(): void {
  if (!existsSync(STARTED_LOG)) return;
  const seen = new Set<string>();
  for (const line of readFileSync(STARTED_LOG, 'utf8').split('\n')) {
    const [engine, dir] = line.split(' ');
    if (engine === undefined || dir === undefined || seen.has(dir) || !existsSync(dir)) continue;
    seen.add(dir);
    const script = join(SERVERS_DIR, `start-${engine}.sh`);
    if (spawnSync('bash', [script, 'status', dir], { stdio: 'ignore' }).status === 0) {
      process.stderr.write(`probes: stopping leftover ${engine} server in ${dir}\n`);
      spawnSync('bash', [script, 'stop', dir], { stdio: 'ignore' });
    }
  }
}

/** Vitest global setup: returns the teardown. */
export default function setup(): () => void {
  rmSync(ROWS_DIR, { recursive: true, force: true });
  rmSync(STARTED_LOG, { force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const runStarted = new Date();
  const installMs = install();
  return () => {
    stopLeftovers();
    const rows = readRows();
    const failed = rows.filter((r) => r.verdict !== 'pass').length;
    const versionsFile = join(CACHE_DIR, 'versions.txt');
    const file = join(RESULTS_DIR, 'results.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          started: runStarted.toISOString(),
          finished: new Date().toISOString(),
          installMs,
          versions: existsSync(versionsFile)
            ? readFileSync(versionsFile, 'utf8').trim().split('\n')
            : [],
          rows,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(
      `\nProbe conformance: ${rows.length} probes executed, ${failed} failed (results: ${file})\n\n${renderTable(rows)}\n\n`,
    );
  };
}
