/**
 * @module errors — every error autoprobe raises, with a stable code. Edges turn them into output
 * in one place each (the admission handler, the server's error handler, the CLI's main).
 */

export const ERROR_CODES = {
  AP_ERR_CONFIG_INVALID: 'configuration is invalid',
  AP_ERR_CONFIG_READ: 'configuration file cannot be read',
  AP_ERR_REVIEW_DECODE: 'AdmissionReview cannot be decoded',
  AP_ERR_REVIEW_INVALID: 'AdmissionReview is not valid',
  AP_ERR_BODY_TOO_LARGE: 'request body is too large',
  AP_ERR_OVERLOADED: 'too many review bytes in flight',
  AP_ERR_PATCH_INVALID: 'computed patch is invalid',
  AP_ERR_MANIFEST_PARSE: 'manifest cannot be parsed',
  AP_ERR_MANIFEST_KIND: 'manifest kind is not supported',
  AP_ERR_INPUT_READ: 'input cannot be read',
  AP_ERR_USAGE: 'invalid command-line usage',
  AP_ERR_KUBE_FORBIDDEN: 'the Kubernetes API refused a read',
  AP_ERR_KUBE_API: 'the Kubernetes API cannot be read',
  AP_ERR_LINT_FINDINGS: 'the lint found probes that can kill or hide a healthy pod',
  AP_ERR_TLS: 'TLS material is invalid',
  AP_ERR_CERTIFICATES: 'self-managed certificates cannot be reconciled',
  AP_ERR_INTERNAL: 'internal error',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** AutoprobeError is the one error type; `code` is stable, `message` is for people. */
export class AutoprobeError extends Error {
  readonly code: ErrorCode;
  /** Individual problems when one error reports several (config validation). */
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutoprobeError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** isAutoprobeError narrows unknown errors. */
export function isAutoprobeError(error: unknown): error is AutoprobeError {
  return error instanceof AutoprobeError;
}
