/**
 * @module test/fuzz/harness — the webhook under fuzzing and the oracle every answer is held to.
 *
 * The app is the real one (buildServer with the production logger settings, redaction included,
 * writing nowhere, and real metrics), driven through `app.inject()`. The oracle does not reuse
 * the product's decoder: it restates the contract of docs/webhook.md from the outside.
 *
 * - Never a 5xx; a 4xx only for a request that is not a usable AdmissionReview, and then with a
 *   clear body (an AdmissionReview with `allowed: false`, the uid and `status.code`, or
 *   `{statusCode, code, message}` when no uid can be read).
 * - A usable review always gets 200, `apiVersion`/`kind` of v1, its uid echoed, `allowed: true`.
 * - `patchType` and `patch` together or not at all; never a patch in audit mode.
 * - A patch is base64 JSON Patch that applies (validated) to the request's object, touches only
 *   probe fields of containers and the status annotation, and never changes a probe the Pod had.
 */
import { Writable } from 'node:stream';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_ENGINE_CONFIG } from '../../src/core/index.js';
import { DEFAULTS } from '../../src/config/config.js';
import type { Mode } from '../../src/core/index.js';
import { buildServer } from '../../src/server/app.js';
import { MAX_JSON_CONTAINERS, MAX_JSON_DEPTH } from '../../src/server/json-body.js';
import { PATCH_FLOOR, PATCH_MULTIPLE } from '../generators/heavy-pods.js';
import { REDACT_PATHS } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';

type Json = Record<string, unknown>;

/** A request the fuzzer sends. */
export interface FuzzRequest {
  readonly body: string | Buffer;
  readonly contentType?: string | undefined;
  readonly url?: string | undefined;
}

/** What came back. */
export interface FuzzAnswer {
  readonly status: number;
  readonly text: string;
}

/** fuzzApp builds the webhook in one mode, cluster scope, logging nowhere. */
export function fuzzApp(mode: Mode): FastifyInstance {
  const sink = new Writable({
    write: (_chunk, _encoding, done) => {
      done();
    },
  });
  const logger = pino(
    {
      level: 'info',
      base: { name: 'autoprobe' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    sink,
  );
  return buildServer({
    logger,
    metrics: createMetrics(new Registry()),
    runtime: () => ({
      admission: {
        mode,
        scope: 'cluster',
        excludedNamespaces: ['kube-system'],
        engine: DEFAULT_ENGINE_CONFIG,
      },
      requestTimeoutMs: 2000,
      maxInFlightMiB: DEFAULTS.server.maxInFlightMiB,
    }),
    namespace: () => null,
    draining: () => false,
  });
}

/** send posts one request through inject(). */
export async function send(app: FastifyInstance, request: FuzzRequest): Promise<FuzzAnswer> {
  const response = await app.inject({
    method: 'POST',
    url: request.url ?? '/mutate',
    headers: request.contentType === undefined ? {} : { 'content-type': request.contentType },
    payload: request.body,
  });
  return { status: response.statusCode, text: response.body };
}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const BODY_LIMIT = 3 * 1024 * 1024;
const ALLOWED_PATH =
  /^\/(metadata(\/annotations(\/autoprobe.dev~1status)?)?|spec\/(containers|initContainers)\/\d+\/(livenessProbe|readinessProbe|startupProbe))$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the oracle knows about a request, computed independently of the product. */
export interface Expectation {
  /** The parsed body, or undefined when it is not JSON (or poisoned). */
  readonly parsed: unknown;
  readonly uid: string | null;
  /** A review the webhook must admit with 200. */
  readonly usable: boolean;
  readonly object: Json | null;
}

function parsePlain(text: string): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  return poisoned(value) ? { ok: false } : { ok: true, value };
}

/** poisoned looks for `__proto__` or `constructor.prototype` keys without recursion (deep input). */
function poisoned(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      if (Object.hasOwn(node, '__proto__')) return true;
      const ctor: unknown = (node as Json).constructor;
      if (
        Object.hasOwn(node, 'constructor') &&
        isObject(ctor) &&
        Object.hasOwn(ctor, 'prototype')
      ) {
        return true;
      }
    }
    for (const child of Object.values(node)) stack.push(child);
  }
  return false;
}

