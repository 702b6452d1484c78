// Over real HTTPS on loopback: the certificate rotates under continuous keep-alive traffic with
// no failed request, the new certificate is served afterwards, an invalid new pair is refused,
// and an oversized or slow request does not disturb the normal ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from '../../src/core/index.js';
import { DEFAULTS } from '../../src/config/config.js';
import { buildServer, secureContextOptions, secureServerOf } from '../../src/server/app.js';
import { watchCertificate } from '../../src/server/cert-reloader.js';
import type { CertReloader } from '../../src/server/cert-reloader.js';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import type { DevCertificate } from '../../src/server/dev-certificate.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { Metrics } from '../../src/server/metrics.js';
import { validateTlsPair } from '../../src/server/tls-material.js';
import { metricValue, podOf, reviewOf } from './helpers/app.js';
import { peerFingerprint, startLoad } from './helpers/https-client.js';
import { secretVolume } from './helpers/secret-volume.js';
import type { SecretVolume } from './helpers/secret-volume.js';

let first: DevCertificate;
let second: DevCertificate;
beforeAll(async () => {
  [first, second] = await Promise.all([generateDevCertificate(), generateDevCertificate()]);
});

let app: FastifyInstance | undefined;
let reloader: CertReloader | undefined;
let dir: string | undefined;
afterEach(async () => {
  reloader?.close();
  await app?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  app = undefined;
  reloader = undefined;
  dir = undefined;
});

