/**
 * @module server/ops-app — the plain-HTTP operations port: `/healthz` (the process answers),
 * `/readyz` (this replica should get admission traffic) and `/metrics` (Prometheus text format
 * from the registry passed in). Kept off the HTTPS port so kubelet probes and scrapers need no
 * certificate and never compete with admission requests.
 */
import { LogController, fastify } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

/** The dependencies of the operations app. */
export interface OpsDeps {
  readonly logger: FastifyBaseLogger;
  readonly registry: Registry;
  readonly readiness: Readiness;
}

/** buildOpsServer returns the health and metrics app without listening. */
export function buildOpsServer(deps: OpsDeps): FastifyInstance {
  const app = fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  });
  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok\n'));
  app.get('/readyz', async (_request, reply) => {
    const problems = deps.readiness.problems();
    if (problems.length === 0) return reply.type('text/plain').send('ok\n');
    return reply
      .code(503)
      .type('text/plain')
      .send(`not ready: ${problems.join('; ')}\n`);
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });
  return app;
}
