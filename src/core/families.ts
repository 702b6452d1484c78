/** @module families — the seven engine families autoprobe knows, and the probe kinds it decides. */

export const FAMILIES = [
  'postgres',
  'redis',
  'rabbitmq',
  'mysql',
  'mariadb',
  'kafka',
  'mongo',
] as const;

/** An engine family: the database or broker a container runs. */
export type Family = (typeof FAMILIES)[number];

export const PROBE_KINDS = ['liveness', 'readiness', 'startup'] as const;

/** One of the three probes of a container; each is decided on its own. */
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The container field of each probe kind. */
export const PROBE_FIELD: Readonly<Record<ProbeKind, string>> = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

/** isFamily narrows an arbitrary string to a Family. */
export function isFamily(value: string): value is Family {
  return (FAMILIES as readonly string[]).includes(value);
}

/** isProbeKind narrows an arbitrary string to a ProbeKind. */
export function isProbeKind(value: string): value is ProbeKind {
  return (PROBE_KINDS as readonly string[]).includes(value);
}
