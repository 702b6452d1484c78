/**
 * @module admission/decode — turn an untrusted request body into an AdmissionRequest, or say
 * exactly what is wrong with it.
 *
 * The checks mirror what the apiserver always sends (kubernetes/website
 * extensible-admission-controllers.md, "Request"): a v1 envelope, a `request.uid`, a kind, an
 * operation, and an object for CREATE/UPDATE. Anything else is a client bug and gets a clear
 * message; the uid is recovered when possible so the answer can still echo it.
 */
import { AutoprobeError, isObject } from '../core/index.js';
import type { JsonObject } from '../core/index.js';
import { ADMISSION_API_VERSION, ADMISSION_KIND, OPERATIONS } from './types.js';
import type { AdmissionRequest, GroupVersionKind, Operation } from './types.js';

/** The result of decoding: a request, or an error and the uid if one could be read. */
export type DecodeResult =
  | { readonly ok: true; readonly request: AdmissionRequest }
  | { readonly ok: false; readonly error: AutoprobeError; readonly uid: string | null };

/** decodeReview validates `body` (already JSON-parsed) as an `admission.k8s.io/v1` review. */
export function decodeReview(body: unknown): DecodeResult {
  if (body === undefined || body === null || body === '') {
    return invalid('the request body is empty; expected an AdmissionReview', null);
  }
  if (!isObject(body)) {
    return invalid(`expected an AdmissionReview object, got ${describe(body)}`, null);
  }
  const request = isObject(body.request) ? body.request : null;
  const uid = typeof request?.uid === 'string' && request.uid !== '' ? request.uid : null;
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return invalid(
      `apiVersion must be ${ADMISSION_API_VERSION}, got ${shown(body.apiVersion)}`,
      uid,
    );
  }
  if (body.kind !== ADMISSION_KIND) {
    return invalid(`kind must be ${ADMISSION_KIND}, got ${shown(body.kind)}`, uid);
  }
  if (request === null) return invalid('request is missing or not an object', uid);
  if (uid === null) return invalid('request.uid is missing or empty', null);
  return decodeRequest(request, uid);
}

function decodeRequest(request: JsonObject, uid: string): DecodeResult {
  const kind = readKind(request.kind);
  if (kind === null) {
    return invalid('request.kind must be an object with string group, version and kind', uid);
  }
  const operation = request.operation;
  if (!isOperation(operation)) {
    return invalid(
      `request.operation must be one of ${OPERATIONS.join(', ')}, got ${shown(operation)}`,
      uid,
    );
  }
  const object = isObject(request.object) ? request.object : null;
  // DELETE carries oldObject only; every other operation must carry the object it admits.
  if (operation !== 'DELETE' && object === null) {
    return invalid(`request.object is missing or not an object for ${operation}`, uid);
  }
  return {
    ok: true,
    request: {
      uid,
      kind,
      operation,
      subResource: stringOr(request.subResource, ''),
      namespace: stringOr(request.namespace, ''),
      name: stringOr(request.name, ''),
      object,
      dryRun: request.dryRun === true,
    },
  };
}

function readKind(value: unknown): GroupVersionKind | null {
  if (!isObject(value)) return null;
  const { group, version, kind } = value;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') {
    return null;
  }
  return { group, version, kind };
}

function isOperation(value: unknown): value is Operation {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function invalid(message: string, uid: string | null): DecodeResult {
  return { ok: false, error: new AutoprobeError('AP_ERR_REVIEW_INVALID', message), uid };
}

/** describe names the JSON type of a value that is not an object. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON array';
  return `a JSON ${typeof value}`;
}

/**
 * shown quotes a user value in a message, short enough for a log line. Objects and arrays are
 * named, not serialised: they can nest deeper than JSON.stringify can recurse (the fuzzer sent an
 * `apiVersion` nested thousands of levels deep, which made this a 500), and are never a useful
 * quote anyway.
 */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) {
    return Array.isArray(value) ? 'a JSON array' : 'a JSON object';
  }
  const text =
    typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
