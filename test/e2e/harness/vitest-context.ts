/**
 * @module e2e/harness/vitest-context — the cluster of the current run, inside a test file:
 * `useCluster()` connects to the apiserver the global setup started (and closes the connections
 * after the file); `useAutoprobe()` starts an autoprobe serve for the file and stops it after.
 * A file that cannot reach the apiserver fails; nothing here skips.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { startAutoprobe } from './autoprobe.js';
import type { Autoprobe, StartAutoprobeOptions } from './autoprobe.js';
import { connectCluster } from './cluster.js';
import type { ClusterClient } from './cluster.js';
import { createNamespace } from './pods.js';
import { registerWebhook, waitForWebhook } from './webhook.js';
import type { RegisteredWebhook } from './webhook.js';

/** useCluster returns a client of the run's cluster. */
export function useCluster(): ClusterClient {
  const info = inject('e2eCluster');
  const cluster = connectCluster(info);
  afterAll(() => {
    cluster.close();
  });
  return cluster;
}

/**
 * startAutoprobeFor starts autoprobe watching `cluster`'s namespaces, its pid recorded so the
 * global teardown can stop it if the file crashes.
 */
export function startAutoprobeFor(
  cluster: ClusterClient,
  options: StartAutoprobeOptions = {},
): Promise<Autoprobe> {
  return startAutoprobe({
    kubeconfigPath: cluster.kubeconfigPath,
    pidDir: cluster.pidDir,
    parentDir: cluster.dir,
    ...options,
  });
}

/** useAutoprobe starts autoprobe in beforeAll and stops it in afterAll; read `.current`. */
export function useAutoprobe(
  cluster: ClusterClient,
  options: StartAutoprobeOptions = {},
): { readonly current: Autoprobe } {
  let instance: Autoprobe | undefined;
  beforeAll(async () => {
    instance = await startAutoprobeFor(cluster, options);
  });
  afterAll(async () => {
    await instance?.stop();
  });
  return {
    get current(): Autoprobe {
      if (instance === undefined) throw new Error('autoprobe has not started (beforeAll failed?)');
      return instance;
    },
  };
}

/**
 * useOptedInNamespace registers `autoprobe` (optin scope) for the tenant `name` in beforeAll,
 * creates a namespace labelled `autoprobe.dev/inject=enabled`, waits until the webhook patches
 * there, and deletes the registration in afterAll; read `.current` for the namespace.
 */
export function useOptedInNamespace(
  cluster: ClusterClient,
  autoprobe: { readonly current: Autoprobe },
  name: string,
): { readonly current: string } {
  let hook: RegisteredWebhook | undefined;
  let namespace: string | undefined;
  beforeAll(async () => {
    const ap = autoprobe.current;
    hook = await registerWebhook(cluster, {
      name: `e2e-${name}`,
      url: ap.webhookUrl,
      caPem: ap.caPem,
      tenant: name,
    });
    namespace = await createNamespace(cluster, {
      prefix: name,
      tenant: name,
      labels: { 'autoprobe.dev/inject': 'enabled' },
    });
    await waitForWebhook(cluster, { namespace });
  });
  afterAll(async () => {
    await hook?.delete();
  });
  return {
    get current(): string {
      if (namespace === undefined)
        throw new Error('the namespace is not ready (beforeAll failed?)');
      return namespace;
    },
  };
}
