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
import { roleOf, truncate } from '../core/index.js';
import type { ContainerDecision, Mode, Notice } from '../core/index.js';

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

/**
 * renderWarnings builds the warnings for a decided review: notices first (the user's own mistakes
 * are the most actionable), then the mesh seen, the probes the safety gate vetoed, the lint's
 * errors on the user's probes, then audit summaries.
 */
export function renderWarnings(
  mode: Mode,
  decisions: readonly ContainerDecision[],
  notices: readonly Notice[],
): string[] {
  const lines: string[] = notices.map((n) => `autoprobe: ${n.detail}`);
  // The mesh autoprobe detected, and what it changed (it would otherwise be invisible).
  for (const d of decisions) {
    const meshed = d.reasons.find(
      (r) => r.code === 'mesh-in-container' || r.code === 'mesh-tcp-withheld',
    );
    if (meshed !== undefined) lines.push(`autoprobe: ${d.container}: ${meshed.detail}`);
  }
  for (const d of decisions) {
    for (const veto of d.vetoed) {
      lines.push(
        `autoprobe: vetoed ${veto.kind} for ${d.container} (${d.family ?? '?'}): ${veto.invariant}`,
      );
    }
  }
  lines.push(...lintLines(mode, decisions));
  if (mode === 'audit') {
    for (const d of decisions) {
      if (d.action === 'inject') {
        lines.push(
          `autoprobe audit: would add ${d.kinds.join(',')} to ${d.container} (${d.family})`,
        );
      }
    }
    for (const d of decisions) {
      if (d.action === 'skip' && d.family !== null && roleOf(d.cause.code) !== 'quiet') {
        lines.push(`autoprobe audit: would skip ${d.container} (${d.family}): ${d.cause.code}`);
      }
    }
  }
  return capWarnings(lines);
}

/**
 * lintLines are the lint's errors on the user's own probes (they can kill or hide a healthy pod,
 * lint.md). In enforce mode a finding the added probes resolve is no longer a hazard.
 */
function lintLines(mode: Mode, decisions: readonly ContainerDecision[]): string[] {
  return decisions.flatMap((d) =>
    d.findings
      .filter((f) => f.severity === 'error' && !(f.resolved && mode === 'enforce'))
      .map((f) => `autoprobe lint: ${d.container} ${f.probe}: ${f.code}: ${f.message}`),
  );
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
  const injected = decisions.flatMap((d) =>
    d.action === 'inject' ? [`${d.container}=${d.kinds.join('+')}`] : [],
  );
  const skipped = decisions.flatMap((d) =>
    d.action === 'skip' && d.family !== null ? [`${d.container}=${d.cause.code}`] : [],
  );
  const out: Record<string, string> = { [AUDIT_KEYS.mode]: mode };
  if (injected.length > 0) {
    const key = mode === 'audit' ? AUDIT_KEYS.wouldInject : AUDIT_KEYS.injected;
    out[key] = truncate(injected.join(','), MAX_AUDIT_VALUE_LENGTH);
  }
  if (skipped.length > 0)
    out[AUDIT_KEYS.skipped] = truncate(skipped.join(','), MAX_AUDIT_VALUE_LENGTH);
  return out;
}
