/**
 * @module server/namespaces — the namespace label source of the server: the watch-backed cache
 * when Kubernetes credentials exist, "unknown" otherwise; either way its state goes to metrics.
 * The client library is imported only when there are credentials (it takes seconds to load).
 */
import type { Logger } from 'pino';
import type { NamespaceLookup } from '../kube/namespace-cache.js';
import { describeSource } from '../kube/source.js';
import type { KubeSource } from '../kube/source.js';
import { setCacheState } from './metrics.js';
import type { Metrics } from './metrics.js';

/** The namespace source and how to stop it. */
export interface NamespaceSource {
  readonly namespaces: NamespaceLookup;
  stop(): Promise<void>;
}

const UNKNOWN: NamespaceSource = {
  namespaces: { getNamespace: () => null },
  stop: () => Promise.resolve(),
};

/** startNamespaces starts the cache in the background; requests never wait for it. */
export async function startNamespaces(
  source: KubeSource | null,
  logger: Logger,
  metrics: Metrics,
): Promise<NamespaceSource> {
  setCacheState(metrics, 'disabled');
  if (source === null) {
    logger.info('no kubeconfig or in-cluster credentials: namespace labels come from config only');
    return UNKNOWN;
  }
  const kube = await import('../kube/index.js');
  let kubeConfig;
  try {
    kubeConfig = kube.loadKubeConfig(source);
  } catch (error) {
    logger.warn({ err: error }, 'namespace label cache disabled: cannot load the credentials');
    return UNKNOWN;
  }
  const cache = kube.createNamespaceCache(kubeConfig, {
    logger,
    events: {
      state: (state) => {
        setCacheState(metrics, state);
        if (state === 'synced') logger.info('namespace label cache synced');
      },
      size: (n) => {
        metrics.cacheNamespaces.set(n);
      },
      error: () => {
        metrics.cacheErrors.inc();
      },
    },
  });
  logger.info({ source: describeSource(source) }, 'watching namespaces for their labels');
  cache.start().catch((error: unknown) => {
    logger.error({ err: error }, 'namespace label cache failed to start');
  });
  return { namespaces: cache, stop: () => cache.stop() };
}
