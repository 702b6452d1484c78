// The operations port: liveness, readiness (TLS loaded, not draining) and Prometheus metrics.
import { Registry } from 'prom-client';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, createMetrics } from '../../src/server/metrics.js';
import { buildOpsServer } from '../../src/server/ops-app.js';
import { createReadiness } from '../../src/server/readiness.js';
import type { FastifyInstance } from 'fastify';

let app: FastifyInstance;
afterEach(async () => {
  await app.close();
});

function ops(): { app: FastifyInstance; readiness: ReturnType<typeof createReadiness> } {
  const registry = new Registry();
  createMetrics(registry);
  const readiness = createReadiness();
  app = buildOpsServer({ logger: pino({ level: 'silent' }), registry, readiness });
  return { app, readiness };
}

describe('operations app', () => {
  it('answers /healthz with 200 whatever the state', async () => {
    const { readiness } = ops();
    readiness.startDraining();
    const response = await app.inject('/healthz');
    expect([response.statusCode, response.body]).toEqual([200, 'ok\n']);
  });

  it('fails /readyz until the serving certificate is loaded', async () => {
    const { readiness } = ops();
    const before = await app.inject('/readyz');
    expect([before.statusCode, before.body]).toEqual([
      503,
      'not ready: the serving certificate is not loaded\n',
    ]);
    readiness.markTlsLoaded();
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('fails /readyz as soon as shutdown starts', async () => {
    const { readiness } = ops();
    readiness.markTlsLoaded();
    readiness.startDraining();
    const response = await app.inject('/readyz');
    expect([response.statusCode, response.body]).toEqual([503, 'not ready: shutting down\n']);
  });

  it('serves every autoprobe metric in the Prometheus text format', async () => {
    ops();
    const response = await app.inject('/metrics');
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'autoprobe_admission_reviews_total',
      'autoprobe_admission_review_duration_seconds',
      'autoprobe_decisions_total',
      'autoprobe_admission_fail_open_total',
      'autoprobe_tls_certificate_expiry_timestamp_seconds',
      'autoprobe_tls_reloads_total',
      'autoprobe_config_reloads_total',
      'autoprobe_namespace_cache_state',
      'autoprobe_namespace_cache_namespaces',
      'autoprobe_namespace_watch_errors_total',
      'process_cpu_seconds_total',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
    expect(response.body).toContain('autoprobe_namespace_cache_state{state="disabled"} 1');
  });

  it('buckets latency from 1 ms to 25 s, every apiserver bucket and 1 ms / 10 ms among them', () => {
    expect(LATENCY_BUCKETS[0]).toBe(0.001);
    expect(LATENCY_BUCKETS.at(-1)).toBe(25);
    // apiserver_admission_webhook_admission_duration_seconds' buckets (1.27+) are all present.
    for (const b of [0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 25]) expect(LATENCY_BUCKETS).toContain(b);
    expect(LATENCY_BUCKETS).toContain(0.01);
  });
});
