/**
 * @module server/request-deadline — answer every `POST /mutate` by the configured deadline, even
 * when its body is still arriving. It does what Fastify's `handlerTimeout` does without its cost:
 * that option makes an AbortController per request and aborts it when the request closes, which
 * builds a DOMException (a stack trace) for every review, about 6 % of a review's CPU in the
 * profile (docs/benchmarks.md). Here it is one unref'd timer, cleared when the response is sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The pending deadline timer of the request; null once answered. */
    autoprobeDeadline: NodeJS.Timeout | null;
  }
}

/** The error a review gets when its deadline passes first; the route's error handler answers it. */
export class RequestDeadlineError extends Error {
  readonly code = 'AP_REQUEST_DEADLINE';
  readonly statusCode = 504;
  constructor(readonly timeoutMs: number) {
    super(`the request took longer than ${timeoutMs} ms`);
    this.name = 'RequestDeadlineError';
  }
}

/** useRequestDeadline arms a timer of `timeoutMs()` for each request of `app`'s context. */
export function useRequestDeadline(app: FastifyInstance, timeoutMs: () => number): void {
  // On the request, not in a WeakMap: see the note on autoprobeReview in mutate-route.ts.
  app.decorateRequest('autoprobeDeadline', null);
  app.addHook('onRequest', (request, reply, done) => {
    const ms = timeoutMs();
    const timer = setTimeout(() => {
      expire(request, reply, ms);
    }, ms);
    // A pending deadline never keeps the process alive (shutdown waits for in-flight requests).
    timer.unref();
    request.autoprobeDeadline = timer;
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.autoprobeDeadline !== null) clearTimeout(request.autoprobeDeadline);
    request.autoprobeDeadline = null;
    done();
  });
}

function expire(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  // Answered already, or the client went away: nothing to do.
  if (reply.sent || request.raw.destroyed) return;
  reply.send(new RequestDeadlineError(ms));
}
