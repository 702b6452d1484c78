/**
 * @module kube/source — where Kubernetes credentials come from, without loading the client
 * library (it takes seconds to import, and a laptop run without a cluster never needs it).
 */
import { delimiter, join } from 'node:path';

/** A place to load Kubernetes credentials from. */
export type KubeSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'in-cluster' };

/** The service account mount of a Pod (used to tell whether we run in a cluster). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * findKubeSource picks the credentials as kubectl does: $KUBECONFIG (the first file of the list),
 * ~/.kube/config, then the in-cluster service account; null when there are none. `exists` checks
 * a path (tests pass a fake).
 */
export function findKubeSource(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): KubeSource | null {
  const listed = nonEmpty(env.KUBECONFIG)
    ?.split(delimiter)
    .find((p) => p !== '');
  if (listed !== undefined) return { kind: 'file', path: listed };
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  if (home !== undefined) {
    const path = join(home, '.kube', 'config');
    if (exists(path)) return { kind: 'file', path };
  }
  if (nonEmpty(env.KUBERNETES_SERVICE_HOST) !== undefined && exists(SERVICE_ACCOUNT_TOKEN)) {
    return { kind: 'in-cluster' };
  }
  return null;
}

/** nonEmpty is `value`, or undefined when it is unset or blank (an empty env variable is unset). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** describeSource names a source for a log line. */
export function describeSource(source: KubeSource): string {
  return source.kind === 'file' ? `kubeconfig ${source.path}` : 'in-cluster service account';
}
