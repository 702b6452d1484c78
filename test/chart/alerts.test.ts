/**
 * The chart's PrometheusRule: promtool checks the rendered rules and runs the unit tests in
 * test/chart/alerts/ (every alert fires on its synthetic series and stays silent on the others),
 * every query reads only metrics that exist, and every alert has its runbook entry.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Registry } from 'prom-client';
import { parse, stringify } from 'yaml';
import { createMetrics } from '../../src/server/metrics.js';
import { ROOT, parseObjects, renderChart } from './helpers/helm.js';
import { autoprobeMetrics, unknownMetrics } from './helpers/promql.js';

const ALERT_TESTS = join(ROOT, 'test', 'chart', 'alerts');
const MONITORING_DOC = join(ROOT, 'docs', 'monitoring.md');

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly annotations?: Record<string, string>;
}
interface Group {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** groupsOf renders the chart and returns the PrometheusRule's groups (none if there is none). */
function groupsOf(values: Record<string, unknown>): Group[] {
  const rule = parseObjects(renderChart(inject('helm'), values)).find(
    (o) => o.kind === 'PrometheusRule',
  );
  return (rule?.spec as { groups?: Group[] } | undefined)?.groups ?? [];
}

/** promtool runs promtool in `dir`. */
function promtool(dir: string, args: readonly string[]): { status: number | null; out: string } {
  const run = spawnSync(inject('promtool'), args, { cwd: dir, encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** withRules writes the groups as a plain rules file (promtool cannot read the CR) beside `tests`. */
function withRules(groups: readonly Group[], tests: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'autoprobe-rules-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
  for (const file of tests) copyFileSync(join(ALERT_TESTS, file), join(dir, file));
  return dir;
}

const MONITORING = { 'serviceMonitor.enabled': true, 'prometheusRule.enabled': true };
const SCOPES = {
  annotated: { tests: ['webhook.test.yaml', 'injected.test.yaml'] },
  all: { tests: ['injected-all.test.yaml'] },
} as const;

describe('the PrometheusRule', () => {
  let annotated: Group[];
  beforeAll(() => {
    annotated = groupsOf(MONITORING);
  });

  for (const [scope, { tests }] of Object.entries(SCOPES)) {
    it(`passes promtool check rules and its unit tests with injectedProbes: ${scope}`, () => {
      const groups = groupsOf({ ...MONITORING, 'prometheusRule.injectedProbes': scope });
      const dir = withRules(groups, tests);
      const rules = groups.flatMap((g) => g.rules).length;
      const check = promtool(dir, ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yaml']);
      expect(check.out).toContain(`SUCCESS: ${rules} rules found`);
      expect(check.status).toBe(0);
      const test = promtool(dir, ['test', 'rules', ...tests]);
      expect(test.out).not.toContain('FAILED');
      expect(test.status).toBe(0);
    });
  }

  it('tests every alert both firing and silent', () => {
    const cases = Object.values(SCOPES)
      .flatMap((s) => s.tests)
      .flatMap((file) => {
        const doc = parse(readFileSync(join(ALERT_TESTS, file), 'utf8')) as {
          tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
        };
        return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
      });
    for (const alert of annotated.flatMap((g) => g.rules).flatMap((r) => r.alert ?? [])) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert} stays silent in a test`,
      ).toBe(true);
    }
  });

  it('reads only metrics autoprobe, the kubelet, kube-state-metrics, the apiserver or its own rules expose', async () => {
    const autoprobe = await autoprobeMetrics();
    for (const scope of Object.keys(SCOPES)) {
      const rules = groupsOf({ ...MONITORING, 'prometheusRule.injectedProbes': scope }).flatMap(
        (g) => g.rules,
      );
      const recorded = new Set(rules.flatMap((r) => r.record ?? []));
      for (const rule of rules) {
        expect(unknownMetrics(rule.expr, autoprobe, recorded), rule.alert ?? rule.record).toEqual(
          [],
        );
      }
    }
  });

  it('links every alert to its entry in docs/monitoring.md', () => {
    const doc = readFileSync(MONITORING_DOC, 'utf8');
    const headings = new Set(
      [...doc.matchAll(/^#{2,4} (\w+)$/gm)].map((m) => (m[1] ?? '').toLowerCase()),
    );
    for (const rule of annotated.flatMap((g) => g.rules)) {
      if (rule.alert === undefined) continue;
      const anchor = rule.annotations?.runbook_url?.split('#')[1] ?? '';
      expect(headings.has(anchor), `${rule.alert} → #${anchor}`).toBe(true);
    }
  });

  it('leaves out the probe alerts with injectedProbes: off', () => {
    const groups = groupsOf({ ...MONITORING, 'prometheusRule.injectedProbes': 'off' });
    expect(groups.map((g) => g.name)).toEqual(['autoprobe.webhook']);
  });

  it('refuses to render when nothing scrapes autoprobe and no selector says where its series are', () => {
    expect(() => groupsOf({ 'prometheusRule.enabled': true })).toThrow(
      /prometheusRule needs autoprobe's \/metrics scraped/,
    );
    const own = groupsOf({
      'prometheusRule.enabled': true,
      'prometheusRule.autoprobeSelector': 'job="webhooks"',
    });
    expect(own[0]?.rules[1]?.expr).toContain('autoprobe_admission_fail_open_total{job="webhooks"}');
  });
});

describe("autoprobe's own metrics", () => {
  it('pass promtool check metrics (Prometheus naming: units, _total on counters)', async () => {
    const metrics = createMetrics(new Registry());
    metrics.reviews.inc({ outcome: 'patched', mode: 'enforce', dry_run: 'false' });
    metrics.decisions.inc({ family: 'postgres', action: 'inject', reason: 'injected' });
    metrics.duration.observe({ outcome: 'patched' }, 0.002);
    const text = await metrics.registry.metrics();
    // Only autoprobe's families: the Node.js defaults come from prom-client.
    const own = text
      .split(/\n(?=# HELP )/)
      .filter((family) => family.startsWith('# HELP autoprobe_'))
      .join('\n');
    expect(own).toContain('autoprobe_admission_review_duration_seconds_bucket');
    const run = spawnSync(inject('promtool'), ['check', 'metrics'], {
      input: `${own}\n`,
      encoding: 'utf8',
    });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
