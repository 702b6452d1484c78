/**
 * @module server/review-limit — a budget on the request bodies in flight. Bodies are read
 * concurrently and each costs its size several times over once parsed and decided (about six
 * times for the widest valid review, docs/benchmarks.md), so memory follows the bytes in flight,
 * not the number of clients: the apiserver sends many small reviews at once in a burst of Pod
 * creations, and those must never be refused, while 50 clients sending 3 MiB each would take a
 * fresh process past 450 MB. A request whose announced size would take the bytes in flight past
 * the budget is refused at once with 503, before its body is read, and the apiserver applies
 * failurePolicy (Ignore: the Pod is admitted unchanged). At least one request is always let in,
 * so a budget below the body limit never refuses a lone large review. No Retry-After header:
 * client-go waits and retries a 503 that carries one, holding the Pod's creation past the webhook
 * timeout (k8s.io/client-go/rest/request.go, checkWait).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How a request is charged: its Content-Length, or the body limit when it announces none. */
function costOf(request: FastifyRequest, bodyLimit: number): number {
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length >= 0 ? Math.min(length, bodyLimit) : bodyLimit;
}

/** Options of useReviewLimit. */
export interface ReviewLimit {
  /** The budget of body bytes in flight (read at each request: it may be reloaded). */
  readonly budgetBytes: () => number;
  readonly bodyLimit: number;
  /** Answers a refused request. */
  readonly refuse: (request: FastifyRequest, reply: FastifyReply) => void;
}

/** useReviewLimit refuses a request of `app`'s context past the budget of bytes in flight. */
export function useReviewLimit(app: FastifyInstance, limit: ReviewLimit): void {
  let inFlight = 0;
  let bytes = 0;
  app.addHook('onRequest', (request, reply, done) => {
    const cost = costOf(request, limit.bodyLimit);
    if (inFlight > 0 && bytes + cost > limit.budgetBytes()) {
      limit.refuse(request, reply);
      return;
    }
    inFlight += 1;
    bytes += cost;
    // 'close' fires once for every response, sent or abandoned by a client that went away.
    reply.raw.once('close', () => {
      inFlight -= 1;
      bytes -= cost;
    });
    done();
  });
}
