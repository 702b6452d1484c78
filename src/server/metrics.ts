/**
 * @module server/metrics — every Prometheus metric of the server, registered on a Registry that
 * is passed in (no prom-client globals, so tests and several servers in one process never clash).
 *
 * The latency buckets hold every bucket of the apiserver's own admission histogram
 * (`apiserver_admission_webhook_admission_duration_seconds`: 0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 25
 * since 1.27; k8s.io/apiserver/pkg/admission/metrics/metrics.go) and finer steps, so both sides
 * can be compared. Labels are closed sets (outcomes, modes, families, actions, reason codes,
 * causes, results): no pod or namespace name (docs/monitoring.md, "Metrics").
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Registry } from 'prom-client';
import { REVIEW_OUTCOMES } from '../admission/index.js';

/** Latency buckets in seconds, from 1 ms to 25 s. */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25,
];

/** The namespace cache's states, one gauge series each (1 for the current state). */
export const CACHE_STATES = ['disabled', 'syncing', 'synced', 'error'] as const;
/** One of CACHE_STATES. */
export type CacheState = (typeof CACHE_STATES)[number];

/** The server's metrics. */
export interface Metrics {
  readonly registry: Registry;
  readonly reviews: Counter<'outcome' | 'mode' | 'dry_run'>;
  readonly duration: Histogram<'outcome'>;
  readonly decisions: Counter<'family' | 'action' | 'reason'>;
  readonly failOpen: Counter<'cause'>;
  readonly findings: Counter<'family' | 'code' | 'severity'>;
  readonly certExpiry: Gauge;
  readonly tlsReloads: Counter<'result'>;
  readonly configReloads: Counter<'result'>;
  readonly cacheState: Gauge<'state'>;
  readonly cacheNamespaces: Gauge;
  readonly cacheErrors: Counter;
}

/** createMetrics registers autoprobe's metrics (and the process defaults) on `registry`. */
export function createMetrics(registry: Registry): Metrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    reviews: new Counter({
      name: 'autoprobe_admission_reviews_total',
      help: 'AdmissionReviews answered, by outcome, effective mode and whether the request was a dry run.',
      labelNames: ['outcome', 'mode', 'dry_run'],
      registers,
    }),
    duration: new Histogram({
      name: 'autoprobe_admission_review_duration_seconds',
      help: 'Time from receiving an AdmissionReview request to sending the answer.',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    decisions: new Counter({
      name: 'autoprobe_decisions_total',
      help: 'Container decisions of non-dry-run reviews, by engine family, action and reason code.',
      labelNames: ['family', 'action', 'reason'],
      registers,
    }),
    findings: new Counter({
      name: 'autoprobe_lint_findings_total',
      help: 'Lint findings on the probes containers already have, of non-dry-run reviews, by family, rule code and severity (docs/lint.md).',
      labelNames: ['family', 'code', 'severity'],
      registers,
    }),
    failOpen: new Counter({
      name: 'autoprobe_admission_fail_open_total',
      help: 'Reviews admitted unchanged because of an internal error, the request deadline or too many review bytes in flight (then by the failurePolicy).',
      labelNames: ['cause'],
      registers,
    }),
    certExpiry: new Gauge({
      name: 'autoprobe_tls_certificate_expiry_timestamp_seconds',
      help: 'Expiry of the serving certificate in use, in seconds since the Unix epoch.',
      registers,
    }),
    tlsReloads: new Counter({
      name: 'autoprobe_tls_reloads_total',
      help: 'Serving certificate reloads, by result (success, failure).',
      labelNames: ['result'],
      registers,
    }),
    configReloads: new Counter({
      name: 'autoprobe_config_reloads_total',
      help: 'Configuration file reloads, by result (success, failure).',
      labelNames: ['result'],
      registers,
    }),
    cacheState: new Gauge({
      name: 'autoprobe_namespace_cache_state',
      help: 'State of the namespace label cache: 1 for the current state (disabled, syncing, synced, error).',
      labelNames: ['state'],
      registers,
    }),
    cacheNamespaces: new Gauge({
      name: 'autoprobe_namespace_cache_namespaces',
      help: 'Namespaces held in the namespace label cache.',
      registers,
    }),
    cacheErrors: new Counter({
      name: 'autoprobe_namespace_watch_errors_total',
      help: 'Errors of the namespace list/watch (each one is retried with backoff).',
      registers,
    }),
  };
  initialise(metrics);
  return metrics;
}

/** setCacheState sets the one current state of the namespace cache. */
export function setCacheState(metrics: Metrics, state: CacheState): void {
  for (const s of CACHE_STATES) metrics.cacheState.set({ state: s }, s === state ? 1 : 0);
}

// Zero series exist from the start, so rate() and absent() alerts work before the first event.
function initialise(metrics: Metrics): void {
  for (const outcome of REVIEW_OUTCOMES) metrics.duration.zero({ outcome });
  for (const cause of ['error', 'deadline', 'overload']) metrics.failOpen.inc({ cause }, 0);
  for (const result of ['success', 'failure']) {
    metrics.tlsReloads.inc({ result }, 0);
    metrics.configReloads.inc({ result }, 0);
  }
  metrics.cacheErrors.inc(0);
  setCacheState(metrics, 'disabled');
}
