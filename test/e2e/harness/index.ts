/**
 * @module e2e/harness — a real kube-apiserver + etcd on loopback, autoprobe in front of it, and
 * the helpers the e2e tests (and the chart and certificate tests) share.
 *
 * Typical use outside vitest's global setup:
 *
 * ```ts
 * const cluster = await startCluster({ version: '1.36' });   // builds/reuses binaries, ~5 s
 * try {
 *   const ap = await startAutoprobe({ kubeconfigPath: cluster.kubeconfigPath, pidDir: cluster.pidDir });
 *   const hook = await registerWebhook(cluster, { name: 'autoprobe', url: ap.webhookUrl, caPem: ap.caPem, tenant: 't' });
 *   const ns = await createNamespace(cluster, { prefix: 'demo', tenant: 't', labels: { 'autoprobe.dev/inject': 'enabled' } });
 *   await waitForWebhook(cluster, { namespace: ns });
 *   const { pod, warnings } = await createPod(cluster, ns, familyPods()[0].pod);
 *   await hook.delete(); await ap.stop();
 * } finally {
 *   await cluster.stop();
 * }
 * ```
 *
 * In a test file of the `e2e` project, `useCluster()` connects to the cluster the global setup
 * started, and `useAutoprobe(cluster, {...})` runs an autoprobe for the file.
 *
 * - startCluster({version, binaries?, startTimeoutMs?, apiserverFlags?}) → Cluster: `url`,
 *   `kubeconfig` (YAML, admin credentials inline), `kubeconfigPath`, `kc` (client-node
 *   KubeConfig), `core`/`apps`/`admission` APIs, `http` (raw client: Warning headers, timings),
 *   `caPem` (the cluster CA, also `ca.issue(...)` for more certificates), `dir`, `pidDir`,
 *   `stop()`. connectCluster(info) gives the same client view from the plain ClusterInfo.
 * - ensureBinaries / binDir / helmBinary: build.sh's cached kube-apiserver, etcd and helm.
 * - ensureAutoprobeBuilt, startAutoprobe(options) → Autoprobe: `webhookUrl`, `caPem`, `opsUrl`,
 *   `reviews()` (its admission review log lines), `metric()`, `waitForNamespaceCount()`, `stop()`.
 * - registerWebhook(cluster, options) / webhookConfiguration(options) / namespaceSelectorFor(),
 *   waitForWebhook(cluster, {namespace, pod?, effective?}) (dry-run marker Pods).
 * - createNamespace, patchNamespaceLabels, createPod (with warnings, dry run), readPod,
 *   familyPods(), probesOf, statusOf.
 * - startTestWebhook(mutation) with addEnv / addLabel / addSidecar: a second webhook in the chain.
 * - createCa(): certificates for anything else (e.g. a webhook serving certificate).
 * - summarize / renderTable / writeLatencyReport: the latency report.
 */
export * from './autoprobe.js';
export * from './binaries.js';
export * from './cluster.js';
export * from './constants.js';
export * from './kube-http.js';
export * from './latency.js';
export * from './paths.js';
export * from './pki.js';
export * from './pods.js';
export * from './ports.js';
export * from './processes.js';
export * from './test-webhook.js';
export * from './webhook.js';
