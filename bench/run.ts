/**
 * @module bench/run — `npm run bench`: the webhook benchmark (baseline vs `autoprobe serve`, plus
 * an autoprobe with nothing to do as the floor of the server without its engine, and the engine's
 * stages timed in-process) and the offline CLI benchmark; prints a table and writes
 * bench/results.json.
 *
 * Flags: `--quick` (short phases), `--skip-server`, `--skip-cli` (the skipped part's figures
 * are kept from the previous results file), `--abuse` (only the abuse figures, abuse-bench.ts,
 * written into the results file's `abuse` key, the rest kept), `--seed N`, `--out FILE`, `--main PATH` (measure
 * another build, e.g. an older commit's, for before/after), `--profile` (instead of the
 * benchmark: one CPU-profiled run of `autoprobe serve` at a fixed load, summarised into
 * bench/.cache/profile/; `--rate N` and `--containers N` set its load and a fixed-size corpus).
 *
 * Placement: with `taskset`, every server runs on CPU 0 (one loaded at a time) and this process
 * (the load generator) on CPU 1, so the two never take each other's time; the figures are per
 * core.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runAbuseBench } from './abuse-bench.js';
import { runCliBench } from './cli-bench.js';
import type { CliReport } from './cli-bench.js';
import { prefilterExpression } from '../src/admission/index.js';
import { DEFAULT_CATALOG } from '../src/core/index.js';
import { LATENCY_FILE } from '../test/e2e/harness/latency.js';
import { passesPrefilter } from '../test/generators/cel.js';
import {
  CACHE_DIR,
  DEFAULT_SEED,
  clusterMixCorpus,
  corpusStats,
  fixedCorpus,
  mixedCorpus,
} from './corpus.js';
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
import type { ServerProcess } from './lib/servers.js';
import { runProfile } from './profile.js';
import { measureEngineStages } from './engine-stages.js';
import type { EngineStages } from './engine-stages.js';
import { DEFAULT_PLAN, QUICK_PLAN, benchServer, interleavedSaturation } from './server-bench.js';
import type {
  SaturationReport,
  ServerBenchInput,
  ServerBenchPlan,
  ServerReport,
} from './server-bench.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-server': { type: 'boolean', default: false },
    'skip-cli': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    abuse: { type: 'boolean', default: false },
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
): Promise<{
  baseline: ServerReport;
  autoprobe: ServerReport;
  idle: SaturationReport;
  mixed: CorpusEntry[];
  clusterMix: { autoprobe: SaturationReport; baseline: SaturationReport };
  prefilterSkippedShare: number;
}> {
  const dir = join(CACHE_DIR, 'run');
  mkdirSync(dir, { recursive: true });
  const tls = await writeTls(dir);
  log('generating the corpus');
  const mixed = mixedCorpus(2000, seed);
  const byContainers = new Map(plan.containers.map((n) => [n, fixedCorpus(n, 200, seed)]));
  const cpu = pinned ? '0' : undefined;

  // All three run at once, each on CPU 0 (an idle server costs nothing), so their saturation can
  // be measured in interleaved rounds; then the baseline and autoprobe get the fixed loads.
  const servers: ServerProcess[] = [];
  try {
    const baselineServer = await startBaseline(tls, cpu);
    servers.push(baselineServer);
    const autoprobeServer = await startAutoprobe({
      tls,
      dir,
      ...(cpu === undefined ? {} : { cpu }),
      logFile: join(dir, 'autoprobe.log'),
      ...(values.main === undefined ? {} : { main: values.main }),
    });
    servers.push(autoprobeServer);
    // The same server with nothing to do (every namespace of the corpus excluded): the cost of
    // TLS, HTTP, Fastify, the body's JSON.parse, the log line and the metrics, without the engine.
    const idleDir = join(dir, 'idle');
    const idleServer = await startAutoprobe({
      tls,
      dir: idleDir,
      ...(cpu === undefined ? {} : { cpu }),
      logFile: join(idleDir, 'autoprobe.log'),
      extraConfig: `excludedNamespaces: ${JSON.stringify(namespacesOf(mixed))}`,
      ...(values.main === undefined ? {} : { main: values.main }),
    });
    servers.push(idleServer);
    const inputOf = (server: ServerProcess): ServerBenchInput => ({
      server,
      tls,
      mixed,
      byContainers,
      plan,
      log,
    });
    const inputs = [
      inputOf(baselineServer),
      inputOf(autoprobeServer),
      inputOf({ ...idleServer, name: 'autoprobe (nothing to do)' }),
    ] as const;
    const [baselineSat, autoprobeSat, idle] = await interleavedSaturation(inputs);
    if (baselineSat === undefined || autoprobeSat === undefined || idle === undefined) {
      throw new Error('a server has no saturation figures');
    }
    await idleServer.stop();
    // The same paired rounds over the cluster mix: nine Pods in ten run no engine.
    log('cluster mix: interleaved saturation, baseline and autoprobe');
    const clusterMix = clusterMixCorpus(2000, seed);
    const [clusterBaseline, clusterAutoprobe] = await interleavedSaturation([
      { ...inputs[0], mixed: clusterMix },
      { ...inputs[1], mixed: clusterMix },
    ]);
    if (clusterBaseline === undefined || clusterAutoprobe === undefined) {
      throw new Error('no cluster-mix saturation figures');
    }
    const baseline = await benchServer(inputs[0], baselineSat);
    await baselineServer.stop();
    const autoprobe = await benchServer(inputs[1], autoprobeSat);
    return {
      baseline,
      autoprobe,
      idle,
      mixed,
      clusterMix: { autoprobe: clusterAutoprobe, baseline: clusterBaseline },
      prefilterSkippedShare: skippedShare(clusterMix),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** skippedShare is the share of a corpus the generated prefilter excludes (evaluated in CEL). */