/** startHttps listens on an ephemeral loopback port with `material`, like serve.ts does. */
async function startHttps(
  material: DevCertificate,
  requestTimeoutMs = 2000,
  maxInFlightMiB: number = DEFAULTS.server.maxInFlightMiB,
): Promise<{ url: string; port: number; metrics: Metrics }> {
  const metrics = createMetrics(new Registry());
  app = buildServer({
    logger: pino({ level: 'silent' }),
    metrics,
    runtime: () => ({
      admission: {
        scope: 'cluster',
        mode: 'enforce',
        excludedNamespaces: [],
        engine: DEFAULT_ENGINE_CONFIG,
      },
      requestTimeoutMs,
      maxInFlightMiB,
    }),
    namespace: () => null,
    draining: () => false,
    tls: { cert: material.cert, key: material.key },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(address).port);
  return { url: `https://127.0.0.1:${port}`, port, metrics };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** watchVolume reloads the running app's certificate from the volume (serving `first` now). */
function watchVolume(volume: SecretVolume, metrics: Metrics): CertReloader {
  const server = app as FastifyInstance;
  return watchCertificate(
    {
      certFile: volume.path('tls.crt'),
      keyFile: volume.path('tls.key'),
      apply: (m) => secureServerOf(server)?.setSecureContext(secureContextOptions(m)),
      logger: pino({ level: 'silent' }),
      metrics,
      debounceMs: 50,
      pollMs: 0,
    },
    validateTlsPair(first.cert, first.key),
  );
}

describe('HTTPS certificate rotation', () => {
  it('swaps the certificate from a Secret-volume update with zero failed requests', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-rotate-'));
    const volume = await secretVolume(dir, { 'tls.crt': first.cert, 'tls.key': first.key });
    const { url, port, metrics } = await startHttps(first);
    reloader = watchVolume(volume, metrics);
    const ca = [first.caCert, second.caCert];
    const newFingerprint = validateTlsPair(second.cert, second.key).fingerprint;
    expect(await peerFingerprint(port, ca)).toBe(
      validateTlsPair(first.cert, first.key).fingerprint,
    );

    const load = startLoad(url, { ca, workers: 4 });
    await until(() => load.results.length >= 50);
    await volume.publish({ 'tls.crt': second.cert, 'tls.key': second.key });
    await until(() => reloader?.current().fingerprint === newFingerprint);
    const atSwap = load.results.length;
    await until(() => load.results.length >= atSwap + 50);
    const results = await load.stop();

    expect(results.filter((r) => r.status !== 200 || !r.echoed)).toEqual([]);
    expect(await peerFingerprint(port, ca)).toBe(newFingerprint);
    expect(await metricValue(metrics, 'autoprobe_tls_reloads_total', { result: 'success' })).toBe(
      1,
    );
    const expiry = await metricValue(metrics, 'autoprobe_tls_certificate_expiry_timestamp_seconds');
    expect(expiry).toBeGreaterThan(Date.now() / 1000);
  });

  it('keeps serving the current certificate when the new pair does not match', async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoprobe-rotate-'));
    const volume = await secretVolume(dir, { 'tls.crt': first.cert, 'tls.key': first.key });
    const { port, metrics } = await startHttps(first);
    reloader = watchVolume(volume, metrics);
    await volume.publish({ 'tls.crt': second.cert, 'tls.key': first.key });
    expect(await reloader.reload()).toBe(false);
    const ca = [first.caCert, second.caCert];
    expect(await peerFingerprint(port, ca)).toBe(
      validateTlsPair(first.cert, first.key).fingerprint,
    );
    expect(
      await metricValue(metrics, 'autoprobe_tls_reloads_total', { result: 'failure' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('refuses TLS 1.1 and below, before and after a swap', async () => {
    const { port } = await startHttps(first);
    const ca = [first.caCert, second.caCert];
    await expect(
      peerFingerprint(port, ca, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }),
    ).rejects.toThrow();
    secureServerOf(app as FastifyInstance)?.setSecureContext(secureContextOptions(second));
    await expect(
      peerFingerprint(port, ca, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }),
    ).rejects.toThrow();
    await expect(peerFingerprint(port, ca, { maxVersion: 'TLSv1.2' })).resolves.toMatch(
      /^[0-9A-F:]+$/,
    );
  });
});

/** rawRequest opens its own TLS connection and writes `head` (the caller controls the body). */
function rawRequest(port: number, ca: string[], head: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.write(head);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** responseOf collects what the server writes until it closes the connection. */
function responseOf(socket: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => {
      resolve(text);
    });
    socket.on('error', () => {
      resolve(text);
    });
  });
}

describe('HTTPS under hostile requests', () => {
  it('keeps answering normal requests while an oversized and a slow request are refused', async () => {
    const { url, port } = await startHttps(first, 400);
    const ca = [first.caCert];
    const load = startLoad(url, { ca, workers: 3 });
    await until(() => load.results.length >= 20);

    // Oversized: 3 MiB + 1 announced and sent.
    const size = 3 * 1024 * 1024 + 1;
    const big = await rawRequest(
      port,
      ca,
      `POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const bigAnswer = responseOf(big);
    big.write(Buffer.alloc(size, 0x20));

    // Slow: the body trickles in a byte at a time and never completes within the deadline.
    const body = JSON.stringify(reviewOf(podOf([{ name: 'db', image: 'postgres:16' }])));
    const slow = await rawRequest(
      port,
      ca,
      `POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const slowAnswer = responseOf(slow);
    let sent = 0;
    const trickle = setInterval(() => {
      if (!slow.destroyed && sent < body.length) slow.write(body.charAt(sent++));
    }, 20);

    // Slow headers: the request line and nothing else.
    const stalled = await rawRequest(port, ca, 'POST /mutate HTTP/1.1\r\nHost: local');

    const [bigText, slowText] = await Promise.all([bigAnswer, slowAnswer]);
    clearInterval(trickle);
    const before = load.results.length;
    await until(() => load.results.length >= before + 20);
    const results = await load.stop();
    stalled.destroy();

    expect(bigText).toMatch(/^HTTP\/1\.1 413 /);
    expect(bigText).toContain('over the 3 MiB limit');
    expect(slowText).toMatch(/^HTTP\/1\.1 504 /);
    expect(slowText.toLowerCase()).toContain('connection: close');
    expect(results.filter((r) => r.status !== 200 || !r.echoed)).toEqual([]);
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(1500);
  });

  it('gives the bytes of a client that hangs up mid-body back to the next review', async () => {
    const { port } = await startHttps(first, 2000, 4);
    const ca = [first.caCert];
    const body = JSON.stringify(reviewOf(podOf([{ name: 'db', image: 'postgres:16' }])));
    const head = (length: number): string =>
      `POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    // Announces 3 MiB and sends 10 bytes; then one that announces 2 MiB does not fit beside it.
    const hangsUp = await rawRequest(port, ca, head(3 * 1024 * 1024) + body.slice(0, 10));
    await sleep(50);
    const refused = await rawRequest(port, ca, head(2 * 1024 * 1024));
    expect(await responseOf(refused)).toMatch(/^HTTP\/1\.1 503 /);
    hangsUp.destroy();
    await sleep(50);
    const padded = body.padEnd(2 * 1024 * 1024, ' ');
    const accepted = await rawRequest(port, ca, head(padded.length) + padded);
    expect(await responseOf(accepted)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers plain HTTP on the HTTPS port with a clear 400 instead of a reset', async () => {
    const { port } = await startHttps(first);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1', () => {
        socket.write('POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}');
      });
      let got = '';
      socket.on('data', (chunk: Buffer) => (got += chunk.toString('utf8')));
      socket.on('close', () => {
        resolve(got);
      });
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('plain HTTP to the HTTPS port');
  });
});