/** shapeOf counts the nesting of arrays and objects of a parsed value, and how many there are. */
function shapeOf(root: unknown): { depth: number; containers: number } {
  let depth = 0;
  let containers = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, level] = stack.pop() ?? [null, 0];
    if (typeof node !== 'object' || node === null) continue;
    containers += 1;
    depth = Math.max(depth, level + 1);
    for (const child of Object.values(node)) stack.push([child, level + 1]);
  }
  return { depth, containers };
}

function jsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

/** expect_ works out what a request deserves. */
export function expectationOf(request: FuzzRequest): Expectation {
  const text = typeof request.body === 'string' ? request.body : request.body.toString('utf8');
  const size =
    typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.length;
  const transportOk =
    jsonContentType(request.contentType) && size <= BODY_LIMIT && text.trim() !== '';
  const parsed = transportOk ? parsePlain(text) : { ok: false as const };
  if (!parsed.ok) return { parsed: undefined, uid: null, usable: false, object: null };
  // Deeper or bigger than the guard allows: refused before parsing, so no uid can be echoed.
  const shape = shapeOf(parsed.value);
  if (shape.depth > MAX_JSON_DEPTH || shape.containers > MAX_JSON_CONTAINERS) {
    return { parsed: undefined, uid: null, usable: false, object: null };
  }
  const body = parsed.value;
  const review = isObject(body) ? body : {};
  const req = isObject(review.request) ? review.request : null;
  const uid = req !== null && typeof req.uid === 'string' && req.uid !== '' ? req.uid : null;
  const kind = req !== null && isObject(req.kind) ? req.kind : null;
  const object = req !== null && isObject(req.object) ? req.object : null;
  const usable =
    isObject(body) &&
    review.apiVersion === 'admission.k8s.io/v1' &&
    review.kind === 'AdmissionReview' &&
    uid !== null &&
    kind !== null &&
    typeof kind.group === 'string' &&
    typeof kind.version === 'string' &&
    typeof kind.kind === 'string' &&
    typeof req?.operation === 'string' &&
    OPERATIONS.has(req.operation) &&
    (req.operation === 'DELETE' || object !== null);
  return { parsed: body, uid, usable, object };
}

/** A broken promise of the contract. */
export class ContractViolation extends Error {}

function fail(message: string, answer: FuzzAnswer): never {
  throw new ContractViolation(`${message} (HTTP ${answer.status}: ${answer.text.slice(0, 300)})`);
}

/** checkAnswer throws a ContractViolation when the answer breaks the contract. */
export function checkAnswer(request: FuzzRequest, answer: FuzzAnswer, mode: Mode): void {
  const expected = expectationOf(request);
  if (answer.status >= 500) fail('a 5xx answer', answer);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    fail('an answer that is not JSON', answer);
  }
  if (!isObject(body)) fail('an answer that is not a JSON object', answer);
  if (expected.usable) {
    if (answer.status !== 200) fail('a usable review was not answered 200', answer);
    checkReview(body, expected, answer, mode);
    return;
  }
  if (answer.status === 200) fail('an unusable request was answered 200', answer);
  if (answer.status < 400) fail(`an unexpected status`, answer);
  checkRefusal(body, expected, answer);
}

function checkRefusal(body: Json, expected: Expectation, answer: FuzzAnswer): void {
  if (body.apiVersion !== undefined) {
    const response = isObject(body.response) ? body.response : {};
    if (body.kind !== 'AdmissionReview' || body.apiVersion !== 'admission.k8s.io/v1') {
      fail('a refusal envelope that is not an AdmissionReview v1', answer);
    }
    if (expected.uid === null || response.uid !== expected.uid)
      fail('a refusal with the wrong uid', answer);
    if (response.allowed !== false) fail('a refusal that allows', answer);
    const status = isObject(response.status) ? response.status : {};
    if (
      status.code !== answer.status ||
      typeof status.message !== 'string' ||
      status.message === ''
    ) {
      fail('a refusal without a status code and message', answer);
    }
    return;
  }
  if (expected.uid !== null && answer.status === 400) {
    fail('a refusal without an envelope although the uid could be read', answer);
  }
  if (
    body.statusCode !== answer.status ||
    typeof body.message !== 'string' ||
    body.message === ''
  ) {
    fail('a refusal without statusCode and message', answer);
  }
}

