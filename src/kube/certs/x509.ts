/**
 * @module kube/certs/x509 — issue ECDSA P-256 certificates: a self-signed CA, and serving
 * certificates signed by a CA given as PEM. Used by the self-managed certificates and by the
 * development certificate of `autoprobe serve`. P-256 because its handshakes are the cheapest
 * (webhook-practices §1.3); @peculiar/x509 because Node can verify certificates but not issue them.
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM (the key PKCS#8). */
export interface CertificatePair {
  readonly cert: string;
  readonly key: string;
}

/** The validity window and name of a new certificate. */
export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** createCa makes a self-signed CA that may sign end-entity certificates only (path length 0). */
export async function createCa(commonName: string, validity: Validity): Promise<CertificatePair> {
  x509.cryptoProvider.set(webcrypto);
  const keys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    ...validity,
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: ca.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** What issueServing needs. */
export interface ServingRequest extends Validity {
  /** The signing CA. */
  readonly ca: CertificatePair;
  /** DNS names or IP addresses (the subject alternative names). */
  readonly hosts: readonly string[];
  readonly commonName: string;
}

/** issueServing makes a TLS server certificate for `hosts`, signed by `ca`. */
export async function issueServing(request: ServingRequest): Promise<CertificatePair> {
  x509.cryptoProvider.set(webcrypto);
  const ca = new x509.X509Certificate(request.ca.cert);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(request.ca.key).export({ format: 'der', type: 'pkcs8' }),
    ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await generateKeys();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${request.commonName}`,
    issuer: ca.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(subjectAltNames(request.hosts)),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  return { cert: leaf.toString('pem'), key: await exportKey(keys.privateKey) };
}

function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  return [...new Set(hosts)].map((value) =>
    isIP(value) === 0 ? { type: 'dns', value } : { type: 'ip', value },
  );
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** serial is a random positive 64-bit serial number in hex (RFC 5280 §4.1.2.2). */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
