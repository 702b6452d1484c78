/**
 * @module kube/certs/settings — the planning settings from the config file's
 * `server.tls.selfManaged` and the webhook's own namespace.
 */
import type { SelfManagedTls } from '../../config/config.js';
import type { PlanSettings } from './plan.js';

const DAY_MS = 86_400_000;

/**
 * serviceHosts are the names the apiserver may use for the webhook's Service: it calls
 * `<svc>.<ns>.svc` (the Dynamic Admission Control docs require the certificate to be valid for
 * it); the fully qualified name covers clients that resolve it through the cluster domain.
 */
export function serviceHosts(settings: SelfManagedTls, namespace: string): string[] {
  const base = `${settings.serviceName}.${namespace}.svc`;
  return [base, `${base}.${settings.clusterDomain}`];
}

/** planSettingsOf converts the configured days to the planner's milliseconds. */
export function planSettingsOf(
  settings: SelfManagedTls,
  namespace: string,
  extraHosts: readonly string[] = [],
): PlanSettings {
  return {
    hosts: [...new Set([...serviceHosts(settings, namespace), ...extraHosts])],
    validityMs: settings.validityDays * DAY_MS,
    caValidityMs: settings.caValidityDays * DAY_MS,
    rotateBeforeMs: settings.rotateBeforeDays * DAY_MS,
  };
}
