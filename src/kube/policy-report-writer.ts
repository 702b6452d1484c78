/**
 * @module kube/policy-report-writer — `autoprobe audit --apply`: write audit's PolicyReports into
 * the cluster, idempotently. A report whose content is already there is left alone (no write, so
 * its resourceVersion stays), a changed one is replaced, and a report autoprobe wrote earlier in a
 * namespace that now has no result is deleted. Only reports labelled as autoprobe's are touched.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../core/index.js';

const API = { group: 'wgpolicyk8s.io', version: 'v1alpha2', plural: 'policyreports' } as const;

/** What --apply did. */
export interface ApplyCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
}

/**
 * applyPolicyReports writes `reports` (each with metadata.name, namespace and labels) and deletes
 * the stale ones among those `selector` (a label selector) selects in `namespace`, or everywhere.
 */
export async function applyPolicyReports(
  kubeConfig: KubeConfig,
  reports: readonly JsonObject[],
  selector: string,
  namespace: string | undefined,
): Promise<ApplyCounts> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const listed = (await (namespace === undefined
    ? api.listClusterCustomObject({ ...API, labelSelector: selector })
    : api.listNamespacedCustomObject({ ...API, namespace, labelSelector: selector }))) as {
    items: JsonObject[];
  };
  const existing = new Map(listed.items.map((item) => [keyOf(item), item]));
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const report of reports) {
    const meta = report.metadata as { name: string; namespace: string };
    const current = existing.get(keyOf(report));
    existing.delete(keyOf(report));
    if (current === undefined) {
      await api.createNamespacedCustomObject({ ...API, namespace: meta.namespace, body: report });
      counts.created += 1;
    } else if (sameContent(current, report)) {
      counts.unchanged += 1;
    } else {
      const resourceVersion = (current.metadata as { resourceVersion?: string }).resourceVersion;
      await api.replaceNamespacedCustomObject({
        ...API,
        namespace: meta.namespace,
        name: meta.name,
        body: { ...report, metadata: { ...meta, ...labelsOf(report), resourceVersion } },
      });
      counts.updated += 1;
    }
  }
  for (const stale of existing.values()) {
    const meta = stale.metadata as { name: string; namespace: string };
    await api.deleteNamespacedCustomObject({ ...API, namespace: meta.namespace, name: meta.name });
    counts.deleted += 1;
  }
  return counts;
}

function keyOf(report: JsonObject): string {
  const meta = (report.metadata ?? {}) as { name?: string; namespace?: string };
  return `${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

function labelsOf(report: JsonObject): { labels?: unknown } {
  const labels = (report.metadata as { labels?: unknown } | undefined)?.labels;
  return labels === undefined ? {} : { labels };
}

/**
 * sameContent compares what autoprobe writes: labels, summary and results. The apiserver stores
 * a custom object with its keys sorted, so both sides are compared with sorted keys.
 */
function sameContent(current: JsonObject, wanted: JsonObject): boolean {
  const pick = (r: JsonObject): string =>
    canonical([labelsOf(r), r.summary ?? null, r.results ?? null]);
  return pick(current) === pick(wanted);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
