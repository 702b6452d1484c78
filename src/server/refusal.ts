/**
 * @module server/refusal — Fastify's transport errors (body limit, content type, length)
 * turned into the status and the clear message autoprobe answers with. One table, one place.
 */
import type { FastifyError } from 'fastify';
import type { ReviewOutcome } from '../admission/index.js';
import type { ErrorCode } from '../core/index.js';
import { JsonBodyError } from './json-body.js';

/** A request refused before any decision. */
export interface Refusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** The outcome label; `invalid` unless said otherwise. */
  readonly outcome?: ReviewOutcome;
}

const LIMIT_MIB = 3;

/** refusalOf maps a Fastify client error to a refusal, or undefined for anything else. */
export function refusalOf(error: FastifyError): Refusal | undefined {
  if (error instanceof JsonBodyError) {
    return { status: 400, code: 'AP_ERR_REVIEW_DECODE', message: error.message };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'AP_ERR_BODY_TOO_LARGE',
        message: `the request body is over the ${LIMIT_MIB} MiB limit (the apiserver's own request limit); the pod was not examined`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'AP_ERR_REVIEW_DECODE',
        message: 'the content type must be application/json',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'AP_ERR_REVIEW_DECODE',
        message: 'the request body size does not match its Content-Length',
      };
  }
  // Any other client error Fastify detects keeps its status and message.
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return {
      status,
      code: 'AP_ERR_REVIEW_DECODE',
      message: `the request was refused: ${error.message}`,
    };
  }
  return undefined;
}
