/**
 * @module reasons — why the engine did or did not act, as stable codes with a human detail.
 * Codes label metrics and are documented in docs/reasons.md; details are for people.
 *
 * Each code has one role, read by every surface instead of deciding for itself:
 * - `found`: what the engine found (image, port); on nearly every decision, never counted.
 * - `outcome`: restates what the decision adds (the probes column already says it).
 * - `choice`: explains a choice inside an injection (readiness by TCP, a family override).
 * - `quiet`: a skip that is the user's own choice or the API's rule; no audit warning.
 * - `cause`: why a container or a probe was skipped, downgraded or vetoed.
 */

/** The role of a reason code; see the module comment. */
export type ReasonRole = 'found' | 'outcome' | 'choice' | 'quiet' | 'cause';

interface ReasonEntry {
  readonly role: ReasonRole;
  readonly meaning: string;
}

/** Every reason code with its role and meaning; docs/reasons.md is generated from this table. */
export const REASONS = {
  classified: {
    role: 'found',
    meaning:
      'The image was recognised: family, variant and version (information on every decision).',
  },
  port: {
    role: 'found',
    meaning:
      'The port the probes use and where it came from (annotation, args, env, declared port, default).',
  },
  injected: { role: 'outcome', meaning: 'The probes added to this container.' },
  'family-override': {
    role: 'choice',
    meaning: 'The family came from the autoprobe.dev/family annotation (custom image).',
  },
  'readiness-tcp': {
    role: 'choice',
    meaning: 'Readiness is a TCP check, with the reason exec was not used.',
  },
  'mesh-detected': {
    role: 'found',
    meaning:
      "The Pod's service mesh leaves TCP probes true (Istio rewrites them; ambient does not intercept them).",
  },
  'mesh-in-container': {
    role: 'choice',
    meaning:
      "The mesh's proxy answers every TCP connection (Linkerd, Istio without rewrite): TCP checks are made from inside the container instead.",
  },
  'mesh-tcp-withheld': {
    role: 'cause',
    meaning:
      "The mesh's proxy answers every TCP connection and the image has no way to check from inside: that probe is not added.",
  },
  'ha-managed': {
    role: 'choice',
    meaning:
      'An HA manager (Patroni, repmgr, Galera) stops and restarts this server on purpose: readiness only.',
  },
  'pod-opted-out': { role: 'quiet', meaning: 'The pod has autoprobe.dev/inject: "false".' },
  'operator-managed': {
    role: 'cause',
    meaning: "An operator owns this pod's probes (labels, ownerReferences or agent containers).",
  },
  'mirror-pod': { role: 'cause', meaning: 'A mirror pod of a static pod; it cannot be changed.' },
  'init-container': {
    role: 'quiet',
    meaning:
      'Init containers run to completion; the API forbids probes on them (native sidecars aside).',
  },
  'ephemeral-container': { role: 'quiet', meaning: 'Ephemeral containers cannot have probes.' },
  'image-unparseable': {
    role: 'cause',
    meaning: 'The image reference is not valid (empty, uppercase path, bad tag or digest).',
  },
  'image-not-in-catalog': {
    role: 'cause',
    meaning: 'The image is not one autoprobe knows; add it under images or mirrors in the config.',
  },
  'image-lookalike': {
    role: 'cause',
    meaning:
      'The image looks like a catalog image on a registry that is not a configured mirror; add the registry under mirrors in the config.',
  },
  'image-negative': {
    role: 'cause',
    meaning:
      'The image is a known non-server (exporter, UI, proxy, sentinel, operator, backup tool).',
  },
  'family-disabled': { role: 'cause', meaning: 'The family is disabled in the configuration.' },
  'role-client': {
    role: 'cause',
    meaning: 'The container runs a client, dump, restore or admin tool, not the server.',
  },
  'role-side': {
    role: 'cause',
    meaning: 'The container runs a side role of the image (Redis Sentinel, Kafka Connect).',
  },
  'role-mixed': {
    role: 'cause',
    meaning:
      'A script starts the server and runs a one-shot tool: a job, not a long-running server.',
  },
  'role-unknown': {
    role: 'cause',
    meaning:
      'The command is not a known way to start the server, or cannot be read (the detail says what); set autoprobe.dev/family to assert it.',
  },
  'container-opted-out': {
    role: 'quiet',
    meaning: 'autoprobe.dev/probes is "none" for this container.',
  },
  'port-ambiguous': {
    role: 'cause',
    meaning: 'The spec cannot tell which port the server listens on; declare it or annotate it.',
  },
  'port-unresolved': {
    role: 'cause',
    meaning:
      'A port setting exists but its value is not visible or not a port (Secret reference, garbage).',
  },
  'no-tcp-listener': {
    role: 'cause',
    meaning: 'The server listens on no TCP port (e.g. --skip-networking).',
  },
  'loopback-only': {
    role: 'cause',
    meaning: 'The server listens on loopback only; TCP probes (which dial the pod IP) would fail.',
  },
  'value-too-large': {
    role: 'cause',
    meaning:
      'An env value or argument is larger than autoprobe reads (4 KiB); it is treated as unknown.',
  },
  'probe-present': { role: 'quiet', meaning: 'The user set this probe; it is kept untouched.' },
  'probe-disabled': {
    role: 'cause',
    meaning: 'This probe kind is disabled by config or by the autoprobe.dev/probes annotation.',
  },
  'liveness-not-recommended': {
    role: 'cause',
    meaning: "The engine's maintainers advise no liveness probe for it (RabbitMQ).",
  },
  'restart-policy-never': {
    role: 'cause',
    meaning: 'With restartPolicy Never a failed liveness/startup check would fail the pod.',
  },
  'veto-user-probe': {
    role: 'cause',
    meaning: 'Safety gate: the container already has this probe; autoprobe never replaces one.',
  },
  'veto-liveness-without-startup': {
    role: 'cause',
    meaning:
      'Safety gate: a liveness probe is added only together with a startup probe (added or present).',
  },
  'veto-startup-budget': {
    role: 'cause',
    meaning:
      "Safety gate: the startup probe's budget is below the family's recovery minimum (docs/safety.md).",
  },
  'veto-port-mismatch': {
    role: 'cause',
    meaning:
      "Safety gate: the probe's port is not the one the server's own args and env say it listens on.",
  },
  'veto-credentials': {
    role: 'cause',
    meaning:
      'Safety gate: the server may need credentials that the exec command does not or cannot read.',
  },
  'veto-tool-missing': {
    role: 'cause',
    meaning: 'Safety gate: the exec command runs a tool the image at that version may not have.',
  },
  'veto-kubelet-expansion': {
    role: 'cause',
    meaning:
      "Safety gate: the kubelet's probe-time $(VAR) expansion would change the exec command.",
  },
  'veto-exec-timeout': {
    role: 'cause',
    meaning:
      "Safety gate: the exec command is not under its own timeout shorter than the probe's timeoutSeconds.",
  },
  'veto-thresholds': {
    role: 'cause',
    meaning:
      'Safety gate: a timing field is out of the range the API accepts (successThreshold 1 for liveness and startup).',
  },
  'veto-ha-managed': {
    role: 'cause',
    meaning:
      'Safety gate: an HA manager stops this server on purpose; only readiness may be added.',
  },
  'veto-mesh-tcp': {
    role: 'cause',
    meaning:
      'Safety gate: a tcpSocket probe under a mesh proxy that answers every connection would always pass.',
  },
  'veto-unreachable': {
    role: 'cause',
    meaning:
      'Safety gate: a TCP probe dials the pod IP, and the server does not listen there (loopback, no TCP).',
  },
} as const satisfies Record<string, ReasonEntry>;

/** A stable reason code. */
export type ReasonCode = keyof typeof REASONS;

export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/** roleOf returns the role of a reason code. */
export function roleOf(code: ReasonCode): ReasonRole {
  return REASONS[code].role;
}

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

/**
 * causeOf picks the reason a skipped container was skipped: the first `cause`, else the first
 * `quiet` one (a probe the user set is less telling than why the others could not be added).
 */
export function causeOf(reasons: readonly Reason[]): Reason | undefined {
  return (
    reasons.find((r) => roleOf(r.code) === 'cause') ??
    reasons.find((r) => roleOf(r.code) === 'quiet')
  );
}