function skippedShare(corpus: readonly CorpusEntry[]): number {
  const expression = prefilterExpression(DEFAULT_CATALOG);
  const passing = corpus.filter((e) => {
    const review = JSON.parse(e.body) as { request: { object: Record<string, unknown> } };
    return passesPrefilter(expression, review.request.object);
  }).length;
  return Math.round((1 - passing / corpus.length) * 1000) / 1000;
}

/** e2eAdded reads what the latest e2e latency test measured on the newest apiserver, if it ran. */
function e2eAdded(): { kubeVersion: string; medianMs: number; p99Ms: number } | undefined {
  if (!existsSync(LATENCY_FILE)) return undefined;
  const all = JSON.parse(readFileSync(LATENCY_FILE, 'utf8')) as Record<
    string,
    { kubeVersion: string; addedByAutoprobeMs: { median: number; p99: number } }
  >;
  const newest = Object.values(all).sort((x, y) =>
    y.kubeVersion.localeCompare(x.kubeVersion, 'en', { numeric: true }),
  )[0];
  return newest === undefined
    ? undefined
    : {
        kubeVersion: newest.kubeVersion,
        medianMs: newest.addedByAutoprobeMs.median,
        p99Ms: newest.addedByAutoprobeMs.p99,
      };
}

/** engineStages times the decision's stages in this process, after the servers stopped. */
async function engineStages(mixed: readonly CorpusEntry[]): Promise<EngineStages> {
  log('engine stages: in this process, mixed corpus');
  return measureEngineStages(mixed, {
    rounds: values.quick ? 3 : 10,
    ...(values.main === undefined ? {} : { main: values.main }),
  });
}

/** namespacesOf lists the namespaces the corpus's reviews come from. */
function namespacesOf(corpus: readonly CorpusEntry[]): string[] {
  const names = new Set<string>();
  for (const entry of corpus) {
    const review = JSON.parse(entry.body) as { request: { namespace: string } };
    names.add(review.request.namespace);
  }
  return [...names].sort();
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

/** profileOnly runs the CPU-profiled run instead of the benchmark (`--profile`). */
async function profileOnly(seed: number, pinned: boolean): Promise<void> {
  await runProfile({
    seed,
    pinned,
    log,
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
    ...(values.containers === undefined ? {} : { containers: Number(values.containers) }),
  });
}

/** abuseOnly measures the abuse figures and writes them into the results file's `abuse` key. */
async function abuseOnly(): Promise<void> {
  const dir = join(CACHE_DIR, 'run');
  const abuse = await runAbuseBench({
    tls: await writeTls(dir),
    dir,
    log,
    ...(values.main === undefined ? {} : { main: values.main }),
  });
  const previous = existsSync(values.out)
    ? (JSON.parse(readFileSync(values.out, 'utf8')) as Record<string, unknown>)
    : {};
  process.stdout.write(`${JSON.stringify(abuse, null, 2)}\n`);
  writeFileSync(values.out, `${JSON.stringify({ ...previous, abuse }, null, 2)}\n`);
  log(`wrote ${values.out}`);
}

async function main(): Promise<void> {
  const seed = Number(values.seed);
  const pinned = pinSelf('1');
  if (!pinned) log('taskset is not available: the servers and the load generator share the CPUs');
  const prioritised = prioritiseSelf();
  if (!prioritised) log('not root: the measured processes run at the default priority');
  if (values.profile) {
    await profileOnly(seed, pinned);
    return;
  }
  if (values.abuse) {
    await abuseOnly();
    return;
  }
  const plan = values.quick ? QUICK_PLAN : DEFAULT_PLAN;
  const servers = values['skip-server'] ? undefined : await serverBench(seed, plan, pinned);
  const stages = servers === undefined ? undefined : await engineStages(servers.mixed);
  let cli: CliReport | undefined;
  if (!values['skip-cli']) cli = await runCliBench({ seed, log });
  const e2e = e2eAdded();
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
          idle: servers.idle,
          clusterMix: servers.clusterMix,
          prefilterSkippedShare: servers.prefilterSkippedShare,
          ...(stages === undefined ? {} : { stages }),
          corpus: corpusStats(servers.mixed),
        }),
    ...(cli === undefined ? {} : { cli }),
    ...(e2e === undefined ? {} : { e2e }),
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
