/**
 * @module scripts/render-dashboard — the chart's charts/autoprobe/files/grafana-dashboard.json: the
 * webhook's reviews, decisions, latency and fail-opens, and the injected probes' success rate and
 * latency per family (from the kubelet's prober metrics joined with the chart's recording rule
 * autoprobe:injected_probe:info). Written by `npm run docs`; test/chart/dashboard.test.ts checks
 * it as grafana/dashboard-linter's rules would.
 */

/** The recording rule that scopes kubelet series to the probes autoprobe added, with their family. */
const INJECTED =
  'on (namespace, pod, container, probe_type) group_left (family) autoprobe:injected_probe:info';
const JOB = 'job=~"$job"';
const WEBHOOK = 'name="pods.autoprobe.dev", type="admit"';

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
  readonly type?: 'timeseries' | 'stat';
}

const quantiles = (metric: string, matchers: string): PanelSpec['targets'] =>
  [0.5, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(${metric}{${matchers}}[$__rate_interval])))`,
    legend: `p${q * 100}`,
  }));

const WEBHOOK_PANELS: readonly PanelSpec[] = [
  {
    title: 'Reviews by outcome',
    description:
      'AdmissionReviews answered per second, by outcome (patched, unchanged, audited, …).',
    unit: 'reqps',
    targets: [
      {
        expr: `sum by (outcome) (rate(autoprobe_admission_reviews_total{${JOB}}[$__rate_interval]))`,
        legend: '{{outcome}}',
      },
    ],
  },
  {
    title: 'Decisions by family and action',
    description: 'Container decisions per second: probes injected or skipped, per engine family.',
    unit: 'ops',
    targets: [
      {
        expr: `sum by (family, action) (rate(autoprobe_decisions_total{${JOB}}[$__rate_interval]))`,
        legend: '{{family}} {{action}}',
      },
    ],
  },
  {
    title: 'Decisions by reason',
    description: 'Why containers got probes or not, by reason code (docs/reasons.md).',
    unit: 'ops',
    targets: [
      {
        expr: `sum by (reason) (rate(autoprobe_decisions_total{${JOB}}[$__rate_interval]))`,
        legend: '{{reason}}',
      },
    ],
  },
  {
    title: 'Review latency (autoprobe)',
    description: 'From receiving a review to sending the answer, as autoprobe measures it.',
    unit: 's',
    targets: quantiles('autoprobe_admission_review_duration_seconds_bucket', JOB),
  },
  {
    title: "Admission latency (the apiserver's view)",
    description: 'The time every Pod create waits for this webhook, as the apiserver measures it.',
    unit: 's',
    targets: quantiles('apiserver_admission_webhook_admission_duration_seconds_bucket', WEBHOOK),
  },
  {
    title: 'Fail-open answers',
    description:
      'Pods admitted without probes: autoprobe answering unchanged after an internal failure, and the apiserver going on without an answer.',
    unit: 'ops',
    targets: [
      {
        expr: `sum by (cause) (rate(autoprobe_admission_fail_open_total{${JOB}}[$__rate_interval]))`,
        legend: 'autoprobe: {{cause}}',
      },
      {
        expr: `sum (rate(apiserver_admission_webhook_fail_open_count{${WEBHOOK}}[$__rate_interval]))`,
        legend: 'apiserver',
      },
    ],
  },
  {
    title: 'Serving certificate expires in',
    description:
      "Time left before the serving certificate expires (the apiserver then can't call autoprobe).",
    unit: 's',
    type: 'stat',
    targets: [
      {
        expr: `min (autoprobe_tls_certificate_expiry_timestamp_seconds{${JOB}} > 0) - time()`,
        legend: 'expires in',
      },
    ],
  },
];

const PROBE_PANELS: readonly PanelSpec[] = [
  {
    title: 'Injected probes: success rate by family',
    description:
      'Share of the runs of the probes autoprobe added that succeeded (kubelet prober_probe_total).',
    unit: 'percentunit',
    targets: [
      {
        expr: `sum by (family) (rate(prober_probe_total{result="successful"}[$__rate_interval]) * ${INJECTED}) / sum by (family) (rate(prober_probe_total[$__rate_interval]) * ${INJECTED})`,
        legend: '{{family}}',
      },
    ],
  },
  {
    title: 'Injected probes: failures by family and type',
    description: 'Failed runs per second of the probes autoprobe added.',
    unit: 'ops',
    targets: [
      {
        expr: `sum by (family, probe_type) (rate(prober_probe_total{result="failed"}[$__rate_interval]) * ${INJECTED})`,
        legend: '{{family}} {{probe_type}}',
      },
    ],
  },
  {
    title: 'Injected probes: p99 latency by family',
    description:
      'p99 duration of the successful runs of the probes autoprobe added (the kubelet does not time failed ones).',
    unit: 's',
    targets: [
      {
        expr: `histogram_quantile(0.99, sum by (family, le) (rate(prober_probe_duration_seconds_bucket[$__rate_interval]) * ${INJECTED}))`,
        legend: '{{family}}',
      },
    ],
  },
  {
    title: 'Restarts of containers with injected probes',
    description:
      'Container restarts, any cause, of the containers autoprobe gave a liveness or startup probe.',
    unit: 'short',
    targets: [
      {
        expr: `sum by (family) (increase(kube_pod_container_status_restarts_total[$__rate_interval]) * on (namespace, pod, container) group_left (family) max by (namespace, pod, container, family) (autoprobe:injected_probe:info{probe_type=~"Liveness|Startup"}))`,
        legend: '{{family}}',
      },
    ],
  },
];

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function row(title: string, y: number, id: number): Record<string, unknown> {
  return {
    type: 'row',
    title,
    id,
    collapsed: false,
    gridPos: { h: 1, w: 24, x: 0, y },
    panels: [],
  };
}

function panel(spec: PanelSpec, id: number, x: number, y: number): Record<string, unknown> {
  const type = spec.type ?? 'timeseries';
  return {
    type,
    title: spec.title,
    description: spec.description,
    id,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    options: type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : {},
    targets: spec.targets.map((t, i) => ({
      datasource: DATASOURCE,
      expr: t.expr,
      legendFormat: t.legend,
      refId: String.fromCharCode(65 + i),
    })),
  };
}

/** renderDashboard returns the dashboard JSON (stable: no ids or versions that change per run). */
export function renderDashboard(): string {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const [title, specs] of [
    ['Webhook', WEBHOOK_PANELS],
    ['Injected probes', PROBE_PANELS],
  ] as const) {
    panels.push(row(title, y, id++));
    y += 1;
    specs.forEach((spec, i) => {
      panels.push(panel(spec, id++, (i % 2) * 12, y + Math.floor(i / 2) * 8));
    });
    y += Math.ceil(specs.length / 2) * 8;
  }
  const dashboard = {
    title: 'autoprobe',
    uid: 'autoprobe',
    description: 'autoprobe: the webhook, and the probes it adds (docs/monitoring.md).',
    tags: ['autoprobe', 'kubernetes'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
        {
          name: 'job',
          label: 'job',
          type: 'query',
          datasource: DATASOURCE,
          query: 'label_values(autoprobe_admission_reviews_total, job)',
          refresh: 2,
          multi: true,
          includeAll: true,
          allValue: '.+',
        },
      ],
    },
    panels,
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
