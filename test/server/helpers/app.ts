/**
 * Test harness for the admission app: buildServer with fakes (labels map, memory logger, fresh
 * Registry), plus builders for AdmissionReviews and readers for the answers.
 */
import { readFileSync } from 'node:fs';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Engine, ReviewResult, WireReview } from '../../../src/admission/index.js';
import { DEFAULT_ENGINE_CONFIG } from '../../../src/core/index.js';
import { DEFAULTS } from '../../../src/config/config.js';
import type { JsonObject, Mode, Scope } from '../../../src/core/index.js';
import { buildServer } from '../../../src/server/app.js';
import { REDACT_PATHS } from '../../../src/server/logger.js';
import { createMetrics } from '../../../src/server/metrics.js';
import type { Metrics } from '../../../src/server/metrics.js';

/** A log line as pino writes it. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** Options of testApp. */
export interface TestAppOptions {
  readonly mode?: Mode;
  readonly scope?: Scope;
  readonly excludedNamespaces?: readonly string[];
  /** Namespace labels by name; a missing name means unknown (null). */
  readonly labels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Namespace annotations by name (a mesh's injection marker). */
  readonly annotations?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly engine?: Engine;
  readonly requestTimeoutMs?: number;
  readonly maxInFlightMiB?: number;
  readonly logLevel?: string;
  /** Called after each decided review is recorded (a throwing one fakes a transport bug). */
  readonly onReview?: (result: ReviewResult) => void;
}

/** The app and what the test can look at. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly metrics: Metrics;
  readonly logs: LogLine[];
  readonly reviews: ReviewResult[];
  draining: boolean;
}

/** testApp builds the admission app with fakes; call `app.close()` in afterEach. */
export function testApp(options: TestAppOptions = {}): TestApp {
  const logs: LogLine[] = [];
  const reviews: ReviewResult[] = [];
  const logger = pino(
    { level: options.logLevel ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
  );
  const metrics = createMetrics(new Registry());
  const state: TestApp = {
    app: undefined as unknown as FastifyInstance,
    metrics,
    logs,
    reviews,
    draining: false,
  };
  const app = buildServer({
    logger,
    metrics,
    runtime: () => ({
      admission: {
        mode: options.mode ?? 'enforce',
        scope: options.scope ?? 'optin',
        excludedNamespaces: options.excludedNamespaces ?? [
          'kube-system',
          'kube-public',
          'kube-node-lease',
        ],
        engine: DEFAULT_ENGINE_CONFIG,
      },
      requestTimeoutMs: options.requestTimeoutMs ?? 2000,
      maxInFlightMiB: options.maxInFlightMiB ?? DEFAULTS.server.maxInFlightMiB,
    }),
    namespace: (name: string) => {
      const labels = options.labels?.[name];
      const annotations = options.annotations?.[name];
      return labels === undefined && annotations === undefined
        ? null
        : { labels: labels ?? {}, annotations: annotations ?? {} };
    },
    draining: () => state.draining,
    ...(options.engine === undefined ? {} : { engine: options.engine }),
    onReview: (result: ReviewResult) => {
      reviews.push(result);
      options.onReview?.(result);
    },
  });
  return Object.assign(state, { app });
}

/** A pod with the given containers. */
export function podOf(containers: readonly JsonObject[], metadata: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...metadata },
    spec: { containers },
  };
}

/** The real-world Pod CREATE review fixture. */
export function fixtureReview(): JsonObject {
  const url = new URL('../../fixtures/admission/pod-create-postgres.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as JsonObject;
}

/** Fields of the request to set or override. */
export interface ReviewFields {
  readonly uid?: string;
  readonly namespace?: string;
  readonly operation?: string;
  readonly kind?: { group: string; version: string; kind: string };
  readonly subResource?: string;
  readonly dryRun?: boolean;
  readonly object?: JsonObject | null;
}

/** reviewOf builds an AdmissionReview v1 for a pod (CREATE in namespace "team" by default). */
export function reviewOf(pod: JsonObject | null, fields: ReviewFields = {}): JsonObject {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: fields.uid ?? 'uid-1',
      kind: fields.kind ?? { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: fields.namespace ?? 'team',
      operation: fields.operation ?? 'CREATE',
      ...(fields.subResource === undefined ? {} : { subResource: fields.subResource }),
      object: fields.object === undefined ? pod : fields.object,
      dryRun: fields.dryRun ?? false,
    },
  };
}

/** The answer of one POST /mutate. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: unknown;
}

/** post sends a review (or any payload) to /mutate. */
export async function post(
  app: FastifyInstance,
  payload: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Answer> {
  const response = await app.inject({
    method: 'POST',
    url: '/mutate',
    headers,
    payload:
      typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body === '' ? '' : (JSON.parse(response.body) as unknown),
  };
}

/** reviewBody narrows an answer's body to an AdmissionReview. */
export function reviewBody(answer: Answer): WireReview {
  return answer.body as WireReview;
}

/** patchOf decodes the base64 JSON Patch of an answer (empty when there is none). */
export function patchOf(answer: Answer): Operation[] {
  const patch = reviewBody(answer).response.patch;
  return patch === undefined
    ? []
    : (JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as Operation[]);
}

/** applied applies the answer's patch to a copy of `pod`, as the apiserver does. */
export function applied(pod: JsonObject, answer: Answer): JsonObject {
  const copy = structuredClone(pod);
  return fastJsonPatch.applyPatch(copy, patchOf(answer), true, false).newDocument;
}

/** metricValue reads one series of a metric from the registry. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((v) =>
    Object.entries(labels).every(
      ([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want,
    ),
  );
  return found?.value ?? 0;
}
