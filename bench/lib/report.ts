/**
 * @module bench/lib/report — turn the measurements into bench/results.json (headline fields
 * first, everything else after) and into the human tables printed at the end of `npm run bench`.
 */
import type { CliReport } from '../cli-bench.js';
import type { CorpusStats } from '../corpus.js';
import type { EngineStages } from '../engine-stages.js';
import { median } from './load.js';
import { fitLine } from '../server-bench.js';
import type {
  LinearFit,
  Phase,
  SaturationReport,
  ServerBenchPlan,
  ServerReport,
} from '../server-bench.js';
import type { Machine } from './machine.js';

/**
 * The goals (figures to compare against, never assertions). Issue 6's throughput ratio (0.7 of
 * the floor) and p99 at 1,000/s are withdrawn by issue 14, which replaced them with CPU and tail
 * latency against the floor measured in the same run, and the CLI against a plain YAML round trip.
 */
export const GOALS = {
  cpuRatio: 2.0,
  p99Ratio200: 3,
  memoryGrowthPct: 10,
  linearR2: 0.98,
  e2eAddedMedianMs: 2.5,
  e2eAddedP99Ms: 4,
  cliRatio: 1.2,
} as const;

/** Inputs of buildResults. */
export interface ResultInputs {
  readonly machine: Machine;
  readonly seed: number;
  readonly pinned: boolean;
  readonly prioritised: boolean;
  readonly plan: ServerBenchPlan;
  readonly baseline?: ServerReport;
  readonly autoprobe?: ServerReport;
  /** autoprobe with nothing to do (every namespace of the corpus excluded). */
  readonly idle?: SaturationReport;
  readonly stages?: EngineStages;
  readonly corpus?: CorpusStats;
  readonly cli?: CliReport;
  /** The paired saturation rounds over the cluster-mix corpus (autoprobe, baseline). */
  readonly clusterMix?: {
    readonly autoprobe: SaturationReport;
    readonly baseline: SaturationReport;
  };
  /** Share of the cluster-mix corpus the generated prefilter excludes. */
  readonly prefilterSkippedShare?: number;
  /** The latest real-apiserver latency report (coverage/e2e/latency.json), if any. */
  readonly e2e?: {
    readonly kubeVersion: string;
    readonly medianMs: number;
    readonly p99Ms: number;
  };
}

/** bench/results.json. */
export type Results = Record<string, unknown>;

function loadRow(report: ServerReport, rate: number): Record<string, number> | null {
  const phase = report.loads.find((p) => p.load.offeredRps === rate);
  if (phase === undefined) return null;
  const l = phase.load;
  return {
    p50_ms: l.latencyMs.p50,
    p90_ms: l.latencyMs.p90,
    p99_ms: l.latencyMs.p99,
    p999_ms: l.latencyMs.p999,
    max_ms: l.latencyMs.max,
    achieved_rps: l.achievedRps,
    failed: l.failed,
    server_cpu_pct: phase.server.cpuPct,
    server_cpu_us_per_review: phase.server.cpuUsPerReview,
    other_processes_cpu_pct: phase.server.otherCpuPct,
    client_cpu_pct: l.clientCpuPct,
  };
}

/**
 * pairedRatio is the median, over the saturation rounds, of the two servers' throughput ratio in
 * the same round: the machine's drift between rounds cancels out of each ratio.
 */
export function pairedRatio(a: readonly Phase[], b: readonly Phase[]): number {
  const ratios = a
    .map((phase, i) => phase.load.achievedRps / (b[i]?.load.achievedRps ?? NaN))
    .filter((r) => Number.isFinite(r));
  return Math.round(median(ratios) * 1000) / 1000;
}

/** pairedCpuRatio is the median over the rounds of CPU per review, `a` over `b`, same round. */
export function pairedCpuRatio(a: readonly Phase[], b: readonly Phase[]): number {
  const ratios = a
    .map((phase, i) => phase.server.cpuUsPerReview / (b[i]?.server.cpuUsPerReview ?? NaN))
    .filter((r) => Number.isFinite(r));
  return Math.round(median(ratios) * 100) / 100;
}

