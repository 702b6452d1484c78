/**
 * PromQL for the monitoring tests: the metric names a query reads (parsed with Prometheus' own
 * grammar, @prometheus-io/lezer-promql), and the names that exist — autoprobe's, read from its
 * registry, and the upstream ones the chart's rules and dashboard use, each with its source.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { Registry } from 'prom-client';
import { createMetrics } from '../../../src/server/metrics.js';

/**
 * The series other components expose that the rules and the dashboard read. Histograms are
 * listed by base name (the _bucket, _sum and _count series follow).
 */
export const UPSTREAM_METRICS: Readonly<Record<string, string>> = {
  // kubelet /metrics/probes (kubernetes pkg/kubelet/prober/prober_manager.go)
  prober_probe_total: 'kubelet',
  prober_probe_duration_seconds: 'kubelet histogram',
  // kube-state-metrics docs/metrics/workload/pod-metrics.md, deployment-metrics.md
  kube_pod_annotations: 'kube-state-metrics',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  kube_pod_container_status_ready: 'kube-state-metrics',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  // k8s.io/apiserver pkg/admission/metrics/metrics.go
  apiserver_admission_webhook_admission_duration_seconds: 'kube-apiserver histogram',
  apiserver_admission_webhook_rejection_count: 'kube-apiserver',
  apiserver_admission_webhook_fail_open_count: 'kube-apiserver',
  apiserver_admission_webhook_request_total: 'kube-apiserver',
  // Prometheus itself, per scrape target.
  up: 'prometheus',
};

/** Series names a histogram adds to its base name. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** autoprobeMetrics are the names autoprobe's /metrics exposes (histograms by base name). */
export async function autoprobeMetrics(): Promise<ReadonlyMap<string, string>> {
  const registry = new Registry();
  createMetrics(registry);
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, String(m.type)]));
}

/** metricNames returns every metric name a PromQL expression selects. */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name === '⚠') throw new Error(`PromQL does not parse at ${cursor.from}: ${expr}`);
    if (cursor.name === 'VectorSelector' && cursor.firstChild()) {
      // cursor.name was narrowed above; the node read after moving is a fresh one.
      if (cursor.node.type.name === 'Identifier') names.push(expr.slice(cursor.from, cursor.to));
      cursor.parent();
    }
  } while (cursor.next());
  return names;
}

/** unknownMetrics lists the names in `expr` that neither autoprobe, upstream nor `recorded` define. */
export function unknownMetrics(
  expr: string,
  autoprobe: ReadonlyMap<string, string>,
  recorded: ReadonlySet<string>,
): string[] {
  const known = (name: string): boolean =>
    recorded.has(name) ||
    name in UPSTREAM_METRICS ||
    autoprobe.has(name) ||
    HISTOGRAM_SUFFIXES.some((suffix) => {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      return (
        base !== undefined &&
        (autoprobe.get(base) === 'histogram' ||
          UPSTREAM_METRICS[base]?.endsWith(' histogram') === true)
      );
    });
  return metricNames(expr).filter((name) => !known(name));
}
