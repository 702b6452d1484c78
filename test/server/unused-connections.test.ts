// Shutdown over real HTTPS on loopback: close() does not wait for connections that never carried
// a request (a raw TCP connection, a finished TLS handshake with nothing sent), which Node's
// closeIdleConnections() leaves open, longer than their grace; a connection accepted just before
// the close that then sends its request still gets its answer (issue #12: they were reset).
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from '../../src/core/index.js';
import { DEFAULTS } from '../../src/config/config.js';
import { buildServer } from '../../src/server/app.js';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import { podOf, reviewOf } from './helpers/app.js';
import { createMetrics } from '../../src/server/metrics.js';

const sockets: Socket[] = [];
let app: FastifyInstance | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

const GRACE_MS = 300;

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
      maxInFlightMiB: DEFAULTS.server.maxInFlightMiB,
    }),
    namespace: () => null,
    draining: () => true,
    unusedGraceMs: GRACE_MS,
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
  it('closes after the grace with a TLS connection that finished its handshake and sent nothing', async () => {
    const port = await startHttps();
    const socket = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    sockets.push(socket);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    await sleep(50);

    expect(await closesWithin(app!, GRACE_MS + 1500)).toBe(true);
  });

  it('closes after the grace with a TCP connection that never started TLS', async () => {
    const port = await startHttps();
    const socket = tcpConnect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    await sleep(50);

    expect(await closesWithin(app!, GRACE_MS + 1500)).toBe(true);
  });

  it('answers a request sent on a connection accepted before the close, then closes', async () => {
    const port = await startHttps();
    const socket = tlsConnect({
      port,
      host: '127.0.0.1',
      rejectUnauthorized: false,
      servername: 'localhost',
    });
    sockets.push(socket);
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const closed = closesWithin(app!, GRACE_MS + 3000);
    await sleep(GRACE_MS / 3);
    const body = JSON.stringify(
      reviewOf(podOf([{ name: 'db', image: 'postgres:16' }]), { uid: 'late' }),
    );
    socket.write(
      `POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"uid":"late"');
    expect(await closed).toBe(true);
  });
});
