/**
 * @module server/dev-certificate — a self-signed ECDSA P-256 CA and a serving certificate it
 * signs, made at start when no certificate is configured, so `autoprobe serve` works on a laptop
 * out of the box. The CA PEM is written where the log line says, ready to paste (base64) into a
 * MutatingWebhookConfiguration's caBundle. The certificates are issued by kube/certs/x509.ts,
 * which the self-managed certificates of a cluster install share.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, issueServing } from '../kube/certs/x509.js';

const DAY_MS = 86_400_000;

/** The hosts every development certificate covers. */
export const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** A generated CA and serving certificate, all PEM. */
export interface DevCertificate {
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/** The files a generated certificate is written to. */
export interface DevCertificateFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Options of generateDevCertificate. */
export interface DevCertificateOptions {
  /** DNS names or IP addresses besides `localhost`, 127.0.0.1 and ::1 (always included). */
  readonly hosts?: readonly string[];
  readonly now?: Date;
  readonly validDays?: number;
}

/** generateDevCertificate makes a fresh CA and a serving certificate signed by it. */
export async function generateDevCertificate(
  options: DevCertificateOptions = {},
): Promise<DevCertificate> {
  const now = options.now ?? new Date();
  const validity = {
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validDays ?? 365) * DAY_MS),
  };
  const ca = await createCa('autoprobe development CA', validity);
  const leaf = await issueServing({
    ca,
    hosts: [...DEFAULT_HOSTS, ...(options.hosts ?? [])],
    commonName: 'autoprobe',
    ...validity,
  });
  return { caCert: ca.cert, cert: leaf.cert, key: leaf.key };
}

/** writeDevCertificate writes the CA, certificate and key (owner-only) into `dir`. */
export async function writeDevCertificate(
  dir: string,
  material: DevCertificate,
): Promise<DevCertificateFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
  };
  await writeFile(files.caFile, material.caCert);
  await writeFile(files.certFile, material.cert);
  await writeFile(files.keyFile, material.key, { mode: 0o600 });
  // writeFile's mode only applies when it creates the file; an old key file keeps its mode.
  await chmod(files.keyFile, 0o600);
  return files;
}
