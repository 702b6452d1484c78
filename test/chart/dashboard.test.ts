/**
 * The chart's Grafana dashboard, checked as grafana/dashboard-linter's rules would (its binary
 * cannot be built here: the module proxy refuses it, and its go.mod has replace directives): a
 * datasource variable used by every panel, a title, description and unit per panel, queries that
 * promtool parses, counters only under rate()/increase() over $__rate_interval, and metrics that
 * exist. It is the generated file, shipped in a ConfigMap with the sidecar's label.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { renderDashboard } from '../../scripts/render-dashboard.js';
import { CHART_DIR, parseObjects, renderChart } from './helpers/helm.js';
import { autoprobeMetrics, unknownMetrics } from './helpers/promql.js';

interface Target {
  readonly expr: string;
  readonly datasource: { readonly uid: string };
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { readonly uid: string };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly editable: boolean;
  readonly templating: { readonly list: readonly { name: string; type: string }[] };
  readonly panels: readonly Panel[];
}

const FILE = join(CHART_DIR, 'files', 'grafana-dashboard.json');
const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const targets = panels.flatMap((p) => p.targets ?? []);

/** What promtool parses: Grafana's variables replaced by values (dashboard-linter does the same). */
function expanded(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', 'autoprobe');
}

describe('the Grafana dashboard', () => {
  it('is the generated file (npm run docs)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(renderDashboard());
  });

  it('has a datasource variable, and every panel and query uses it', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    for (const p of panels) expect(p.datasource?.uid, p.title).toBe('${datasource}');
    for (const t of targets) expect(t.datasource.uid, t.expr).toBe('${datasource}');
    expect(dashboard.editable).toBe(false);
  });

  it('gives every panel a title, a description, a unit and a query', () => {
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const p of panels) {
      expect(p.title.length, 'title').toBeGreaterThan(0);
      expect(p.description?.length ?? 0, `${p.title}: description`).toBeGreaterThan(0);
      expect(p.fieldConfig?.defaults?.unit, `${p.title}: unit`).toMatch(/^\w+$/);
      expect(p.targets?.length ?? 0, `${p.title}: targets`).toBeGreaterThan(0);
    }
  });

  it('has queries that promtool parses', () => {
    for (const t of targets) {
      const run = spawnSync(
        inject('promtool'),
        ['--experimental', 'promql', 'format', expanded(t.expr)],
        { encoding: 'utf8' },
      );
      expect(run.stderr, t.expr).toBe('');
      expect(run.status, t.expr).toBe(0);
    }
  });

  it('reads counters only through rate() or increase() over $__rate_interval', () => {
    for (const t of targets) {
      for (const m of t.expr.matchAll(/(\w+)\(([a-z_:]+_total)\b[^[]*\[([^\]]+)\]/g)) {
        expect(['rate', 'increase'], t.expr).toContain(m[1]);
        expect(m[3], t.expr).toBe('$__rate_interval');
      }
      const counters = [...t.expr.matchAll(/\b[a-z_:]+_total\b/g)].length;
      const wrapped = [...t.expr.matchAll(/\b(?:rate|increase)\([a-z_:]+_total\b/g)].length;
      expect(wrapped, t.expr).toBe(counters);
    }
  });

  it('reads only metrics that exist, or the chart recording rules', async () => {
    const autoprobe = await autoprobeMetrics();
    const rule = parseObjects(
      renderChart(inject('helm'), {
        'serviceMonitor.enabled': true,
        'prometheusRule.enabled': true,
      }),
    ).find((o) => o.kind === 'PrometheusRule');
    const groups = (rule?.spec as { groups: { rules: { record?: string }[] }[] }).groups;
    const recorded = new Set(groups.flatMap((g) => g.rules.flatMap((r) => r.record ?? [])));
    expect(recorded.has('autoprobe:injected_probe:info')).toBe(true);
    for (const t of targets) {
      expect(unknownMetrics(expanded(t.expr), autoprobe, recorded), t.expr).toEqual([]);
    }
  });

  it('ships in a ConfigMap with the Grafana sidecar label', () => {
    const objects = parseObjects(renderChart(inject('helm'), { 'grafanaDashboard.enabled': true }));
    const map = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard'),
    );
    expect(map?.metadata.labels?.grafana_dashboard).toBe('1');
    const data = (map as unknown as { data: Record<string, string> }).data;
    expect(JSON.parse(data['autoprobe.json'] ?? '')).toEqual(dashboard);
  });
});
