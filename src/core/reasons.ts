/**
 * @module reasons — why the engine did or did not act, as stable codes with a human detail.
 * Codes label metrics and are documented in docs/reasons.md; details are for people.
 */

export const REASON_CODES = [
  // information on an inject decision
  'classified',
  'port',
  'injected',
  'family-override',
  'readiness-tcp',
  // pod-wide skips
  'pod-opted-out',
  'operator-managed',
  'mirror-pod',
  // container-wide skips
  'init-container',
  'ephemeral-container',
  'image-unparseable',
  'image-not-in-catalog',
  'image-negative',
  'family-disabled',
  'role-client',
  'role-side',
  'role-mixed',
  'role-unknown',
  'container-opted-out',
  'port-ambiguous',
  'port-unresolved',
  'no-tcp-listener',
  'loopback-only',
  // per-probe skips
  'probe-present',
  'probe-disabled',
  'liveness-not-recommended',
  'restart-policy-never',
] as const;

/** A stable reason code. */
export type ReasonCode = (typeof REASON_CODES)[number];

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
