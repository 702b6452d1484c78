/**
 * @module server/review-record — what the server remembers about one review, and how it becomes
 * metrics and the one log line per review (controller-runtime logs the same keys: uid, namespace,
 * name, operation). Decisions go to debug; objects and env values never reach a log.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AdmissionRequest, ReviewOutcome, ReviewResult } from '../admission/index.js';
import { isObject, roleOf } from '../core/index.js';
import type { Mode } from '../core/index.js';
import { errorForLog } from './logger.js';
import type { Metrics } from './metrics.js';

/** One review, as the server logs and counts it. */
export interface ReviewRecord {
  readonly outcome: ReviewOutcome;
  readonly uid: string | null;
  readonly mode: Mode | null;
  readonly dryRun: boolean;
  readonly operation: string | null;
  readonly kind: string | null;
  readonly namespace: string | null;
  /** The pod's name, or its generateName followed by `*` when the name is not set yet. */
  readonly pod: string | null;
  readonly why: string;
  readonly result: ReviewResult | null;
  readonly httpStatus: number;
}

/** recordOf summarises a decided review. */
export function recordOf(request: AdmissionRequest, result: ReviewResult): ReviewRecord {
  return {
    outcome: result.outcome,
    uid: request.uid,
    mode: result.mode,
    dryRun: request.dryRun,
    operation: request.operation,
    kind: request.kind.kind,
    namespace: request.namespace === '' ? null : request.namespace,
    pod: podName(request),
    why: result.why,
    result,
    httpStatus: 200,
  };
}

/** invalidRecord summarises a request that was refused before any decision. */
export function invalidRecord(uid: string | null, why: string, httpStatus: number): ReviewRecord {
  return {
    outcome: 'invalid',
    uid,
    mode: null,
    dryRun: false,
    operation: null,
    kind: null,
    namespace: null,
    pod: null,
    why,
    result: null,
    httpStatus,
  };
}

/** Where observeReview writes. */
export interface ObserveDeps {
  readonly metrics: Metrics;
  readonly log: FastifyBaseLogger;
}

/** observeReview counts the review and writes its log line (decisions at debug). */
export function observeReview(record: ReviewRecord, durationMs: number, deps: ObserveDeps): void {
  countReview(record, durationMs, deps.metrics);
  logReview(record, durationMs, deps.log);
}

function countReview(record: ReviewRecord, durationMs: number, metrics: Metrics): void {
  metrics.reviews.inc({
    outcome: record.outcome,
    mode: record.mode ?? 'none',
    dry_run: String(record.dryRun),
  });
  metrics.duration.observe({ outcome: record.outcome }, durationMs / 1000);
  if (record.outcome === 'errored-open') metrics.failOpen.inc({ cause: 'error' });
  if (record.outcome === 'timed-out') metrics.failOpen.inc({ cause: 'deadline' });
  if (record.outcome === 'overloaded') metrics.failOpen.inc({ cause: 'overload' });
  // A dry run has no side effects, so it does not count as decisions taken.
  if (record.dryRun) return;
  for (const d of record.result?.decisions ?? []) {
    // `found` reasons (image, port) are on nearly every decision and say nothing about it.
    const codes = d.reasons.map((r) => r.code).filter((c) => roleOf(c) !== 'found');
    for (const code of new Set(codes)) {
      metrics.decisions.inc({ family: d.family ?? 'none', action: d.action, reason: code });
    }
    for (const f of d.findings) {
      metrics.findings.inc({ family: d.family ?? 'none', code: f.code, severity: f.severity });
    }
  }
}

function logReview(record: ReviewRecord, durationMs: number, log: FastifyBaseLogger): void {
  const decisions = record.result?.decisions ?? [];
  const line = {
    uid: record.uid,
    namespace: record.namespace,
    pod: record.pod,
    kind: record.kind,
    operation: record.operation,
    mode: record.mode,
    dryRun: record.dryRun,
    outcome: record.outcome,
    injected: decisions.filter((d) => d.action === 'inject').length,
    skipped: decisions.filter((d) => d.action === 'skip').length,
    warnings: record.result?.response.warnings.length ?? 0,
    status: record.httpStatus,
    why: record.why,
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
  const error = record.result?.error;
  if (error !== undefined)
    log.error({ ...line, err: errorForLog(error) }, 'admission review failed open');
  else if (record.outcome === 'invalid' || record.outcome === 'overloaded') {
    log.warn(line, 'admission review refused');
  } else log.info(line, 'admission review');
  if (decisions.length > 0 && DEBUG_LEVELS.has(log.level)) {
    log.debug(
      {
        uid: record.uid,
        notices: record.result?.notices.map((n) => `${n.code}: ${n.detail}`),
        decisions: decisions.map((d) => ({
          container: d.container,
          family: d.family,
          action: d.action,
          probes: d.action === 'inject' ? d.kinds : [],
          cause: d.action === 'skip' ? d.cause.code : undefined,
          vetoed: d.vetoed.map((v) => `${v.kind}: ${v.invariant}`),
          reasons: d.reasons.map((r) => `${r.code}: ${r.detail}`),
        })),
      },
      'admission decisions',
    );
  }
}

const DEBUG_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

function podName(request: AdmissionRequest): string | null {
  if (request.name !== '') return request.name;
  const metadata = isObject(request.object?.metadata) ? request.object.metadata : {};
  if (typeof metadata.name === 'string' && metadata.name !== '') return metadata.name;
  if (typeof metadata.generateName === 'string') return `${metadata.generateName}*`;
  return null;
}
