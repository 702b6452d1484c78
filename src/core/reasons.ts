/**
 * @module reasons — why the engine did or did not act, as stable codes with a human detail.
 * Codes label metrics and are documented in docs/reasons.md; details are for people.
 */

/** Every reason code with what it means; docs/reasons.md is generated from this table. */
export const REASON_DESCRIPTIONS = {
  classified:
    'The image was recognised: family, variant and version (information on every decision).',
  port: 'The port the probes use and where it came from (annotation, args, env, declared port, default).',
  injected: 'The probes added to this container.',
  'family-override': 'The family came from the autoprobe.dev/family annotation (custom image).',
  'readiness-tcp': 'Readiness is a TCP check, with the reason exec was not used.',
  'pod-opted-out': 'The pod has autoprobe.dev/inject: "false".',
  'operator-managed':
    "An operator owns this pod's probes (labels, ownerReferences or agent containers).",
  'mirror-pod': 'A mirror pod of a static pod; it cannot be changed.',
  'init-container':
    'Init containers run to completion; the API forbids probes on them (native sidecars aside).',
  'ephemeral-container': 'Ephemeral containers cannot have probes.',
  'image-unparseable':
    'The image reference is not valid (empty, uppercase path, bad tag or digest).',
  'image-not-in-catalog':
    'The image is not one autoprobe knows; add it under images or mirrors in the config.',
  'image-negative':
    'The image is a known non-server (exporter, UI, proxy, sentinel, operator, backup tool).',
  'family-disabled': 'The family is disabled in the configuration.',
  'role-client': 'The container runs a client, dump, restore or admin tool, not the server.',
  'role-side': 'The container runs a side role of the image (Redis Sentinel, Kafka Connect).',
  'role-mixed':
    'A script starts the server and runs a one-shot tool: a job, not a long-running server.',
  'role-unknown':
    'The command is not a known way to start the server; set autoprobe.dev/family to assert it.',
  'container-opted-out': 'autoprobe.dev/probes is "none" for this container.',
  'port-ambiguous':
    'The spec cannot tell which port the server listens on; declare it or annotate it.',
  'port-unresolved':
    'A port setting exists but its value is not visible or not a port (Secret reference, garbage).',
  'no-tcp-listener': 'The server listens on no TCP port (e.g. --skip-networking).',
  'loopback-only':
    'The server listens on loopback only; TCP probes (which dial the pod IP) would fail.',
  'probe-present': 'The user set this probe; it is kept untouched.',
  'probe-disabled':
    'This probe kind is disabled by config or by the autoprobe.dev/probes annotation.',
  'liveness-not-recommended':
    "The engine's maintainers advise no liveness probe for it (RabbitMQ, repmgr).",
  'restart-policy-never':
    'With restartPolicy Never a failed liveness/startup check would fail the pod.',
} as const;

export const REASON_CODES = Object.keys(
  REASON_DESCRIPTIONS,
) as (keyof typeof REASON_DESCRIPTIONS)[];

/**
 * Codes present on nearly every decision that say what was found rather than why something was
 * done; metrics leave them out so each decision's counted reasons are the ones that matter.
 */
export const INFORMATIONAL_REASONS: ReadonlySet<string> = new Set(['classified', 'port']);

/** A stable reason code. */
export type ReasonCode = keyof typeof REASON_DESCRIPTIONS;

/** A reason: a stable code and a detail for humans (never a secret or an env value). */
export interface Reason {
  readonly code: ReasonCode;
  readonly detail: string;
}

/** reason builds a Reason. */
export function reason(code: ReasonCode, detail: string): Reason {
  return { code, detail };
}

/** formatReason renders `code: detail`, the form used by explain, warnings and logs. */
export function formatReason(r: Reason): string {
  return r.detail === '' ? r.code : `${r.code}: ${r.detail}`;
}
