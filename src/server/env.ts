/**
 * @module server/env — the only place `autoprobe serve` reads environment variables. Everything
 * below receives plain values (house style: config is loaded once and passed in).
 */
import { findKubeSource, nonEmpty } from '../kube/source.js';
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
  return { podNamespace, kube: findKubeSource(env, exists) };
}
