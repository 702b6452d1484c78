/**
 * @module bench/run — `npm run bench`: the webhook benchmark (baseline vs `autoprobe serve`) and
 * the offline CLI benchmark; prints a table and writes bench/results.json.
 *
 * Flags: `--quick` (short phases), `--skip-server`, `--skip-cli` (the skipped part's figures
 * are kept from the previous results file), `--seed N`, `--out FILE`, `--main PATH` (measure
 * another build, e.g. an older commit's, for before/after), `--profile` (instead of the
 * benchmark: one CPU-profiled run of `autoprobe serve` at a fixed load, summarised into
 * bench/.cache/profile/; `--rate N` and `--containers N` set its load and a fixed-size corpus).
 *
 * Placement: with `taskset`, every server runs alone on CPU 0 and this process (the load
 * generator) on CPU 1, so the two never take each other's time; the figures are per core.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCliBench } from './cli-bench.js';
import type { CliReport } from './cli-bench.js';
import { CACHE_DIR, DEFAULT_SEED, corpusStats, fixedCorpus, mixedCorpus } from './corpus.js';
import type { CorpusEntry } from './corpus.js';
import { machine } from './lib/machine.js';
import { buildResults, formatTables } from './lib/report.js';
import {
  ROOT,
  pinSelf,
  prioritiseSelf,
  startAutoprobe,
  startBaseline,
  writeTls,
} from './lib/servers.js';
import { runProfile } from './profile.js';
import { DEFAULT_PLAN, QUICK_PLAN, benchServer } from './server-bench.js';
import type { ServerBenchPlan, ServerReport } from './server-bench.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-server': { type: 'boolean', default: false },
    'skip-cli': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    rate: { type: 'string' },
    containers: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    out: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
    // Another build of autoprobe to measure (e.g. a worktree of an older commit), for before/after.
    main: { type: 'string' },
  },
});

const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

async function serverBench(
  seed: number,
  plan: ServerBenchPlan,
  pinned: boolean,
): Promise<{ baseline: ServerReport; autoprobe: ServerReport; mixed: CorpusEntry[] }> {
  const dir = join(CACHE_DIR, 'run');
  mkdirSync(dir, { recursive: true });
  const tls = await writeTls(dir);
  log('generating the corpus');
  const mixed = mixedCorpus(2000, seed);
  const byContainers = new Map(plan.containers.map((n) => [n, fixedCorpus(n, 200, seed)]));
  const cpu = pinned ? '0' : undefined;

  const baselineServer = await startBaseline(tls, cpu);
  let baseline: ServerReport;
  try {
    baseline = await benchServer({ server: baselineServer, tls, mixed, byContainers, plan, log });
  } finally {
    await baselineServer.stop();
  }
  const autoprobeServer = await startAutoprobe({
    tls,
    dir,
    ...(cpu === undefined ? {} : { cpu }),
    logFile: join(dir, 'autoprobe.log'),
    ...(values.main === undefined ? {} : { main: values.main }),
  });
  let autoprobe: ServerReport;
  try {
    autoprobe = await benchServer({ server: autoprobeServer, tls, mixed, byContainers, plan, log });
  } finally {
    await autoprobeServer.stop();
  }
  return { baseline, autoprobe, mixed };
}

/** withPrevious keeps the figures of a skipped part from the previous results file. */
function withPrevious(
  results: Record<string, unknown>,
  file: string,
  skipped: { readonly server: boolean; readonly cli: boolean },
): Record<string, unknown> {
  if (!existsSync(file) || (!skipped.server && !skipped.cli)) return results;
  const previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const kept = Object.entries(previous).filter(([key]) =>
    key === 'cli' ? skipped.cli : skipped.server && key !== 'machine' && key !== 'method',
  );
  return { ...Object.fromEntries(kept), ...results };
}

async function main(): Promise<void> {
  const seed = Number(values.seed);
  const pinned = pinSelf('1');
  if (!pinned) log('taskset is not available: the servers and the load generator share the CPUs');
  const prioritised = prioritiseSelf();
  if (!prioritised) log('not root: the measured processes run at the default priority');
  if (values.profile) {
    await runProfile({
      seed,
      pinned,
      log,
      ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
      ...(values.containers === undefined ? {} : { containers: Number(values.containers) }),
    });
    return;
  }
  const plan = values.quick ? QUICK_PLAN : DEFAULT_PLAN;
  const servers = values['skip-server'] ? undefined : await serverBench(seed, plan, pinned);
  let cli: CliReport | undefined;
  if (!values['skip-cli']) cli = await runCliBench({ seed, log });
  const measured = buildResults({
    machine: machine(),
    seed,
    pinned,
    prioritised,
    plan,
    ...(servers === undefined
      ? {}
      : {
          baseline: servers.baseline,
          autoprobe: servers.autoprobe,
          corpus: corpusStats(servers.mixed),
        }),
    ...(cli === undefined ? {} : { cli }),
  });
  const results = withPrevious(measured, values.out, {
    server: servers === undefined,
    cli: cli === undefined,
  });
  process.stdout.write(formatTables(results));
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${values.out}`);
}

await main();
