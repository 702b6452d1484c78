/**
 * @module server/cert-reloader — swap the serving certificate without a restart when its files
 * change: validate the new pair, then `tls.Server#setSecureContext` (Node ≥ 11; established
 * connections keep their session, new handshakes get the new certificate). An invalid new pair
 * is logged and counted, and the old one keeps serving.
 */
import type { FastifyBaseLogger } from 'fastify';
import { watchFiles } from './file-watch.js';
import type { FileWatch } from './file-watch.js';
import type { Metrics } from './metrics.js';
import { readTlsFiles } from './tls-material.js';
import type { TlsMaterial } from './tls-material.js';

/** Options of watchCertificate. */
export interface CertReloaderOptions {
  readonly certFile: string;
  readonly keyFile: string;
  /** Installs validated material on the listener. */
  readonly apply: (material: TlsMaterial) => void;
  readonly logger: FastifyBaseLogger;
  readonly metrics: Metrics;
  readonly debounceMs?: number;
  readonly pollMs?: number;
}

/** A running certificate watch. */
export interface CertReloader extends FileWatch {
  /** Re-reads the files now; resolves true when a new certificate was installed. */
  reload(): Promise<boolean>;
  /** The material in use. */
  current(): TlsMaterial;
}

/** recordCertificate publishes the expiry of the certificate in use. */
export function recordCertificate(metrics: Metrics, material: TlsMaterial): void {
  metrics.certExpiry.set(material.notAfter.getTime() / 1000);
}

/** watchCertificate starts watching; `initial` is the material the listener was started with. */
export function watchCertificate(options: CertReloaderOptions, initial: TlsMaterial): CertReloader {
  const { certFile, keyFile, logger, metrics } = options;
  let current = initial;
  let running: Promise<boolean> | undefined;
  recordCertificate(metrics, current);

  const attempt = async (): Promise<boolean> => {
    let next: TlsMaterial;
    try {
      next = await readTlsFiles(certFile, keyFile);
    } catch (error) {
      metrics.tlsReloads.inc({ result: 'failure' });
      logger.warn(
        { err: error, certFile, keyFile, fingerprint: current.fingerprint },
        'new serving certificate is invalid; keeping the current one',
      );
      return false;
    }
    if (next.digest === current.digest) return false;
    options.apply(next);
    current = next;
    recordCertificate(metrics, next);
    metrics.tlsReloads.inc({ result: 'success' });
    logger.info(
      { certFile, fingerprint: next.fingerprint, notAfter: next.notAfter.toISOString() },
      'serving certificate reloaded',
    );
    return true;
  };
  // One reload at a time; a change during a reload is caught by the next event or poll.
  const reload = (): Promise<boolean> => {
    running ??= attempt().finally(() => {
      running = undefined;
    });
    return running;
  };
  const watch = watchFiles([certFile, keyFile], () => void reload(), {
    debounceMs: options.debounceMs ?? 250,
    pollMs: options.pollMs ?? 10_000,
    onError: (error) => {
      logger.warn({ err: error }, 'certificate directory watch failed; polling');
    },
  });
  return {
    close: () => {
      watch.close();
    },
    reload,
    current: () => current,
  };
}
