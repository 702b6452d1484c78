/**
 * @module bench/server-bench — the webhook benchmark: the same phases against the baseline server
 * and against `autoprobe serve`, one server at a time on its own CPU, the load generator on the
 * other.
 *
 * Phases: warm-up (discarded), saturation (closed loop, in rounds interleaved across the servers,
 * median kept), fixed offered loads with coordinated-omission-corrected latencies, and latency
 * and CPU per review against the number of containers. Server CPU time and RSS come from /proc;
 * the peak RSS is reset after warm-up.
 */
import type { Target } from './lib/client.js';
import { buildRequest } from './lib/client.js';
import { fixedRate, saturate } from './lib/load.js';
import type { LoadRequest, LoadResult, Percentiles } from './lib/load.js';
import { machineBusyS, procStats, resetPeak } from './lib/servers.js';
import type { ServerProcess, TlsFiles } from './lib/servers.js';
import type { CorpusEntry } from './corpus.js';

/** Durations and sizes of the phases. */
export interface ServerBenchPlan {
  readonly warmupS: number;
  /** Length of one saturation round. */
  readonly saturationS: number;
  /** Rounds of saturation, each server once per round (the median round is reported). */
  readonly saturationRounds: number;
  readonly saturationConnections: number;
  readonly loads: readonly number[];
  readonly loadS: number;
  readonly loadConnections: number;
  readonly containers: readonly number[];
  readonly containersRate: number;
  readonly containersS: number;
  /** A calm spell at 100/s before the end RSS is read. */
  readonly settleS: number;
}

/** The default plan (about two and a half minutes per server). */
export const DEFAULT_PLAN: ServerBenchPlan = {
  warmupS: 8,
  saturationS: 6,
  saturationRounds: 5,
  saturationConnections: 16,
  loads: [200, 1000, 2000],
  loadS: 20,
  loadConnections: 32,
  containers: [1, 5, 10, 25, 50],
  containersRate: 200,
  containersS: 10,
  settleS: 15,
};

/** A shorter plan for a quick look (`--quick`). */
export const QUICK_PLAN: ServerBenchPlan = {
  ...DEFAULT_PLAN,
  warmupS: 3,
  saturationS: 3,
  saturationRounds: 3,
  loadS: 6,
  containersS: 4,
  settleS: 5,
};

/** What the server process did during one phase. */
export interface ServerUse {
  /** Share of one core. */
  readonly cpuPct: number;
  /** CPU microseconds per answered review. */
  readonly cpuUsPerReview: number;
  readonly rssMb: number;
  /** CPU used by everything else on the machine meanwhile, in % of one core (shared machines). */
  readonly otherCpuPct: number;
}

/** One phase: the load's view and the server's. */
export interface Phase {
  readonly load: LoadResult;
  readonly server: ServerUse;
}

/** One point of the containers curve. */
export interface ContainersPoint {
  readonly containers: number;
  readonly meanBytes: number;
  readonly latencyMs: Percentiles;
  readonly cpuUsPerReview: number;
  readonly failed: number;
}

/** Everything measured against one server. */
export interface ServerReport {
  readonly name: string;
  /** The saturation round with the median throughput. */
  readonly saturation: Phase;
  readonly saturationRounds: readonly Phase[];
  readonly loads: readonly Phase[];
  readonly containers: readonly ContainersPoint[];
  readonly rssAfterWarmupMb: number;
  readonly peakRssMb: number;
  readonly rssEndMb: number;
}

/** requestsOf serialises the corpus for a target. */
export function requestsOf(target: Target, corpus: readonly CorpusEntry[]): LoadRequest[] {
  return corpus.map((e) => ({
    bytes: buildRequest(target, '/mutate?timeout=10s', e.body),
    uid: e.uid,
  }));
}

/** targetOf is the loopback target of a server process. */
export function targetOf(server: ServerProcess, tls: TlsFiles): Target {
  return { host: '127.0.0.1', port: server.port, ca: [tls.ca], servername: 'localhost' };
}