function checkReview(body: Json, expected: Expectation, answer: FuzzAnswer, mode: Mode): void {
  const response = isObject(body.response) ? body.response : fail('no response object', answer);
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    fail('not an AdmissionReview v1', answer);
  }
  if (response.uid !== expected.uid) fail('the uid was not echoed', answer);
  if (response.allowed !== true) fail('a usable review was not allowed', answer);
  if ((response.patch === undefined) !== (response.patchType === undefined)) {
    fail('patch and patchType not together', answer);
  }
  if (response.patch === undefined) return;
  if (mode === 'audit') fail('a patch in audit mode', answer);
  if (response.patchType !== 'JSONPatch' || typeof response.patch !== 'string') {
    fail('a patch that is not a base64 JSONPatch', answer);
  }
  const text = Buffer.from(response.patch, 'base64').toString('utf8');
  const ops = JSON.parse(text) as Operation[];
  if (!Array.isArray(ops) || ops.length === 0) fail('an empty or non-array patch', answer);
  // Bounded work: the patch never grows faster than the Pod (issue #12, a 1 KB Pod's 35 MB patch).
  const podBytes = JSON.stringify(expected.object ?? {}).length;
  if (text.length > PATCH_MULTIPLE * podBytes + PATCH_FLOOR) {
    fail(`a ${text.length}-byte patch for a ${podBytes}-byte Pod`, answer);
  }
  checkPatch(ops, expected.object, answer);
}

function checkPatch(ops: Operation[], object: Json | null, answer: FuzzAnswer): void {
  if (object === null) fail('a patch for a request without an object', answer);
  for (const op of ops) {
    if (!ALLOWED_PATH.test(op.path))
      fail(
        `a patch operation outside probes and the status annotation: ${op.op} ${op.path}`,
        answer,
      );
    // Only `add`, except that metadata or annotations that are not objects (which the apiserver
    // would never send) are replaced by objects holding the status annotation, and a status
    // annotation already there (a reinvocation, a copied template) is replaced by the merged one.
    if (op.op !== 'add' && !(op.op === 'replace' && replaceable(object, op.path))) {
      fail(`a patch operation other than add: ${op.op} ${op.path}`, answer);
    }
  }
  let after: Json;
  try {
    after = applyOnCopy(object, ops);
  } catch (error) {
    fail(`a patch that does not apply: ${String(error)}`, answer);
  }
  const spec = isObject(object.spec) ? object.spec : {};
  const patchedSpec = isObject(after.spec) ? after.spec : {};
  for (const list of LISTS) {
    const before = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    const now = Array.isArray(patchedSpec[list]) ? (patchedSpec[list] as unknown[]) : [];
    if (before.length !== now.length) fail(`${list} changed length`, answer);
    before.forEach((container, i) => {
      if (!isObject(container)) return;
      const patched = now[i];
      for (const probe of PROBES) {
        if (container[probe] === undefined) continue;
        // Untouched means the very same value: the copy below shares everything not patched.
        if (!isObject(patched) || patched[probe] !== container[probe]) {
          fail(`a user probe changed: ${list}[${i}].${probe}`, answer);
        }
      }
    });
  }
}

function replaceable(object: Json, path: string): boolean {
  const metadata = object.metadata;
  if (path === '/metadata') return !isObject(metadata);
  if (path === '/metadata/annotations')
    return isObject(metadata) && !isObject(metadata.annotations);
  if (path === STATUS_PATH)
    return (
      isObject(metadata) &&
      isObject(metadata.annotations) &&
      Object.hasOwn(metadata.annotations, 'autoprobe.dev/status')
    );
  return false;
}

const STATUS_PATH = '/metadata/annotations/autoprobe.dev~1status';

/**
 * applyOnCopy applies the operations (validated, as the apiserver would) to a copy of `object`
 * made on write: only the objects on each operation's path are copied. A deep copy would recurse
 * and overflow on the deeply nested input the fuzzer sends.
 */
function applyOnCopy(object: Json, ops: readonly Operation[]): Json {
  let document: unknown = { ...object };
  const copied = new WeakSet<object>([document as object]);
  for (const op of ops) {
    let node: unknown = document;
    for (const token of op.path.split('/').slice(1, -1)) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) break;
      const parent = node as Record<string, unknown>;
      const child = parent[key];
      if (typeof child === 'object' && child !== null && !copied.has(child)) {
        parent[key] = Array.isArray(child) ? [...(child as unknown[])] : { ...child };
        copied.add(parent[key] as object);
      }
      node = parent[key];
    }
    document = fastJsonPatch.applyOperation(document, op, true, true).newDocument;
  }
  return document as Json;
}
