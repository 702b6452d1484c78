/**
 * @module server/tls-material — read and validate a serving certificate and key before they are
 * used: the pair must parse, match, be accepted by Node's TLS stack and not be expired. A pair
 * that fails is never installed (controller-runtime's certwatcher keeps the old one the same way).
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { AutoprobeError } from '../core/index.js';

/** A validated certificate (chain) and key, with what the logs and metrics need to know. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Expiry of the leaf certificate. */
  readonly notAfter: Date;
  /** SHA-256 fingerprint of the leaf (colon-separated hex, as `openssl x509 -fingerprint`). */
  readonly fingerprint: string;
  /** SHA-256 of cert + key, to tell whether files on disk changed. */
  readonly digest: string;
}

/** readTlsFiles reads and validates the pair at `certFile` and `keyFile`. */
export async function readTlsFiles(
  certFile: string,
  keyFile: string,
  now: Date = new Date(),
): Promise<TlsMaterial> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_TLS', `cannot read ${certFile} or ${keyFile}`, { cause });
  }
  return validateTlsPair(cert, key, now);
}

/** validateTlsPair checks a PEM certificate (chain) and key; it throws AP_ERR_TLS when unusable. */
export function validateTlsPair(cert: string, key: string, now: Date = new Date()): TlsMaterial {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_TLS', 'the certificate is not valid PEM', { cause });
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key))) {
      throw new AutoprobeError('AP_ERR_TLS', 'the key does not match the certificate');
    }
    // Node's own check, the one setSecureContext would otherwise fail on.
    tls.createSecureContext({ cert, key });
  } catch (cause) {
    if (cause instanceof AutoprobeError) throw cause;
    throw new AutoprobeError('AP_ERR_TLS', 'the key is not a usable private key', { cause });
  }
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() <= now.getTime()) {
    throw new AutoprobeError('AP_ERR_TLS', `the certificate expired at ${notAfter.toISOString()}`);
  }
  return {
    cert,
    key,
    notAfter,
    fingerprint: leaf.fingerprint256,
    digest: createHash('sha256').update(cert).update('\0').update(key).digest('hex'),
  };
}