/** roundsOf lists every saturation round's throughput and CPU per review, in the order run. */
function roundsOf(report: Pick<ServerReport, 'saturationRounds'>): Results[] {
  return report.saturationRounds.map((phase) => ({
    rps: phase.load.achievedRps,
    cpu_us_per_review: phase.server.cpuUsPerReview,
  }));
}

function fitOf(report: ServerReport): LinearFit {
  return fitLine(report.containers.map((c) => ({ x: c.containers, y: c.cpuUsPerReview })));
}

/** goal reports a figure against an upper bound. */
function atMost(bound: number, value: number | null, what = ''): Results {
  return { goal: `<= ${bound}${what}`, value, met: value !== null && value <= bound };
}

/** ratioOf is a / b to two decimals, or null when either is missing. */
function ratioOf(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined
    ? null
    : Math.round((a / b) * 100) / 100;
}

/** The figures issue 14 asks for, first in results.json. */
interface Headline {
  readonly cpuRatio: number;
  readonly p99: number | null;
  readonly baseP99: number | null;
  readonly p99Ratio: number | null;
  readonly mixRatio: number | null;
  readonly e2eMedian: number | null;
  readonly e2eP99: number | null;
  readonly cliRatio: number | null;
}

function headlineOf(input: ResultInputs, a: ServerReport, b: ServerReport): Headline {
  const p99 = loadRow(a, 200)?.p99_ms ?? null;
  const baseP99 = loadRow(b, 200)?.p99_ms ?? null;
  const mix = input.clusterMix;
  return {
    cpuRatio: pairedCpuRatio(a.saturationRounds, b.saturationRounds),
    p99,
    baseP99,
    p99Ratio: ratioOf(p99, baseP99),
    mixRatio: mix === undefined ? null : pairedCpuRatio(mix.autoprobe.rounds, mix.baseline.rounds),
    e2eMedian: input.e2e?.medianMs ?? null,
    e2eP99: input.e2e?.p99Ms ?? null,
    cliRatio: input.cli?.layouts[0]?.timeRatio ?? null,
  };
}

/** headline renders issue 14's fields and their goals. */
function headline(input: ResultInputs, a: ServerReport, b: ServerReport): Results {
  const h = headlineOf(input, a, b);
  const database = ' (database Pod, real apiserver)';
  return {
    cpu_per_review_us: a.saturation.server.cpuUsPerReview,
    baseline_cpu_per_review_us: b.saturation.server.cpuUsPerReview,
    cpu_ratio: h.cpuRatio,
    p99_ms_200: h.p99,
    baseline_p99_ms_200: h.baseP99,
    p99_ratio_200: h.p99Ratio,
    cluster_mix_cpu_ratio: h.mixRatio,
    e2e_added_median_ms: h.e2eMedian,
    e2e_added_p99_ms: h.e2eP99,
    prefilter_skipped_share: input.prefilterSkippedShare ?? null,
    cli_ratio: h.cliRatio,
    goals: {
      cpu_ratio: atMost(GOALS.cpuRatio, h.cpuRatio, ' (over the floor, median of paired rounds)'),
      p99_ratio_200: atMost(GOALS.p99Ratio200, h.p99Ratio, " (over the floor's, same run)"),
      e2e_added_median_ms: atMost(GOALS.e2eAddedMedianMs, h.e2eMedian, database),
      e2e_added_p99_ms: atMost(GOALS.e2eAddedP99Ms, h.e2eP99, database),
      cli_ratio: atMost(GOALS.cliRatio, h.cliRatio, ' (over a YAML parse and print, one file)'),
    },
  };
}

