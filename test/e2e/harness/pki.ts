/**
 * @module e2e/harness/pki — certificates for a throwaway cluster, made in-process with WebCrypto
 * and @peculiar/x509 (no openssl): a CA, serving certificates (SANs are mandatory: Go ignores the
 * CN), client certificates (O=system:masters bypasses RBAC, as envtest's admin user) and the
 * service-account key. ECDSA P-256 keys, which are quick to make.
 */
import 'reflect-metadata';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its private key, PEM (the key is PKCS#8). */
export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A certificate authority that can issue more certificates. */
export interface CertificateAuthority extends KeyPair {
  /** issue signs a serving or client certificate. */
  issue(request: CertificateRequest): Promise<KeyPair>;
}

/** What a certificate is for. */
export interface CertificateRequest {
  readonly commonName: string;
  /** Subject O= values (client certificates: groups, e.g. system:masters). */
  readonly organizations?: readonly string[];
  /** DNS names and IP addresses (serving certificates). */
  readonly hosts?: readonly string[];
  readonly usage: 'server' | 'client';
  readonly validDays?: number;
}

/** Everything a cluster needs. */
export interface ClusterPki {
  readonly ca: CertificateAuthority;
  /** Serving certificate of kube-apiserver: 127.0.0.1 and localhost. */
  readonly apiserver: KeyPair;
  /** Client certificate CN=e2e-admin, O=system:masters. */
  readonly admin: KeyPair;
  /** Service-account signing key, SEC1 PEM (both --service-account-* flags take it). */
  readonly serviceAccountKeyPem: string;
}

function keys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + days * DAY_MS) };
}

/** createCa makes a self-signed CA. */
export async function createCa(commonName = 'autoprobe e2e CA'): Promise<CertificateAuthority> {
  x509.cryptoProvider.set(webcrypto);
  const caKeys = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    ...validity(30),
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
  const issue = async (request: CertificateRequest): Promise<KeyPair> => {
    const leafKeys = await keys();
    const subject = [
      `CN=${request.commonName}`,
      ...(request.organizations ?? []).map((o) => `O=${o}`),
    ].join(', ');
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        request.usage === 'server'
          ? x509.ExtendedKeyUsage.serverAuth
          : x509.ExtendedKeyUsage.clientAuth,
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ];
    const hosts = request.hosts ?? [];
    if (hosts.length > 0) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          hosts.map((value) =>
            isIP(value) === 0 ? { type: 'dns', value } : { type: 'ip', value },
          ),
        ),
      );
    }
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: cert.subject,
      ...validity(request.validDays ?? 30),
      publicKey: leafKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions,
    });
    return { certPem: leaf.toString('pem'), keyPem: await pkcs8Pem(leafKeys.privateKey) };
  };
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(caKeys.privateKey), issue };
}

/** createClusterPki makes the CA and every certificate of one cluster. */
export async function createClusterPki(): Promise<ClusterPki> {
  const ca = await createCa();
  const [apiserver, admin] = await Promise.all([
    ca.issue({ commonName: 'kube-apiserver', hosts: ['127.0.0.1', 'localhost'], usage: 'server' }),
    ca.issue({ commonName: 'e2e-admin', organizations: ['system:masters'], usage: 'client' }),
  ]);
  // SEC1 ("EC PRIVATE KEY"): --service-account-key-file parses EC private keys only in that form.
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
  });
  return { ca, apiserver, admin, serviceAccountKeyPem: privateKey };
}
