/**
 * @module server/env — the only place `autoprobe serve` reads environment variables. Everything
 * below receives plain values (house style: config is loaded once and passed in).
 */
import { delimiter, join } from 'node:path';
import { SERVICE_ACCOUNT_TOKEN } from '../kube/source.js';
import type { KubeSource } from '../kube/source.js';

/** What the environment tells the server. */
export interface ServeEnv {
  /** The webhook's own namespace (downward API `POD_NAMESPACE`), always excluded from scope. */
  readonly podNamespace: string | undefined;
  /** Where Kubernetes credentials are, or null when there are none (labels then stay unknown). */
  readonly kube: KubeSource | null;
}

/** readServeEnv reads the environment; `exists` checks a path (tests pass a fake). */
export function readServeEnv(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): ServeEnv {
  const podNamespace = nonEmpty(env.POD_NAMESPACE);
  return { podNamespace, kube: kubeSource(env, exists) };
}

function kubeSource(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): KubeSource | null {
  // kubectl's order: $KUBECONFIG (first file of the list), ~/.kube/config, in-cluster.
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
