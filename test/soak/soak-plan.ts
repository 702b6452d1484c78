/**
 * @module test/soak/soak-plan — what the soak changes under a running server, shared by the long
 * run (test/soak/run.ts) and the short one in the unit suite: serving certificates published the
 * way the kubelet updates a Secret volume, and config files the way it updates a ConfigMap
 * volume (both an atomic `..data` symlink swap, test/server/helpers/secret-volume.ts).
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { generateDevCertificate } from '../../src/server/dev-certificate.js';
import type { DevCertificate } from '../../src/server/dev-certificate.js';

/** certificates makes `count` independent CA + serving certificate pairs for localhost. */
export async function certificates(count: number): Promise<DevCertificate[]> {
  const made: DevCertificate[] = [];
  for (let i = 0; i < count; i++) made.push(await generateDevCertificate({ validDays: 2 }));
  return made;
}

/** fingerprintOf is the SHA-256 fingerprint of a PEM certificate, as TLS peers report it. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** served opens a fresh TLS connection and returns the fingerprint of the certificate served. */
export function served(port: number, ca: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca: [...ca], servername: 'localhost' },
      () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(fingerprint);
      },
    );
    socket.on('error', reject);
  });
}

/** waitFor polls `check` every 100 ms until it is true; it returns the seconds it took. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      if (await check()) return Math.round(performance.now() - started) / 1000;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** configYaml is the soak's config: the base text plus a PostgreSQL timing that changes per version. */
export function configYaml(base: string, version: number): string {
  return `${base}\nfamilies:\n  postgres:\n    timings:\n      startup:\n        failureThreshold: ${360 + version}\n`;
}

/** metricValue reads one series from Prometheus text. */
export function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
