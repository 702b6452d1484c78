/**
 * @module audit/policy-report — audit's decisions and findings as PolicyReports
 * (`wgpolicyk8s.io/v1alpha2`, one per namespace: what Kyverno, Kubescape and the Trivy operator
 * write and Policy Reporter shows; kubernetes-sigs/wg-policy-prototypes policy-report/). Results
 * carry no timestamp, so the same cluster gives the same reports.
 */
import { stringify } from 'yaml';
import { LINT_RULES } from '../core/index.js';
import type { ContainerDecision, Finding } from '../core/index.js';
import type { AuditResult, AuditRow } from './audit.js';

type Result = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface ReportResult {
  readonly source: 'autoprobe';
  readonly policy: string;
  readonly rule: string;
  readonly category: string;
  readonly result: Result;
  readonly severity?: 'high' | 'medium' | 'low' | 'info';
  readonly message: string;
  readonly resources: readonly Record<string, string>[];
  readonly properties: Readonly<Record<string, string>>;
}

/** The label every report autoprobe writes carries (Policy Reporter and --apply select on it). */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'autoprobe' } as const;

/**
 * policyReports builds one report per namespace that has a recognised server (not in one being
 * deleted, where nothing can be created).
 */
export function policyReports(result: AuditResult): Record<string, unknown>[] {
  const terminating = new Set(result.namespaces.filter((n) => n.terminating).map((n) => n.name));
  const byNamespace = new Map<string, ReportResult[]>();
  for (const row of result.rows) {
    const results = resultsOf(row);
    const ns = row.namespace ?? 'default';
    if (results.length === 0 || terminating.has(ns)) continue;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), ...results]);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, results]) => ({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: { name: 'autoprobe', namespace, labels: { ...MANAGED_BY } },
      summary: summaryOf(results),
      results,
    }));
}

/** renderPolicyReports prints the reports as a YAML stream `kubectl apply -f -` accepts. */
export function renderPolicyReports(result: AuditResult): string {
  return policyReports(result)
    .map((report) => `---\n${stringify(report)}`)
    .join('');
}

function resultsOf(row: AuditRow): ReportResult[] {
  const d = row.decision;
  // Containers autoprobe does not recognise as a server are not its business.
  if (d.family === null) return [];
  const base = {
    source: 'autoprobe' as const,
    category: 'Probes',
    resources: [resourceOf(row)],
  };
  const where = { container: d.container, family: d.family };
  return [
    { ...base, ...decisionResult(row, d), properties: where },
    ...d.findings.map((f) => ({
      ...base,
      ...findingResult(f),
      properties: { ...where, probe: f.probe, fix: LINT_RULES[f.code].fix },
    })),
  ];
}

function decisionResult(
  row: AuditRow,
  d: ContainerDecision,
): Pick<ReportResult, 'policy' | 'rule' | 'result' | 'severity' | 'message'> {
  const policy = 'autoprobe-probes';
  if (!row.scope.act) {
    return { policy, rule: 'out-of-scope', result: 'skip', message: row.scope.why };
  }
  if (d.action === 'inject') {
    return {
      policy,
      rule: 'missing-probes',
      result: 'fail',
      severity: 'medium',
      message: `${d.container} (${d.family}) has no ${d.kinds.join(', ')} probe; autoprobe ${row.scope.mode === 'enforce' ? 'adds' : 'would add (audit mode)'} it when the Pod is created`,
    };
  }
  return d.cause.code === 'probe-present'
    ? { policy, rule: 'probes-present', result: 'pass', message: d.cause.detail }
    : { policy, rule: d.cause.code, result: 'skip', message: d.cause.detail };
}

function findingResult(
  f: Finding,
): Pick<ReportResult, 'policy' | 'rule' | 'result' | 'severity' | 'message'> {
  const base = { policy: 'autoprobe-lint', rule: f.code, message: `${f.probe}: ${f.message}` };
  if (f.severity === 'warning') return { ...base, result: 'warn', severity: 'low' };
  return f.resolved
    ? { ...base, result: 'warn', severity: 'medium' }
    : { ...base, result: 'fail', severity: 'high' };
}

function resourceOf(row: AuditRow): Record<string, string> {
  return {
    apiVersion: row.apiVersion,
    kind: row.kind,
    name: row.name ?? '',
    namespace: row.namespace ?? 'default',
    ...(row.uid === undefined ? {} : { uid: row.uid }),
  };
}

function summaryOf(results: readonly ReportResult[]): Record<Result, number> {
  const summary: Record<Result, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result] += 1;
  return summary;
}
