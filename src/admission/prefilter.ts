/**
 * @module admission/prefilter — the `matchConditions` CEL expression that keeps the apiserver
 * from calling autoprobe for a Pod it would not touch (GA since Kubernetes 1.30; a false
 * condition skips the webhook whatever its failurePolicy:
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#matching-requests-matchconditions).
 *
 * It must pass every Pod the engine could change (a superset: a false "skip" silently loses a
 * probe). The engine finds an image by its canonical name after mirror resolution; every mirror
 * keeps the last path component of the name it maps, except for a reference that is exactly a
 * mirror prefix, so the prefilter asks whether some container's last path component (before
 * `:tag` or `@digest`) is the last component of a catalog image, a configured image or a mirror
 * prefix; or whether the Pod names a family by annotation. A container counts only if it may get
 * a probe (a container, or a native-sidecar init container) and lacks one of the three. Past
 * MAX_CONTAINERS the engine leaves a Pod alone, so the condition stops there too, which also
 * bounds its CEL cost. The chart renders the same expression (test/chart checks they agree).
 */
import type { Catalog } from '../core/index.js';
import { ANNOTATIONS, MAX_CONTAINERS } from '../core/index.js';

/** The name of the condition in the webhook configuration. */
export const PREFILTER_NAME = 'may-need-probes';

/** prefilterBasenames lists, sorted, the last path components that make a container a candidate. */
export function prefilterBasenames(catalog: Catalog): string[] {
  const images = new Set(catalog.images.flatMap((v) => v.names.map(lastOf)));
  const names = new Set(images);
  // A reference that is exactly a mirror prefix maps to the mirror's upstream whole: when that
  // may be a catalog image, the prefix's own last component names it.
  for (const mirror of catalog.mirrors) {
    if (images.has(lastOf(mirror.upstream))) names.add(lastOf(mirror.prefix));
  }
  return [...names].sort();
}

/** lastOf is the last path component of an image name or prefix. */
function lastOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** prefilterExpression is the CEL of the condition for `catalog` (built-in and configured). */
export function prefilterExpression(catalog: Catalog): string {
  return expressionFor(prefilterBasenames(catalog));
}

/** expressionFor builds the condition from the basenames (dots as `[.]`: no escapes to carry). */
export function expressionFor(basenames: readonly string[]): string {
  const pattern = `(^|/)(${basenames.map((n) => n.replaceAll('.', '[.]')).join('|')})([:@]|$)`;
  const candidates =
    "(has(object.spec.containers) ? object.spec.containers : []) + (has(object.spec.initContainers) ? object.spec.initContainers.filter(c, has(c.restartPolicy) && c.restartPolicy == 'Always') : [])";
  return [
    `(has(object.metadata.annotations) && '${ANNOTATIONS.family}' in object.metadata.annotations)`,
    `(size(${candidates}) <= ${MAX_CONTAINERS} && (${candidates}).exists(c, has(c.image) && !(has(c.livenessProbe) && has(c.readinessProbe) && has(c.startupProbe)) && c.image.matches('${pattern}')))`,
  ].join(' || ');
}