async function measured(pid: number, run: () => Promise<LoadResult>): Promise<Phase> {
  const before = procStats(pid);
  const machineBefore = machineBusyS();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const load = await run();
  const wallS = (performance.now() - started) / 1000;
  const after = procStats(pid);
  const self = process.cpuUsage(selfBefore);
  const cpuS = after.cpuS - before.cpuS;
  const otherS = machineBusyS() - machineBefore - cpuS - (self.user + self.system) / 1e6;
  return {
    load,
    server: {
      cpuPct: Math.round((cpuS / wallS) * 1000) / 10,
      cpuUsPerReview: load.ok === 0 ? 0 : Math.round((cpuS / load.ok) * 1e6),
      rssMb: after.rssMb,
      otherCpuPct: Math.max(0, Math.round((otherS / wallS) * 1000) / 10),
    },
  };
}

/** Inputs of benchServer. */
export interface ServerBenchInput {
  readonly server: ServerProcess;
  readonly tls: TlsFiles;
  readonly mixed: readonly CorpusEntry[];
  readonly byContainers: ReadonlyMap<number, readonly CorpusEntry[]>;
  readonly plan: ServerBenchPlan;
  readonly log: (line: string) => void;
}

/** The saturation rounds of one server. */
export interface SaturationReport {
  readonly name: string;
  /** The round with the median throughput. */
  readonly saturation: Phase;
  readonly rounds: readonly Phase[];
  readonly rssAfterWarmupMb: number;
}

/** warmUp runs a server at 500/s for the plan's warm-up and returns its RSS afterwards. */
async function warmUp(input: ServerBenchInput): Promise<number> {
  const { server, tls, plan, log } = input;
  const target = targetOf(server, tls);
  log(`${server.name}: warm-up ${plan.warmupS} s at 500/s`);
  await fixedRate(target, requestsOf(target, input.mixed), {
    rate: 500,
    durationS: plan.warmupS,
    connections: plan.loadConnections,
  });
  const rss = procStats(server.pid).rssMb;
  resetPeak(server.pid);
  return rss;
}

async function saturationRound(
  input: ServerBenchInput,
  requests: readonly LoadRequest[],
  round: number,
): Promise<Phase> {
  const { server, tls, plan, log } = input;
  const target = targetOf(server, tls);
  const phase = await measured(server.pid, () =>
    saturate(target, requests, {
      connections: plan.saturationConnections,
      durationS: plan.saturationS,
    }),
  );
  log(
    `${server.name}: saturation round ${round + 1}/${plan.saturationRounds}: ${phase.load.achievedRps} reviews/s, ${phase.server.cpuUsPerReview} µs CPU/review, server CPU ${phase.server.cpuPct}%, other processes ${phase.server.otherCpuPct}%`,
  );
  return phase;
}

/**
 * interleavedSaturation warms every server up, then measures their saturation in rounds, one
 * server after the other in each round. A shared machine's speed drifts by tens of percent over
 * minutes (other tenants, steal time); taking every server's figure in each round and keeping the
 * median puts the drift on all of them alike, so their ratios hold where single runs minutes apart
 * did not (two runs of one build measured 1,115 and 705 reviews/s back to back).
 */
