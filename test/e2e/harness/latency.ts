/**
 * @module e2e/harness/latency — the latency report: percentiles of Pod create timings, a text
 * table, and coverage/e2e/latency.json (git-ignored), with one entry per apiserver version.
 * Figures, not assertions: the numbers depend on the machine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Summary statistics of one series, in milliseconds. */
export interface LatencySummary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** One row of the report. */
export interface LatencyRow extends LatencySummary {
  readonly series: string;
}

/** The report file. */
export const LATENCY_FILE = join(REPO_ROOT, 'coverage', 'e2e', 'latency.json');

/** quantile by the nearest-rank method (p in 0..1) over sorted samples. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** summarize computes the statistics of a series of timings (ms). */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    median: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** renderTable formats rows as a fixed-width text table. */
export function renderTable(rows: readonly LatencyRow[]): string {
  const header = ['series', 'n', 'median ms', 'p90 ms', 'p99 ms', 'max ms', 'mean ms'];
  const lines = rows.map((r) => [
    r.series,
    String(r.n),
    r.median.toFixed(2),
    r.p90.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    r.mean.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

/** writeLatencyReport merges one version's rows into LATENCY_FILE and returns its path. */
export function writeLatencyReport(entry: {
  readonly kubeVersion: string;
  readonly rows: readonly LatencyRow[];
  readonly [key: string]: unknown;
}): string {
  mkdirSync(join(REPO_ROOT, 'coverage', 'e2e'), { recursive: true });
  let all: Record<string, unknown> = {};
  if (existsSync(LATENCY_FILE)) {
    try {
      all = JSON.parse(readFileSync(LATENCY_FILE, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
  }
  all[`v${entry.kubeVersion}`] = { measuredAt: new Date().toISOString(), ...entry };
  writeFileSync(LATENCY_FILE, `${JSON.stringify(all, null, 2)}\n`);
  return LATENCY_FILE;
}
