/**
 * @module server/mutate-route — `POST /mutate`: transport only. The body is decoded and decided
 * by the pure admission layer; this plugin maps transport failures to clear answers, enforces the
 * deadline, and hands every review to observeReview (metrics + one log line).
 *
 * Malformed input never gets a 500: bad JSON, a non-AdmissionReview, a missing uid or object → 400;
 * a wrong content type → 415; a body over the limit → 413. When a uid can be read the message also
 * goes in an AdmissionReview envelope (controller-runtime pkg/webhook/admission/http.go answers
 * in-band the same way). Errors inside the engine never get here: handleReview fails open.
 */
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import {
  deadlineExceeded,
  decodeReview,
  errored,
  failedOpen,
  handleReview,
  toWireReview,
} from '../admission/index.js';
import type { AdmissionRequest, ReviewResult } from '../admission/index.js';
import { isObject } from '../core/index.js';
import { budgetMs } from './deadline.js';
import { useJsonBody } from './json-body.js';
import { errorForLog } from './logger.js';
import { refusalOf } from './refusal.js';
import { RequestDeadlineError, useRequestDeadline } from './request-deadline.js';
import { useReviewLimit } from './review-limit.js';
import type { Refusal } from './refusal.js';
import { invalidRecord, observeReview, recordOf } from './review-record.js';
import type { ReviewRecord } from './review-record.js';
import type { ServerDeps } from './server-deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The review this request was answered with, for the onResponse observer; null before. */
    autoprobeReview: ReviewRecord | null;
  }
}

/**
 * The largest AdmissionReview body accepted: the apiserver's own request limit
 * (`MaxRequestBodyBytes`, 3 MiB, k8s.io/apiserver/pkg/server/config.go). etcd refuses objects over
 * 1.5 MiB by default, so every Pod that can be stored fits with its envelope.
 */
export const BODY_LIMIT_BYTES = 3 * 1024 * 1024;

const MIB = 1024 * 1024;

/** The path the MutatingWebhookConfiguration points at. */
export const MUTATE_PATH = '/mutate';

