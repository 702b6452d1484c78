/**
 * @module admission/render — decisions rendered as admission `warnings` and `auditAnnotations`.
 *
 * Warnings reach the user as HTTP `Warning: 299` headers that kubectl prints. The docs ask for
 * short ones without a "Warning:" prefix; the apiserver truncates each at 256 runes and drops
 * everything past 4 KiB in total (kubernetes/website extensible-admission-controllers.md,
 * "Response"; the recorder in k8s.io/apiserver/pkg/endpoints/filters/warning.go). So: at most five
 * per answer, each ≤ 120 characters.
 *
 * Audit-annotation keys get the webhook's name and a `/` prepended by the apiserver, so they must
 * be a bare qualified-name part: `[A-Za-z0-9._-]`, ≤ 63 characters (k8s.io/apiserver/pkg/admission/attributes.go, checkKeyFormat).
 */
import { PROBE_KINDS } from '../core/index.js';
import type { ContainerDecision, Mode, ProbeKind, Reason, ReasonCode } from '../core/index.js';

/** The longest warning autoprobe sends, in characters. */
export const MAX_WARNING_LENGTH = 120;
/** The most warnings autoprobe sends in one answer. */
export const MAX_WARNINGS = 5;
/** The longest audit-annotation value autoprobe sends, in characters. */
export const MAX_AUDIT_VALUE_LENGTH = 256;

/** The audit-annotation keys autoprobe writes (the apiserver prefixes `<webhook name>/`). */
export const AUDIT_KEYS = {
  mode: 'mode',
  injected: 'injected',
  wouldInject: 'would-inject',
  skipped: 'skipped',
  failedOpen: 'failed-open',
} as const;

// Reasons that describe an injection rather than explain a skip.
const INFORMATIONAL: ReadonlySet<ReasonCode> = new Set([
  'classified',
  'port',
  'injected',
  'family-override',
  'readiness-tcp',
]);
// Skips that are the user's own choice or the API's rule: not worth a warning in audit mode.
const QUIET_SKIPS: ReadonlySet<ReasonCode> = new Set([
  'probe-present',
  'pod-opted-out',
  'container-opted-out',
  'init-container',
  'ephemeral-container',
]);

/** renderWarnings builds the warnings for a decided review: audit summaries and notices. */
export function renderWarnings(
  mode: Mode,
  decisions: readonly ContainerDecision[],
  notices: readonly string[],
): string[] {
  const lines: string[] = [];
  if (mode === 'audit') {
    for (const d of decisions) {
      if (d.action === 'inject') {
        lines.push(
          `autoprobe audit: would add ${probeKinds(d).join(',')} to ${d.container} (${d.family ?? '?'})`,
        );
      }
    }
  }
  lines.push(...notices.map((n) => `autoprobe: ${n}`));
  if (mode === 'audit') {
    for (const d of decisions) {
      const cause = skipCause(d);
      if (cause !== undefined && d.family !== null && !QUIET_SKIPS.has(cause.code)) {
        lines.push(`autoprobe audit: would skip ${d.container} (${d.family}): ${cause.code}`);
      }
    }
  }
  return capWarnings(lines);
}

/** capWarnings shortens each warning and keeps at most MAX_WARNINGS, saying how many were cut. */
export function capWarnings(lines: readonly string[]): string[] {
  const kept =
    lines.length <= MAX_WARNINGS
      ? [...lines]
      : [
          ...lines.slice(0, MAX_WARNINGS - 1),
          `autoprobe: ${lines.length - MAX_WARNINGS + 1} more, see the autoprobe log`,
        ];
  return kept.map((line) => truncate(line, MAX_WARNING_LENGTH));
}

/** renderAuditAnnotations summarises the decisions for the audit log, in either mode. */
export function renderAuditAnnotations(
  mode: Mode,
  decisions: readonly ContainerDecision[],
): Record<string, string> {
  const injected = decisions
    .filter((d) => d.action === 'inject')
    .map((d) => `${d.container}=${probeKinds(d).join('+')}`);
  const skipped = decisions.flatMap((d) => {
    const cause = skipCause(d);
    return cause === undefined || d.family === null ? [] : [`${d.container}=${cause.code}`];
  });
  const out: Record<string, string> = { [AUDIT_KEYS.mode]: mode };
  if (injected.length > 0) {
    const key = mode === 'audit' ? AUDIT_KEYS.wouldInject : AUDIT_KEYS.injected;
    out[key] = truncate(injected.join(','), MAX_AUDIT_VALUE_LENGTH);
  }
  if (skipped.length > 0)
    out[AUDIT_KEYS.skipped] = truncate(skipped.join(','), MAX_AUDIT_VALUE_LENGTH);
  return out;
}

/** probeKinds lists the probes a decision adds, in the fixed liveness/readiness/startup order. */
export function probeKinds(decision: ContainerDecision): ProbeKind[] {
  return PROBE_KINDS.filter((k) => decision.probes[k] !== undefined);
}

/** skipCause is the reason a skipped container was skipped (undefined for an injection). */
export function skipCause(decision: ContainerDecision): Reason | undefined {
  if (decision.action !== 'skip') return undefined;
  const causes = decision.reasons.filter((r) => !INFORMATIONAL.has(r.code));
  // A probe the user already set is less telling than why the others could not be added.
  return causes.find((r) => !QUIET_SKIPS.has(r.code)) ?? causes[0] ?? decision.reasons.at(-1);
}

/** truncate cuts `text` to `max` characters (code points), marking the cut with "...". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join('')}...`;
}
