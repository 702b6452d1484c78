/** @module e2e/harness/constants — labels and names shared by the harness modules. */

/** The namespace label that ties test namespaces to one webhook configuration. */
export const TENANT_LABEL = 'e2e.autoprobe.dev/tenant';
/** Every namespace and configuration the suite creates carries this label. */
export const SUITE_LABEL = 'e2e.autoprobe.dev/suite';
/** Namespaces a mutating webhook must never see (kubernetes.io/metadata.name is immutable). */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;
/** autoprobe's status annotation. */
export const STATUS_ANNOTATION = 'autoprobe.dev/status';
