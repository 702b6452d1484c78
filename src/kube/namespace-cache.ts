/**
 * @module kube/namespace-cache — namespace labels and annotations in memory, kept by a list+watch (client-node's
 * informer), so scope and the per-namespace mode are decided without an API call per request
 * (webhook-practices §1.5: no outbound I/O on the hot path).
 *
 * `getNamespace` answers at once: the labels and annotations (a mesh's injection marker may be
 * either), or null when the namespace is unknown (not synced yet,
 * or created a moment ago); core's decideScope then trusts the apiserver's namespaceSelector.
 * client-node's ListWatch reports an error and stops; this module restarts it with capped,
 * jittered exponential backoff, and keeps serving the labels it has meanwhile.
 */
import { CoreV1Api, makeInformer } from '@kubernetes/client-node';
import type { Informer, KubeConfig, ObjectCache, V1Namespace } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { NamespaceView } from '../core/index.js';

/** The namespace lookup the server depends on. */
export interface NamespaceLookup {
  /** The namespace's labels and annotations, or null when unknown; never waits. */
  getNamespace(name: string): NamespaceView | null;
}

/** The cache's state, for readiness of the data and the state metric. */
export type NamespaceCacheState = 'syncing' | 'synced' | 'error';

/** What the cache reports to its owner (metrics live in the server edge). */
export interface NamespaceCacheEvents {
  readonly state?: (state: NamespaceCacheState) => void;
  readonly size?: (namespaces: number) => void;
  readonly error?: (error: unknown) => void;
}

/** Retry timing after a list or watch error. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Options of createNamespaceCache. */
export interface NamespaceCacheOptions {
  readonly logger: Logger;
  readonly events?: NamespaceCacheEvents;
  readonly backoff?: Backoff;
  /** Replaces Math.random for the jitter (tests). */
  readonly random?: () => number;
}

/** A running namespace cache. */
export interface NamespaceCache extends NamespaceLookup {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): NamespaceCacheState;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };

/** createNamespaceCache builds (does not start) a watch-backed namespace label cache. */
export function createNamespaceCache(
  kubeConfig: KubeConfig,
  options: NamespaceCacheOptions,
): NamespaceCache {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const events = options.events ?? {};
  let state: NamespaceCacheState = 'syncing';
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const setState = (next: NamespaceCacheState): void => {
    if (next === state) return;
    state = next;
    events.state?.(next);
  };
  const informer: Informer<V1Namespace> & ObjectCache<V1Namespace> = makeInformer(
    kubeConfig,
    '/api/v1/namespaces',
    () => api.listNamespace(),
  );
  let errors = 0;
  // ListWatch emits list and watch failures synchronously before start() resolves, so a start()
  // without a new error means the list (if needed) and the watch are both established.
  const run = async (): Promise<void> => {
    const before = errors;
    await informer.start();
    if (stopped || errors !== before) return;
    failures = 0;
    setState('synced');
  };
  const resize = (): void => events.size?.(informer.list().length);
  informer.on('add', resize);
  informer.on('delete', resize);
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    errors += 1;
    failures += 1;
    setState('error');
    events.error?.(error);
    const delay = delayFor(failures, backoff, random);
    options.logger.warn(
      { err: error, retryInMs: delay, failures },
      'namespace watch failed; labels may be stale until it recovers',
    );
    retry = setTimeout(() => {
      retry = undefined;
      if (!stopped) void run();
    }, delay);
    retry.unref();
  });

  return {
    getNamespace: (name) => {
      const namespace = informer.get(name);
      if (namespace === undefined) return null;
      return {
        labels: namespace.metadata?.labels ?? {},
        annotations: namespace.metadata?.annotations ?? {},
      };
    },
    state: () => state,
    start: async () => {
      stopped = false;
      events.state?.(state);
      await run();
    },
    stop: async () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      await informer.stop();
    },
  };
}

/** delayFor is the capped exponential backoff with ±20 % jitter for the n-th failure. */
export function delayFor(failures: number, backoff: Backoff, random: () => number): number {
  const exponential = backoff.initialMs * 2 ** Math.min(failures - 1, 16);
  const capped = Math.min(exponential, backoff.maxMs);
  return Math.round(capped * (0.8 + 0.4 * random()));
}
