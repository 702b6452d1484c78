/**
 * @module admission/respond — response constructors and the one serialiser of an AdmissionReview
 * answer, after controller-runtime's pkg/webhook/admission/response.go.
 *
 * The serialiser is the only place that knows the wire rules the apiserver enforces
 * (k8s.io/apiserver/pkg/admission/plugin/webhook/request/admissionreview.go): the same
 * apiVersion and kind, `response.uid` echoed, `patchType: JSONPatch` together with a base64
 * `patch` or neither of them.
 */
import type { PatchOperation } from '../core/index.js';
import { encodeBase64 } from './base64.js';
import { ADMISSION_API_VERSION, ADMISSION_KIND } from './types.js';
import type { AdmissionResponse, WireResponse, WireReview } from './types.js';

/** Optional parts of an answer. */
export interface ResponseExtras {
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
}

/** allowed admits the object unchanged. */
export function allowed(uid: string, extras: ResponseExtras = {}): AdmissionResponse {
  return {
    uid,
    allowed: true,
    patch: [],
    warnings: extras.warnings ?? [],
    auditAnnotations: extras.auditAnnotations ?? {},
  };
}

/** patched admits the object with a JSON Patch (an empty patch is a plain allow). */
export function patched(
  uid: string,
  patch: readonly PatchOperation[],
  extras: ResponseExtras = {},
): AdmissionResponse {
  return { ...allowed(uid, extras), patch };
}

/**
 * errored answers a request that could not be processed, with an HTTP-like code and a message
 * (controller-runtime's `Errored`). It is only used for malformed requests; engine failures fail
 * open through `allowed` instead.
 */
export function errored(uid: string, code: number, message: string): AdmissionResponse {
  return {
    uid,
    allowed: false,
    patch: [],
    warnings: [],
    auditAnnotations: {},
    status: { code, message },
  };
}

/** toWireReview serialises an answer into the AdmissionReview the apiserver expects. */
export function toWireReview(response: AdmissionResponse): WireReview {
  const wire: WireResponse = { uid: response.uid, allowed: response.allowed };
  if (response.patch.length > 0) {
    // patch and patchType go together or not at all, or the apiserver rejects the answer.
    wire.patchType = 'JSONPatch';
    wire.patch = encodeBase64(JSON.stringify(response.patch));
  }
  if (response.warnings.length > 0) wire.warnings = [...response.warnings];
  if (Object.keys(response.auditAnnotations).length > 0) {
    wire.auditAnnotations = { ...response.auditAnnotations };
  }
  if (response.status !== undefined) wire.status = { ...response.status };
  return { apiVersion: ADMISSION_API_VERSION, kind: ADMISSION_KIND, response: wire };
}
