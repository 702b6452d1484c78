/**
 * @module audit/audit — `autoprobe audit`: the engine and the lint over every workload of a live
 * cluster, read-only, with the live configuration's scope and each namespace's labels and
 * annotations (the facts the webhook would have). It renders the same decisions explain renders,
 * one row per container of each workload (not per replica), with a summary per namespace.
 */
import { decideScope } from '../core/index.js';
import type { JsonObject, ScopeDecision } from '../core/index.js';
import type { Config } from '../config/config.js';
import { explainItems, renderExplainTable } from '../cli/explain-render.js';
import { explainWorkload } from '../cli/explain.js';
import type { ExplainRow } from '../cli/explain.js';
import { formatTable } from '../cli/table.js';
import { findWorkloads } from '../cli/workloads.js';
import type { ClusterNamespace, WorkloadSource } from '../kube/workload-source.js';

/** Output formats of audit. */
export const AUDIT_FORMATS = ['table', 'json', 'policyreport'] as const;

/** One container's row, and whether autoprobe acts in its namespace. */
export interface AuditRow extends ExplainRow {
  readonly scope: ScopeDecision;
  /** The workload object's apiVersion and uid (PolicyReports reference it). */
  readonly apiVersion: string;
  readonly uid: string | undefined;
}

/** What one audit read and decided; `error` when the API failed part way (the rest is what was read). */
export interface AuditResult {
  readonly namespaces: readonly ClusterNamespace[];
  readonly rows: readonly AuditRow[];
  readonly workloads: number;
  readonly error?: unknown;
}

/** auditCluster reads every workload of `namespace` (or all) and plans each Pod template. */
export async function auditCluster(
  source: WorkloadSource,
  config: Config,
  namespace: string | undefined,
  progress: (workloads: number) => void = () => undefined,
): Promise<AuditResult> {
  const namespaces = await source.namespaces(namespace);
  const byName = new Map(namespaces.map((n) => [n.name, n]));
  const rows: AuditRow[] = [];
  let workloads = 0;
  try {
    for await (const object of source.workloads(namespace)) {
      workloads += 1;
      progress(workloads);
      rows.push(...rowsOf(object, byName, config));
    }
  } catch (error) {
    return { namespaces, rows, workloads, error };
  }
  return { namespaces, rows, workloads };
}

function rowsOf(
  object: JsonObject,
  namespaces: ReadonlyMap<string, ClusterNamespace>,
  config: Config,
): AuditRow[] {
  const meta = (object.metadata ?? {}) as JsonObject;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const uid = typeof meta.uid === 'string' ? meta.uid : undefined;
  return findWorkloads(object).workloads.flatMap((workload) => {
    const name = workload.namespace ?? 'default';
    const ns = namespaces.get(name);
    const scope = decideScope({ name, labels: ns?.labels ?? null }, config);
    const facts = {
      namespace: ns === undefined ? null : { labels: ns.labels, annotations: ns.annotations },
    };
    return explainWorkload(workload, config.engine, { file: 'cluster', document: 0 }, facts).map(
      (row) => ({ ...row, scope, apiVersion, uid }),
    );
  });
}

/** renderAuditJson prints every row, explain's JSON items with the namespace's scope verdict. */
export function renderAuditJson(result: AuditResult): string {
  // `file` and `document` say where a manifest came from; here it is the cluster.
  const items = explainItems(result.rows).map((item, i) => {
    const rest = { ...item };
    delete rest.file;
    delete rest.document;
    return { ...rest, scope: result.rows[i]?.scope };
  });
  return `${JSON.stringify(items, null, 2)}\n`;
}

/**
 * renderAuditTable prints the summary per namespace first, then explain's table for the
 * namespaces autoprobe acts in (out-of-scope namespaces are counted, with the reason).
 */
export function renderAuditTable(result: AuditResult): string {
  const names = [...new Set(result.rows.map((r) => r.namespace ?? 'default'))].sort();
  const summary = names.map((name) => {
    const rows = result.rows.filter((r) => (r.namespace ?? 'default') === name);
    const scope = rows[0]?.scope;
    const findings = rows.flatMap((r) => r.decision.findings);
    return [
      name,
      scope === undefined ? '-' : scope.act ? scope.mode : `out of scope (${scope.why})`,
      String(rows.length),
      String(rows.filter((r) => r.scope.act && r.decision.action === 'inject').length),
      String(findings.filter((f) => f.severity === 'error' && !f.resolved).length),
      String(findings.filter((f) => f.severity === 'warning').length),
    ];
  });
  const inScope = result.rows.filter((r) => r.scope.act);
  const head =
    `${result.workloads} workloads, ${result.rows.length} containers in ${names.length} namespaces\n\n` +
    formatTable(
      ['NAMESPACE', 'AUTOPROBE', 'CONTAINERS', 'WOULD INJECT', 'ERRORS', 'WARNINGS'],
      summary,
    );
  return inScope.length === 0 ? head : `${head}\n${renderExplainTable(inScope, false)}`;
}
