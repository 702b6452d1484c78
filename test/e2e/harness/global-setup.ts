/**
 * @module e2e/harness/global-setup — vitest globalSetup of the `e2e` project: builds autoprobe
 * when dist/ is stale, runs build.sh (a missing Go or a failed build fails the run; nothing is
 * skipped), starts one etcd + kube-apiserver for the whole run (AUTOPROBE_E2E_KUBE_VERSION,
 * default 1.36.3) and provides its ClusterInfo to the test files (`inject('e2eCluster')`). The
 * returned teardown stops the cluster and anything the test files started and did not stop.
 */
import type { TestProject } from 'vitest/node';
import { ensureAutoprobeBuilt } from './autoprobe.js';
import { ensureBinaries } from './binaries.js';
import { clusterInfo, startCluster } from './cluster.js';
import type { ClusterInfo } from './cluster.js';
import { resolveKubeVersion } from './paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eCluster: ClusterInfo;
  }
}

/** Vitest global setup: returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const version = resolveKubeVersion(process.env.AUTOPROBE_E2E_KUBE_VERSION);
  ensureAutoprobeBuilt();
  const binaries = ensureBinaries({ kubeVersions: [version] });
  const started = performance.now();
  const cluster = await startCluster({ binaries });
  process.stderr.write(
    `e2e: kube-apiserver v${version} (etcd v${binaries.etcdVersion}) ready at ${cluster.url} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s; run dir ${cluster.dir}\n`,
  );
  project.provide('e2eCluster', clusterInfo(cluster));
  return async () => {
    await cluster.stop();
  };
}
