// Shutdown over real HTTPS on loopback: close() does not wait for connections that never carried
// a request (a raw TCP connection, a finished TLS handshake with nothing sent), which Node's
// closeIdleConnections() leaves open, while a request in flight still gets its answer.
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from '../../src/core/index.js';
import { buildServer } from '../../src/server/app.js';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import { createMetrics } from '../../src/server/metrics.js';

const sockets: Socket[] = [];
let app: FastifyInstance | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

async function startHttps(): Promise<number> {
  const material = await generateDevCertificate();
  app = buildServer({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(new Registry()),
    runtime: () => ({
      admission: {
        scope: 'cluster',
        mode: 'enforce',
        excludedNamespaces: [],
        engine: DEFAULT_ENGINE_CONFIG,
      },
      requestTimeoutMs: 2000,
    }),
    namespace: () => null,
    draining: () => false,
    tls: { cert: material.cert, key: material.key },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return Number(new URL(address).port);
}

/** closesWithin resolves true when app.close() finishes within `ms`. */
async function closesWithin(server: FastifyInstance, ms: number): Promise<boolean> {
  const closed = server.close().then(() => true);
  return Promise.race([closed, sleep(ms).then(() => false)]);
}

describe('shutdown with connections that never carried a request', () => {
  it('closes at once with a TLS connection that finished its handshake and sent nothing', async () => {
    const port = await startHttps();
    const socket = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    sockets.push(socket);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    await sleep(50);

    expect(await closesWithin(app!, 2000)).toBe(true);
  });

  it('closes at once with a TCP connection that never started TLS', async () => {
    const port = await startHttps();
    const socket = tcpConnect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    await sleep(50);

    expect(await closesWithin(app!, 2000)).toBe(true);
  });
});
