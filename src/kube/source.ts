/**
 * @module kube/source — where Kubernetes credentials come from, without loading the client
 * library (it takes seconds to import, and a laptop run without a cluster never needs it).
 */

/** A place to load Kubernetes credentials from. */
export type KubeSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'in-cluster' };

/** The service account mount of a Pod (used to tell whether we run in a cluster). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** describeSource names a source for a log line. */
export function describeSource(source: KubeSource): string {
  return source.kind === 'file' ? `kubeconfig ${source.path}` : 'in-cluster service account';
}
