/**
 * @module admission/handle — one AdmissionRequest in, one decided answer out.
 *
 * Pods on CREATE only (probe fields of a Pod are immutable after creation); namespace scope from
 * facts passed in; enforce → verified JSON Patch, audit → warnings and audit annotations only.
 * Every unexpected error fails open (allowed, no patch, one warning), because the chart installs
 * the webhook with `failurePolicy: Ignore` and a missing probe must never block a Pod
 * (kubernetes/website admission-webhooks-good-practices.md, "Fail open"). The returned result is
 * the single source for the answer, the metrics labels and the log line.
 */
import { decideScope, isObject, mutateTemplate, verifiedPatch } from '../core/index.js';
import type {
  ContainerDecision,
  EngineConfig,
  JsonObject,
  Mode,
  NamespaceView,
  Notice,
  PodFacts,
  ScopeConfig,
  TemplateResult,
} from '../core/index.js';
import { AUDIT_KEYS, renderAuditAnnotations, renderWarnings } from './render.js';
import { allowed, patched } from './respond.js';
import type { AdmissionRequest, AdmissionResponse } from './types.js';

/** How a review ended; the label of the reviews metric and the `outcome` of the log line. */
export const REVIEW_OUTCOMES = [
  'patched',
  'unchanged',
  'audited',
  'skipped-scope',
  'ignored',
  'errored-open',
  'timed-out',
  'overloaded',
  'invalid',
] as const;
/** One of REVIEW_OUTCOMES. */
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** The engine as the handler calls it; tests pass a throwing one to prove fail-open. */
export type Engine = (
  pod: JsonObject,
  config: EngineConfig,
  facts: PodFacts,
) => TemplateResult<JsonObject>;

/** The settings a review needs: scope, mode, exclusions and the engine configuration. */
export interface AdmissionSettings extends ScopeConfig {
  readonly engine: EngineConfig;
}

/** What handleReview depends on. */
export interface HandleDeps {
  readonly settings: AdmissionSettings;
  /** The namespace's labels and annotations, or null when unknown; must answer at once. */
  readonly namespace: (namespace: string) => NamespaceView | null;
  readonly engine?: Engine;
}

/** The decided review. */
export interface ReviewResult {
  readonly response: AdmissionResponse;
  readonly outcome: ReviewOutcome;
  /** The effective mode, when autoprobe acted in the namespace. */
  readonly mode: Mode | null;
  /** Why the review was ignored or skipped, or how scope was decided. */
  readonly why: string;
  readonly decisions: readonly ContainerDecision[];
  readonly notices: readonly Notice[];
  /** The error that made the review fail open. */
  readonly error?: unknown;
}

/** The single warning of a fail-open answer. */
export const FAIL_OPEN_WARNING = 'autoprobe: internal error, pod admitted unchanged';
/** The single warning of an answer given up at the deadline. */
export const DEADLINE_WARNING = 'autoprobe: deadline exceeded, pod admitted unchanged';

const defaultEngine: Engine = (pod, config, facts) => mutateTemplate(pod, config, facts);

/** handleReview decides one request. It never throws: unexpected errors fail open. */
export function handleReview(request: AdmissionRequest, deps: HandleDeps): ReviewResult {
  try {
    return decide(request, deps);
  } catch (error) {
    return failedOpen(request.uid, error);
  }
}

/** failedOpen is the answer to an unexpected error: allowed, no patch, one warning. */
export function failedOpen(uid: string, error: unknown): ReviewResult {
  return {
    response: allowed(uid, {
      warnings: [FAIL_OPEN_WARNING],
      auditAnnotations: { [AUDIT_KEYS.failedOpen]: 'internal-error' },
    }),
    outcome: 'errored-open',
    mode: null,
    why: 'internal error',
    decisions: [],
    notices: [],
    error,
  };
}

/** deadlineExceeded is the answer when the request deadline passed before a decision. */
export function deadlineExceeded(uid: string): ReviewResult {
  return {
    response: allowed(uid, {
      warnings: [DEADLINE_WARNING],
      auditAnnotations: { [AUDIT_KEYS.failedOpen]: 'deadline' },
    }),
    outcome: 'timed-out',
    mode: null,
    why: 'deadline exceeded',
    decisions: [],
    notices: [],
  };
}

function decide(request: AdmissionRequest, deps: HandleDeps): ReviewResult {
  const ignoredWhy = ignoreReason(request);
  if (ignoredWhy !== undefined) return passThrough(request.uid, 'ignored', ignoredWhy);
  const pod = request.object as JsonObject;
  const namespace = namespaceOf(request, pod);
  const view = deps.namespace(namespace);
  const scope = decideScope({ name: namespace, labels: view?.labels ?? null }, deps.settings);
  if (!scope.act) return passThrough(request.uid, 'skipped-scope', scope.why);

  const engine = deps.engine ?? defaultEngine;
  const { plan, mutated } = engine(pod, deps.settings.engine, { namespace: view });
  const { decisions, notices } = plan;
  const extras = {
    warnings: renderWarnings(scope.mode, decisions, notices),
    auditAnnotations: renderAuditAnnotations(scope.mode, decisions),
  };
  const base = { mode: scope.mode, why: scope.why, decisions, notices };
  const injects = decisions.some((d) => d.action === 'inject');
  if (scope.mode === 'audit') {
    return {
      ...base,
      response: allowed(request.uid, extras),
      outcome: injects ? 'audited' : 'unchanged',
    };
  }
  // Apply the patch back before answering: one that does not apply would be a 500 at the
  // apiserver whatever the failurePolicy (mutating/dispatcher.go), so verifiedPatch throws instead.
  // An inject decision always changes the Pod (applyPlan adds what it carries), so the outcome
  // follows the decisions, as in audit mode.
  const ops = injects ? verifiedPatch(pod, mutated) : [];
  return {
    ...base,
    response: patched(request.uid, ops, extras),
    outcome: injects ? 'patched' : 'unchanged',
  };
}

/** ignoreReason says why a request is not autoprobe's business, or undefined for a Pod CREATE. */
function ignoreReason(request: AdmissionRequest): string | undefined {
  const { kind, operation, subResource } = request;
  if (kind.group !== '' || kind.kind !== 'Pod') {
    return `kind ${kind.group === '' ? '' : `${kind.group}/`}${kind.kind} is not a Pod`;
  }
  if (subResource !== '') return `subresource ${subResource} is not mutated`;
  // Probe fields are immutable after creation, so only CREATE can add them.
  if (operation !== 'CREATE') return `operation ${operation} is not mutated`;
  return undefined;
}

function passThrough(uid: string, outcome: ReviewOutcome, why: string): ReviewResult {
  return { response: allowed(uid), outcome, mode: null, why, decisions: [], notices: [] };
}

/** namespaceOf prefers the request's namespace (set by the apiserver) over the object's. */
export function namespaceOf(request: AdmissionRequest, pod: JsonObject | null): string {
  if (request.namespace !== '') return request.namespace;
  const metadata = pod !== null && isObject(pod.metadata) ? pod.metadata : {};
  return typeof metadata.namespace === 'string' ? metadata.namespace : '';
}
