/** @module keys — the annotation and label keys autoprobe reads and writes. */

export const PREFIX = 'autoprobe.dev/';

/** Pod annotations (users set these; autoprobe validates them). */
export const ANNOTATIONS = {
  /** `"false"` opts the whole pod out. */
  inject: `${PREFIX}inject`,
  /** `container=family,…`: the family of a custom image. */
  family: `${PREFIX}family`,
  /** `container=5433` or `container=portname`. */
  port: `${PREFIX}port`,
  /** `container=readiness+startup` or `container=none`. */
  probes: `${PREFIX}probes`,
  /** `container=exec` or `container=tcp`: how readiness is checked. */
  readiness: `${PREFIX}readiness`,
  /** `container.probe.field=N,…` e.g. `db.startup.failureThreshold=720`. */
  timings: `${PREFIX}timings`,
  /** Written by autoprobe: what it injected (deterministic JSON). */
  status: `${PREFIX}status`,
} as const;

/** Namespace labels. */
export const LABELS = {
  /** `enabled` opts a namespace in (optin scope); `disabled` opts it out (cluster scope). */
  inject: `${PREFIX}inject`,
  /** `audit` or `enforce`: overrides the global mode for the namespace. */
  mode: `${PREFIX}mode`,
} as const;

/** Static pods' mirrors carry this annotation; they must not be mutated. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
