/**
 * @module admission/types — the parts of the `admission.k8s.io/v1` AdmissionReview that autoprobe
 * reads and writes.
 *
 * Shapes follow the API reference
 * (https://kubernetes.io/docs/reference/config-api/apiserver-admission.v1/) and the apiserver's
 * own checks of a webhook's answer (k8s.io/apiserver/pkg/admission/plugin/webhook/request/
 * admissionreview.go). Only the fields autoprobe uses are typed; the request object stays raw JSON
 * so that the patch is a diff of exactly what the apiserver sent (kubebuilder#510).
 */
import type { JsonObject, PatchOperation } from '../core/index.js';

/** The one API version autoprobe speaks; v1beta1 was removed in Kubernetes 1.22. */
export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
/** The envelope's kind, in both directions. */
export const ADMISSION_KIND = 'AdmissionReview';

/** The operations an AdmissionReview may carry. */
export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
/** An admission operation. */
export type Operation = (typeof OPERATIONS)[number];

/** A group/version/kind as the request names it (`group` is `""` for core/v1). */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A decoded, validated AdmissionReview request. `object` is the untouched wire JSON. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  readonly operation: Operation;
  /** `""` when the request is for the main resource, e.g. `status` or `ephemeralcontainers`. */
  readonly subResource: string;
  readonly namespace: string;
  /** The object's name; empty on CREATE with `generateName`. */
  readonly name: string;
  /** The object for CREATE/UPDATE/CONNECT; null for DELETE. */
  readonly object: JsonObject | null;
  /** True for `kubectl … --dry-run=server`: answer the same, cause no side effects. */
  readonly dryRun: boolean;
}

/** `status` of a response that is not a plain allow (HTTP-like code and a message for people). */
export interface ResponseStatus {
  readonly code: number;
  readonly message: string;
}

/** An admission answer before serialisation: the patch is still a list of operations. */
export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly patch: readonly PatchOperation[];
  readonly warnings: readonly string[];
  readonly auditAnnotations: Readonly<Record<string, string>>;
  readonly status?: ResponseStatus;
}

/** The serialised `response` object, exactly as it goes on the wire. */
export interface WireResponse {
  uid: string;
  allowed: boolean;
  patchType?: 'JSONPatch';
  /** base64 of the JSON Patch array (RFC 6902). */
  patch?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  status?: { code: number; message: string };
}

/** The serialised AdmissionReview answer. */
export interface WireReview {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: typeof ADMISSION_KIND;
  response: WireResponse;
}