function serverResults(input: ResultInputs, a: ServerReport, b: ServerReport): Results {
  const at1000 = loadRow(a, 1000);
  const ratio = pairedRatio(a.saturationRounds, b.saturationRounds);
  const growthPct =
    Math.round(((a.rssEndMb - a.rssAfterWarmupMb) / a.rssAfterWarmupMb) * 1000) / 10;
  const fit = fitOf(a);
  const top = headline(input, a, b);
  return {
    ...top,
    throughput_rps: a.saturation.load.achievedRps,
    baseline_rps: b.saturation.load.achievedRps,
    ratio,
    p50_ms: at1000?.p50_ms ?? null,
    p99_ms: at1000?.p99_ms ?? null,
    p999_ms: at1000?.p999_ms ?? null,
    rss_mb: a.peakRssMb,
    cpu_us_per_review: a.saturation.server.cpuUsPerReview,
    baseline_cpu_us_per_review: b.saturation.server.cpuUsPerReview,
    goals: {
      ...(top.goals as Results),
      memory_growth_pct: {
        goal: `<= ${GOALS.memoryGrowthPct} (RSS after a calm spell at the end vs after warm-up; the soak is the long test)`,
        value: growthPct,
        met: growthPct <= GOALS.memoryGrowthPct,
      },
      linear_in_containers: {
        goal: `r2 >= ${GOALS.linearR2} (CPU per review vs containers)`,
        value: fit.r2,
        met: fit.r2 >= GOALS.linearR2,
      },
    },
    loads: input.plan.loads.map((rate) => ({
      offered_rps: rate,
      autoprobe: loadRow(a, rate),
      baseline: loadRow(b, rate),
    })),
    saturation: {
      connections: input.plan.saturationConnections,
      rounds: input.plan.saturationRounds,
      autoprobe: { ...a.saturation.load, server: a.saturation.server, rounds: roundsOf(a) },
      baseline: { ...b.saturation.load, server: b.saturation.server, rounds: roundsOf(b) },
      ...(input.idle === undefined
        ? {}
        : {
            idle: {
              ...input.idle.saturation.load,
              server: input.idle.saturation.server,
              rounds: roundsOf({ saturationRounds: input.idle.rounds }),
            },
          }),
    },
    containers: a.containers.map((c, i) => ({
      containers: c.containers,
      mean_bytes: c.meanBytes,
      autoprobe: { ...c.latencyMs, cpu_us_per_review: c.cpuUsPerReview, failed: c.failed },
      baseline:
        b.containers[i] === undefined
          ? null
          : { ...b.containers[i].latencyMs, cpu_us_per_review: b.containers[i].cpuUsPerReview },
    })),
    containers_fit: { autoprobe: fit, baseline: fitOf(b) },
    memory: {
      autoprobe: { after_warmup_mb: a.rssAfterWarmupMb, peak_mb: a.peakRssMb, end_mb: a.rssEndMb },
      baseline: { after_warmup_mb: b.rssAfterWarmupMb, peak_mb: b.peakRssMb, end_mb: b.rssEndMb },
    },
    ...(input.idle === undefined ? {} : { breakdown: breakdownOf(a, b, input.idle, input.stages) }),
    ...(input.clusterMix === undefined
      ? {}
      : {
          cluster_mix: {
            autoprobe: {
              ...input.clusterMix.autoprobe.saturation.load,
              server: input.clusterMix.autoprobe.saturation.server,
              rounds: roundsOf({ saturationRounds: input.clusterMix.autoprobe.rounds }),
            },
            baseline: {
              ...input.clusterMix.baseline.saturation.load,
              server: input.clusterMix.baseline.saturation.server,
              rounds: roundsOf({ saturationRounds: input.clusterMix.baseline.rounds }),
            },
          },
        }),
  };
}

/**
 * breakdownOf splits autoprobe's CPU per review at saturation: the baseline's share (TLS, HTTP,
 * JSON.parse), what the server adds with nothing to do (Fastify, log line, metrics), and the rest,
 * which is the decision and its bigger answer; the engine stages measured in-process split that.
 */