/** mutateRoute registers POST /mutate on an encapsulated context. */
export const mutateRoute: FastifyPluginCallback<ServerDeps> = (app, deps, done) => {
  // The record rides on the request itself and is dropped once observed. In a WeakMap keyed by
  // the request, every review's decisions and patch lived through young-generation collections
  // and were promoted to the old generation: ~1 MB per scavenge, 20 % of a review's CPU
  // (docs/benchmarks.md; weak collections and scavenges: nodejs/node#6180). Declared with
  // decorateRequest so every request has the same shape (Fastify's Decorators guide).
  app.decorateRequest('autoprobeReview', null);

  /** answer sends a decided review and remembers it for the onResponse observer. */
  function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    admission: AdmissionRequest,
    result: ReviewResult,
  ): FastifyReply {
    request.autoprobeReview = recordOf(admission, result);
    deps.onReview?.(result, admission);
    return reply.code(200).type('application/json').send(toWireReview(result.response));
  }

  /** refuse answers a request that could not be decided, in an envelope when the uid is known. */
  function refuse(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): FastifyReply {
    const uid = uidOf(request.body);
    request.autoprobeReview = {
      ...invalidRecord(uid, refusal.message, refusal.status),
      outcome: refusal.outcome ?? 'invalid',
    };
    void reply.code(refusal.status).type('application/json');
    if (uid !== null) {
      return reply.send(toWireReview(errored(uid, refusal.status, refusal.message)));
    }
    return reply.send({ statusCode: refusal.status, code: refusal.code, message: refusal.message });
  }

  // Only application/json: Fastify's text/plain parser would turn a wrong client into a confusing
  // "not an object" answer instead of a clear 415.
  useJsonBody(app, BODY_LIMIT_BYTES);
  // First: a refused request costs no deadline timer and no body.
  useReviewLimit(app, {
    budgetBytes: () => deps.runtime().maxInFlightMiB * MIB,
    bodyLimit: BODY_LIMIT_BYTES,
    refuse: (request, reply) => {
      refuse(request, reply, OVERLOAD_REFUSAL);
    },
  });
  useRequestDeadline(app, () => deps.runtime().requestTimeoutMs);

  // Callback-style hooks: an async hook costs a promise and a microtask turn per review.
  app.addHook('onSend', (_request, reply, payload, done) => {
    // While draining, tell the client not to reuse the connection, so it moves to another replica
    // without racing our close (kubernetes/kubernetes#127335).
    if (deps.draining()) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const record = request.autoprobeReview;
    if (record !== null) {
      request.autoprobeReview = null;
      observeReview(record, reply.elapsedTime, { metrics: deps.metrics, log: request.log });
    }
    done();
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const decoded = decodeReview(request.body);
    const known = decoded.ok ? decoded.request : null;
    if (error instanceof RequestDeadlineError) {
      if (known !== null) return answer(request, reply, known, deadlineExceeded(known.uid));
      // Still reading the body: no uid to answer with, so the apiserver applies failurePolicy.
      void reply.header('connection', 'close');
      return refuse(request, reply, DEADLINE_REFUSAL);
    }
    const refusal = refusalOf(error);
    if (refusal !== undefined) return refuse(request, reply, refusal);
    // Not the client's fault: a bug in this transport code. Fail open when the answer can still
    // be matched to its request.
    request.log.error({ err: errorForLog(error) }, 'unexpected error in the admission route');
    if (known !== null) {
      let sent: FastifyReply | undefined;
      try {
        sent = answer(request, reply, known, failedOpen(known.uid, error));
      } catch (again) {
        // Answering failed too: Fastify's own handler would echo the message, which may quote
        // the Pod; a bare 500 leaves the Pod to failurePolicy instead.
        request.log.error({ err: errorForLog(again) }, 'cannot answer a failed review');
      }
      if (sent !== undefined) return sent;
    }
    return refuse(request, reply, INTERNAL_REFUSAL);
  });

  // Another method on the admission path is a misdirected client, not an unknown path.
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: MUTATE_PATH,
    handler: (request, reply) =>
      reply
        .code(405)
        .header('allow', 'POST')
        .type('application/json')
        .send({
          statusCode: 405,
          code: 'AP_ERR_REVIEW_DECODE',
          message: `${request.method} is not allowed on ${MUTATE_PATH}; the API server sends AdmissionReviews with POST`,
        }),
  });

  app.post(MUTATE_PATH, { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
    const decoded = decodeReview(request.body);
    if (!decoded.ok) {
      const { code, message } = decoded.error;
      return refuse(request, reply, { status: 400, code, message });
    }
    const runtime = deps.runtime();
    const budget = budgetMs(runtime.requestTimeoutMs, request.query);
    let result = handleReview(decoded.request, {
      settings: runtime.admission,
      namespace: deps.namespace,
      ...(deps.engine === undefined ? {} : { engine: deps.engine }),
    });
    // The engine is synchronous, so an overrun is only known afterwards: the apiserver may
    // have given up already, and an answer past the budget must not change the Pod.
    if (reply.elapsedTime > budget) result = deadlineExceeded(decoded.request.uid);
    return answer(request, reply, decoded.request, result);
  });
  done();
};

const DEADLINE_REFUSAL: Refusal = {
  status: 504,
  code: 'AP_ERR_REVIEW_DECODE',
  message: 'the request deadline passed before the AdmissionReview was read',
  outcome: 'timed-out',
};

const OVERLOAD_REFUSAL: Refusal = {
  status: 503,
  code: 'AP_ERR_OVERLOADED',
  message:
    'too many review bytes in flight (server.maxInFlightMiB); the pod was not examined, the API server applies failurePolicy',
  outcome: 'overloaded',
};

const INTERNAL_REFUSAL: Refusal = {
  status: 500,
  code: 'AP_ERR_INTERNAL',
  message: 'internal error',
};

/** uidOf reads `request.uid` from a body that may be anything. */
function uidOf(body: unknown): string | null {
  if (!isObject(body) || !isObject(body.request)) return null;
  const uid = body.request.uid;
  return typeof uid === 'string' && uid !== '' ? uid : null;
}
