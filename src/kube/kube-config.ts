/**
 * @module kube/kube-config — load Kubernetes credentials from a source that the edge
 * (server/env.ts) found in the environment, in kubectl's order: $KUBECONFIG, ~/.kube/config, then
 * the in-cluster service account.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { AutoprobeError } from '../core/index.js';
import { describeSource } from './source.js';
import type { KubeSource } from './source.js';

/** loadKubeConfig loads the credentials; it throws AP_ERR_CONFIG_READ with a clear message. */
export function loadKubeConfig(source: KubeSource): KubeConfig {
  const config = new KubeConfig();
  try {
    if (source.kind === 'file') config.loadFromFile(source.path);
    else config.loadFromCluster();
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_CONFIG_READ', `cannot load ${describeSource(source)}`, {
      cause,
    });
  }
  if (config.getCurrentCluster() === null) {
    throw new AutoprobeError(
      'AP_ERR_CONFIG_READ',
      `${describeSource(source)} has no current context with a cluster`,
    );
  }
  return config;
}