function breakdownOf(
  a: ServerReport,
  b: ServerReport,
  idle: SaturationReport,
  stages: EngineStages | undefined,
): Results {
  const baselineUs = b.saturation.server.cpuUsPerReview;
  const idleUs = idle.saturation.server.cpuUsPerReview;
  const autoprobeUs = a.saturation.server.cpuUsPerReview;
  const idleRps = idle.saturation.load.achievedRps;
  return {
    baseline_cpu_us_per_review: baselineUs,
    idle_cpu_us_per_review: idleUs,
    autoprobe_cpu_us_per_review: autoprobeUs,
    idle_rps: idleRps,
    idle_ratio: pairedRatio(idle.rounds, b.saturationRounds),
    server_without_engine_us: idleUs - baselineUs,
    decision_in_server_us: autoprobeUs - idleUs,
    // The CPU goal as a budget: the most the decision may cost per review on top of the idle
    // server for autoprobe to stay within GOALS.cpuRatio of the baseline.
    decision_budget_us_for_cpu_goal: Math.round(baselineUs * GOALS.cpuRatio - idleUs),
    ...(stages === undefined
      ? {}
      : {
          engine_stages_us: stages.us,
          engine_us: stages.engineUs,
          engine_stage_reviews: stages.reviews,
          engine_stage_patched: stages.patched,
        }),
  };
}

