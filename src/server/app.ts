/**
 * @module server/app — buildServer(deps): the admission app, configured but not listening
 * (Fastify's testing guide, "Separating concerns makes testing easy"). Tests call `inject()`;
 * serve.ts calls `listen()`.
 *
 * The listener is tuned for the apiserver as a client: HTTP/1.1 with keep-alive
 * (kubernetes/kubernetes#82090), an idle timeout above the client's 90 s so the server never
 * closes a connection the apiserver is about to reuse (knative/pkg#1509, kyverno/kyverno#5062),
 * and TLS 1.2 at least, as client-go requires.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { LogController, fastify } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { BODY_LIMIT_BYTES, mutateRoute } from './mutate-route.js';
import { answerPlainHttp } from './plain-http.js';
import type { ServerDeps, TlsOptions } from './server-deps.js';
import { trackConnections } from './unused-connections.js';
import type { ConnectionTracker } from './unused-connections.js';

/** The oldest TLS version served; client-go's transport also requires 1.2. */
export const TLS_MIN_VERSION = 'TLSv1.2';

/** Above the apiserver's 90 s idle timeout (Go's http.Transport default, client-go keeps it). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 95_000;

// The connection tracker of each app, for the shutdown's quiet wait (shutdown.ts).
const TRACKERS = new WeakMap<FastifyInstance, ConnectionTracker>();

/** lastConnectionAt says when the app's listener last accepted a connection (-Infinity: never). */
export function lastConnectionAt(app: FastifyInstance): number {
  return TRACKERS.get(app)?.lastConnectionAt() ?? Number.NEGATIVE_INFINITY;
}

/** buildServer returns the admission app without listening. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const keepAliveTimeout = deps.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  let connections: ConnectionTracker | undefined;
  const app = fastify({
    loggerInstance: deps.logger,
    // One line per review comes from observeReview; Fastify's two lines per request would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Close idle keep-alive sockets on close(); in-flight requests finish first.
    forceCloseConnections: 'idle',
    // Requests that arrive on an open connection while closing are still answered: the client
    // already chose this replica, and a 503 would be a failed admission call.
    return503OnClosing: false,
    serverFactory: (handler) => {
      const server = createListener(handler, keepAliveTimeout, deps.tls);
      connections = trackConnections(server);
      return server;
    },
  });
  // closeIdleConnections() misses connections that never carried a request; see unused-connections.
  app.addHook('preClose', (done) => {
    connections?.closeUnused(deps.unusedGraceMs);
    done();
  });
  if (connections !== undefined) TRACKERS.set(app, connections);
  void app.register(mutateRoute, deps);
  return app;
}

/** secureServerOf returns the app's TLS server, to swap its certificate, or undefined for HTTP. */
export function secureServerOf(app: FastifyInstance): tls.Server | undefined {
  const server: unknown = app.server;
  return server instanceof tls.Server ? server : undefined;
}

/** secureContextOptions are the options of the listener and of every certificate swap. */
export function secureContextOptions(material: TlsOptions): tls.SecureContextOptions {
  return { key: material.key, cert: material.cert, minVersion: TLS_MIN_VERSION };
}

function createListener(
  handler: http.RequestListener,
  keepAliveTimeout: number,
  material: TlsOptions | undefined,
): http.Server {
  let server: http.Server;
  if (material === undefined) server = http.createServer(handler);
  else {
    const secure = https.createServer(secureContextOptions(material), handler);
    answerPlainHttp(secure);
    server = secure;
  }
  server.keepAliveTimeout = keepAliveTimeout;
  // Headers of a request on a reused connection must not be timed out before the connection's
  // own idle timeout (nodejs/node#27363); Node requires requestTimeout ≥ headersTimeout.
  server.headersTimeout = keepAliveTimeout + 1_000;
  server.requestTimeout = keepAliveTimeout + 2_000;
  return server;
}
