/**
 * @module kube — the Kubernetes API edge: credentials and the namespace label cache. Importing it
 * loads @kubernetes/client-node; `kube/source.js` alone does not.
 */
export * from './source.js';
export * from './kube-config.js';
export * from './namespace-cache.js';
export * from './workload-source.js';
export * from './policy-report-writer.js';