/** buildResults assembles bench/results.json. */
export function buildResults(input: ResultInputs): Results {
  const server =
    input.autoprobe !== undefined && input.baseline !== undefined
      ? serverResults(input, input.autoprobe, input.baseline)
      : {};
  return {
    ...server,
    ...(input.cli === undefined ? {} : { cli: input.cli }),
    machine: input.machine,
    method: {
      generated_at: new Date().toISOString(),
      seed: input.seed,
      placement: input.pinned
        ? 'servers on CPU 0, one loaded at a time; load generator on CPU 1 (taskset)'
        : 'not pinned: servers and load generator share the CPUs',
      priority: input.prioritised
        ? 'servers and load generator at nice -10, ahead of other work on the machine'
        : 'default priority',
      transport: 'HTTPS (TLS 1.3, ECDSA P-256), HTTP/1.1 keep-alive, no pipelining, loopback',
      latency: 'from the scheduled send time (coordinated-omission corrected) to the last byte',
      autoprobe: 'node dist/main.js serve, enforce mode, cluster scope, log level info to a file',
      idle: 'the same autoprobe serve with every namespace of the corpus excluded: saturation only',
      engine_stages:
        'in the load generator process after the servers stopped, same build, mean of rounds',
      baseline: 'bare node:https server, same TLS settings, reads and JSON-parses the body',
      plan: input.plan,
      ...(input.corpus === undefined ? {} : { corpus: input.corpus }),
    },
  };
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

function num(v: unknown): string {
  return typeof v === 'number' ? String(v) : '-';
}

function serverTables(results: Results): string[] {
  if (results.throughput_rps === undefined) return [];
  const lines = [
    `Throughput at saturation (median of ${num((results.saturation as Results).rounds)} interleaved rounds): autoprobe ${num(results.throughput_rps)} reviews/s, baseline ${num(results.baseline_rps)} reviews/s, ratio ${num(results.ratio)} (median of the rounds' ratios)`,
    `CPU per review at saturation: autoprobe ${num(results.cpu_us_per_review)} µs, baseline ${num(results.baseline_cpu_us_per_review)} µs, ratio ${num(results.cpu_ratio)} (median of paired rounds); cluster mix ratio ${num(results.cluster_mix_cpu_ratio)}, ${num(results.prefilter_skipped_share)} of it excluded by the prefilter`,
    '',
    'Offered   server     p50 ms   p99 ms  p99.9 ms  achieved  failed  server CPU',
  ];
  for (const row of results.loads as {
    offered_rps: number;
    autoprobe: Results | null;
    baseline: Results | null;
  }[]) {
    for (const [name, r] of [
      ['autoprobe', row.autoprobe],
      ['baseline', row.baseline],
    ] as const) {
      if (r === null) continue;
      lines.push(
        `${pad(row.offered_rps, 5)}/s  ${name.padEnd(9)} ${pad(num(r.p50_ms), 7)} ${pad(num(r.p99_ms), 8)} ${pad(num(r.p999_ms), 9)} ${pad(num(r.achieved_rps), 9)} ${pad(num(r.failed), 7)} ${pad(`${num(r.server_cpu_pct)}%`, 10)}`,
      );
    }
  }
  lines.push(
    '',
    'Containers  bytes    autoprobe p50/p99 ms   CPU µs/review   baseline p50/p99 ms  CPU µs/review',
  );
  for (const c of results.containers as {
    containers: number;
    mean_bytes: number;
    autoprobe: Results;
    baseline: Results | null;
  }[]) {
    lines.push(
      `${pad(c.containers, 10)} ${pad(c.mean_bytes, 6)}  ${pad(`${num(c.autoprobe.p50)} / ${num(c.autoprobe.p99)}`, 20)} ${pad(num(c.autoprobe.cpu_us_per_review), 15)}   ${pad(`${num(c.baseline?.p50)} / ${num(c.baseline?.p99)}`, 18)} ${pad(num(c.baseline?.cpu_us_per_review), 14)}`,
    );
  }
  const fit = (results.containers_fit as { autoprobe: LinearFit }).autoprobe;
  const memory = results.memory as { autoprobe: Results; baseline: Results };
  lines.push(
    `CPU per review ≈ ${fit.interceptUs} µs + ${fit.slopeUsPerContainer} µs × containers (r² ${fit.r2})`,
    '',
    `RSS autoprobe: after warm-up ${num(memory.autoprobe.after_warmup_mb)} MB, peak ${num(memory.autoprobe.peak_mb)} MB, end ${num(memory.autoprobe.end_mb)} MB; baseline peak ${num(memory.baseline.peak_mb)} MB`,
    ...breakdownLines(results.breakdown as Results | undefined),
    '',
    'Goals:',
  );
  for (const [name, goal] of Object.entries(results.goals as Record<string, Results>)) {
    lines.push(
      `  ${goal.met === true ? 'met    ' : 'NOT MET'}  ${name}: ${num(goal.value)} (goal ${String(goal.goal)})`,
    );
  }
  return lines;
}

function breakdownLines(breakdown: Results | undefined): string[] {
  if (breakdown === undefined) return [];
  const lines = [
    '',
    "Where a review's CPU goes at saturation (µs/review):",
    `  baseline (TLS, HTTP, JSON.parse)          ${pad(num(breakdown.baseline_cpu_us_per_review), 6)}`,
    `  autoprobe with nothing to do              ${pad(num(breakdown.idle_cpu_us_per_review), 6)}  (${num(breakdown.idle_rps)} reviews/s, ratio ${num(breakdown.idle_ratio)})`,
    `  autoprobe                                 ${pad(num(breakdown.autoprobe_cpu_us_per_review), 6)}`,
    `  decision in the server (autoprobe − idle) ${pad(num(breakdown.decision_in_server_us), 6)}  (budget for the CPU goal: ${num(breakdown.decision_budget_us_for_cpu_goal)})`,
  ];
  const stages = breakdown.engine_stages_us as Record<string, number> | undefined;
  if (stages !== undefined) {
    lines.push(
      `  engine in-process, by stage: ${Object.entries(stages)
        .map(([stage, us]) => `${stage} ${us}`)
        .join(', ')}; decision ${num(breakdown.engine_us)}`,
    );
  }
  return lines;
}

function cliTables(results: Results): string[] {
  const cli = results.cli as CliReport | undefined;
  if (cli === undefined) return [];
  const lines = [
    '',
    `CLI: ${cli.manifests} manifests, ${Math.round(cli.bytes / 1024)} KiB of YAML`,
    'Layout                               program     wall ms   CPU ms  peak RSS MB  manifests/s',
  ];
  for (const l of cli.layouts) {
    for (const [name, run] of [
      ['inject', l.inject],
      ['baseline', l.baseline],
    ] as const) {
      lines.push(
        `${l.layout.padEnd(36)} ${name.padEnd(9)} ${pad(run.wallMs, 9)} ${pad(run.cpuMs, 8)} ${pad(run.peakRssMb, 12)} ${pad(run.manifestsPerS, 12)}`,
      );
    }
    lines.push(`${''.padEnd(36)} inject/baseline: time ×${l.timeRatio}, memory ×${l.memoryRatio}`);
  }
  return lines;
}

/** formatTables renders the results for a terminal. */
export function formatTables(results: Results): string {
  const m = results.machine as Machine;
  const method = results.method as Results;
  return [
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; ${String(method.placement)}`,
    '',
    ...serverTables(results),
    ...cliTables(results),
    '',
  ].join('\n');
}
