/**
 * Creating rendered chart objects on a real kube-apiserver (the e2e tests): the REST path of
 * each object comes from API discovery, so any kind works, and a kind the server does not know
 * (a CRD that is not installed) is reported as such rather than guessed.
 */
import type { ClusterClient } from '../../e2e/harness/index.js';
import type { K8sObject } from './helm.js';

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The result of one create. */
export interface Created {
  /** `Kind name`. */
  readonly object: string;
  /** The HTTP status, or `unknown-kind` when discovery does not list the kind. */
  readonly status: number | 'unknown-kind';
  readonly warnings: readonly string[];
  readonly message?: string;
}

/** Options of createObject. */
export interface CreateOptions {
  /** Server-side dry run (`dryRun=All`): validated, admitted, not stored. */
  readonly dryRun?: boolean;
}

const cache = new WeakMap<ClusterClient, Map<string, ApiResource[] | null>>();

async function resourcesOf(
  client: ClusterClient,
  apiVersion: string,
): Promise<ApiResource[] | null> {
  let known = cache.get(client);
  if (known === undefined) {
    known = new Map();
    cache.set(client, known);
  }
  if (!known.has(apiVersion)) {
    const res = await client.http.request<{ resources: ApiResource[] }>(
      'GET',
      basePath(apiVersion),
    );
    known.set(apiVersion, res.status === 200 ? res.body.resources : null);
  }
  return known.get(apiVersion) ?? null;
}

function basePath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * createObject POSTs `object` with strict field validation; a namespaced object goes to
 * `namespace` (its metadata.namespace is set to it).
 */
export async function createObject(
  client: ClusterClient,
  object: K8sObject,
  namespace: string,
  options: CreateOptions = {},
): Promise<Created> {
  const id = `${object.kind} ${object.metadata.name}`;
  const resource = (await resourcesOf(client, object.apiVersion))?.find(
    (r) => r.kind === object.kind && !r.name.includes('/'),
  );
  if (resource === undefined) return { object: id, status: 'unknown-kind', warnings: [] };
  const base = basePath(object.apiVersion);
  const path = resource.namespaced
    ? `${base}/namespaces/${namespace}/${resource.name}`
    : `${base}/${resource.name}`;
  const body = resource.namespaced
    ? { ...object, metadata: { ...object.metadata, namespace } }
    : object;
  const res = await client.http.request<{ message?: string }>('POST', path, {
    body,
    query: { fieldValidation: 'Strict', ...(options.dryRun === true ? { dryRun: 'All' } : {}) },
  });
  return {
    object: id,
    status: res.status,
    warnings: res.warnings,
    ...(res.status >= 300 ? { message: res.body.message ?? JSON.stringify(res.body) } : {}),
  };
}
