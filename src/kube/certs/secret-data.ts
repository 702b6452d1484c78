/**
 * @module kube/certs/secret-data — what the certificate Secret holds, and its conversion from and
 * to a Secret's base64 `data`. Key names follow cert-manager's (`tls.crt`, `tls.key`, `ca.crt`),
 * so tools that read those keys work; `ca.key` and `ca-bundle.crt` are autoprobe's own.
 */

/** The Secret's keys. */
export const SECRET_KEYS = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  cert: 'tls.crt',
  key: 'tls.key',
  bundle: 'ca-bundle.crt',
} as const;

/** The certificate material, all PEM. */
export interface CertificateSecret {
  /** The CA that signs new serving certificates. */
  readonly caCert: string;
  readonly caKey: string;
  /** The serving certificate and its key. */
  readonly cert: string;
  readonly key: string;
  /** Every CA the webhook configuration must trust: the signing CA and, during a switch, the previous one. */
  readonly bundle: string;
}

/** decodeSecretData reads the material from a Secret's `data`; absent keys stay absent. */
export function decodeSecretData(
  data: Readonly<Record<string, string>> | undefined,
): Partial<CertificateSecret> {
  const out: Partial<Record<keyof CertificateSecret, string>> = {};
  for (const [field, key] of Object.entries(SECRET_KEYS) as [keyof CertificateSecret, string][]) {
    const value = data?.[key];
    if (value !== undefined && value !== '') out[field] = Buffer.from(value, 'base64').toString();
  }
  return out;
}

/** encodeSecretData is the Secret `data` holding `secret`. */
export function encodeSecretData(secret: CertificateSecret): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [field, key] of Object.entries(SECRET_KEYS) as [keyof CertificateSecret, string][]) {
    data[key] = Buffer.from(secret[field]).toString('base64');
  }
  return data;
}

/** isComplete says whether every key is present. */
export function isComplete(secret: Partial<CertificateSecret>): secret is CertificateSecret {
  return Object.keys(SECRET_KEYS).every((field) => field in secret);
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** splitPem returns the certificates of a PEM bundle, each normalised to end with a newline. */
export function splitPem(bundle: string): string[] {
  return [...bundle.matchAll(PEM_BLOCK)].map((m) => `${m[0].replace(/\r\n/g, '\n')}\n`);
}

/** joinPem is the bundle of `certificates`, without duplicates, in order. */
export function joinPem(certificates: readonly string[]): string {
  return [...new Set(certificates.flatMap(splitPem))].join('');
}
