/**
 * @module server/dev-certificate — a self-signed ECDSA P-256 CA and a serving certificate it
 * signs, made at start when no certificate is configured, so `autoprobe serve` works on a laptop
 * out of the box. The CA PEM is written where the log line says, ready to paste (base64) into a
 * MutatingWebhookConfiguration's caBundle. P-256 because its handshakes are the cheapest
 * (webhook-practices §1.3); @peculiar/x509 because Node can verify but not issue certificates.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

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
  x509.cryptoProvider.set(webcrypto);
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + (options.validDays ?? 365) * DAY_MS);
  const caKeys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=autoprobe development CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await generateKeys();
  const names = subjectAltNames(options.hosts ?? []);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=autoprobe',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return {
    caCert: ca.toString('pem'),
    cert: leaf.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
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

/** The hosts every development certificate covers. */
export const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  return [...new Set([...DEFAULT_HOSTS, ...hosts])].map((value) =>
    isIP(value) === 0 ? { type: 'dns', value } : { type: 'ip', value },
  );
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

/** serial is a random positive 64-bit serial number in hex (RFC 5280 §4.1.2.2). */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