export async function interleavedSaturation(
  inputs: readonly ServerBenchInput[],
): Promise<SaturationReport[]> {
  const rss: number[] = [];
  for (const input of inputs) rss.push(await warmUp(input));
  // Serialised once per server, outside the measured rounds.
  const requests = inputs.map((input) =>
    requestsOf(targetOf(input.server, input.tls), input.mixed),
  );
  const rounds: Phase[][] = inputs.map(() => []);
  const plan = inputs[0]?.plan;
  for (let round = 0; round < (plan?.saturationRounds ?? 0); round++) {
    for (const [i, input] of inputs.entries()) {
      rounds[i]?.push(await saturationRound(input, requests[i] ?? [], round));
    }
  }
  return inputs.map((input, i) => {
    const phases = rounds[i] ?? [];
    const byRps = [...phases].sort((x, y) => x.load.achievedRps - y.load.achievedRps);
    const median = byRps[Math.floor((byRps.length - 1) / 2)];
    if (median === undefined) throw new Error(`${input.server.name}: no saturation round ran`);
    return {
      name: input.server.name,
      saturation: median,
      rounds: phases,
      rssAfterWarmupMb: rss[i] ?? 0,
    };
  });
}

/** benchServer runs the fixed loads and the containers sweep against a warmed-up server. */
export async function benchServer(
  input: ServerBenchInput,
  saturated: SaturationReport,
): Promise<ServerReport> {
  const { server, tls, plan, log } = input;
  const target = targetOf(server, tls);
  const mixed = requestsOf(target, input.mixed);
  const { saturation, rssAfterWarmupMb } = saturated;
  const loads: Phase[] = [];
  for (const rate of plan.loads) {
    log(`${server.name}: fixed load ${rate}/s for ${plan.loadS} s`);
    const phase = await measured(server.pid, () =>
      fixedRate(target, mixed, { rate, durationS: plan.loadS, connections: plan.loadConnections }),
    );
    const l = phase.load.latencyMs;
    log(
      `${server.name}:   p50 ${l.p50} ms, p99 ${l.p99} ms, p99.9 ${l.p999} ms, failed ${phase.load.failed}, server CPU ${phase.server.cpuPct}%, other processes ${phase.server.otherCpuPct}%`,
    );
    loads.push(phase);
  }
  const containers: ContainersPoint[] = [];
  for (const n of plan.containers) {
    const corpus = input.byContainers.get(n) ?? [];
    const phase = await measured(server.pid, () =>
      fixedRate(target, requestsOf(target, corpus), {
        rate: plan.containersRate,
        durationS: plan.containersS,
        connections: 8,
      }),
    );
    const meanBytes = Math.round(
      corpus.reduce((s, e) => s + e.bytes, 0) / Math.max(1, corpus.length),
    );
    containers.push({
      containers: n,
      meanBytes,
      latencyMs: phase.load.latencyMs,
      cpuUsPerReview: phase.server.cpuUsPerReview,
      failed: phase.load.failed,
    });
    log(
      `${server.name}: ${n} containers: p50 ${phase.load.latencyMs.p50} ms, ${phase.server.cpuUsPerReview} µs CPU/review`,
    );
  }
  // The sweep's last Pods saturate autoprobe and queue requests; the end RSS is taken after a
  // calm spell, so it measures what the process keeps rather than a queue still draining.
  log(`${server.name}: settle ${plan.settleS} s at 100/s`);
  await fixedRate(target, mixed, { rate: 100, durationS: plan.settleS, connections: 8 });
  const end = procStats(server.pid);
  return {
    name: server.name,
    saturation,
    saturationRounds: saturated.rounds,
    loads,
    containers,
    rssAfterWarmupMb,
    peakRssMb: end.peakRssMb,
    rssEndMb: end.rssMb,
  };
}

/** A least-squares line through (containers, cost). */
export interface LinearFit {
  readonly interceptUs: number;
  readonly slopeUsPerContainer: number;
  readonly r2: number;
}

/** fitLine fits cost = intercept + slope × containers. */
export function fitLine(points: readonly { readonly x: number; readonly y: number }[]): LinearFit {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const ssRes = points.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0);
  const ssTot = points.reduce((s, p) => s + (p.y - my) ** 2, 0);
  return {
    interceptUs: Math.round(intercept),
    slopeUsPerContainer: Math.round(slope * 10) / 10,
    r2: ssTot === 0 ? 1 : Math.round((1 - ssRes / ssTot) * 1000) / 1000,
  };
}
