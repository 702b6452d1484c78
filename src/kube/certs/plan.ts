/**
 * @module kube/certs/plan — decide what the certificate Secret needs from what it holds, what the
 * webhook configuration trusts, and the clock. Pure: no I/O and no key generation
 * (materialize.ts carries a plan out), so every case is a unit test.
 *
 * Rotation keeps the old and the new CA trusted during the switch (webhook-practices §2.2 "TLS":
 * a CA rotated before the caBundle was updated gives x509 rejections). A CA close to expiry is
 * replaced as the signing CA but stays in the bundle until it expires. The serving certificate it
 * signed keeps serving until the webhook configuration is seen to trust the new CA; only then is
 * it reissued by the new CA. So no replica serves a certificate the apiserver cannot verify.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { joinPem, splitPem } from './secret-data.js';
import type { CertificateSecret } from './secret-data.js';

/** The settings that shape a plan. */
export interface PlanSettings {
  /** Names the serving certificate must cover (DNS names or IP addresses). */
  readonly hosts: readonly string[];
  readonly validityMs: number;
  readonly caValidityMs: number;
  /** A certificate with less than this left is replaced. */
  readonly rotateBeforeMs: number;
}

/** What the plan is made from. */
export interface PlanInput {
  /** The Secret's material; `{}` when there is no Secret or it is empty. */
  readonly stored: Partial<CertificateSecret>;
  /** The CAs every webhook of the configuration trusts; null when the configuration is absent. */
  readonly webhookTrust: readonly string[] | null;
  readonly now: Date;
}

/** Why the signing CA is kept or replaced. */
export type CaReason = 'missing' | 'invalid' | 'expired' | 'expiring' | 'valid';

/** Why the serving certificate is kept, issued, or kept while waiting. */
export type ServingReason =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'expiring'
  | 'hosts-changed'
  | 'untrusted-issuer'
  | 'ca-rotated'
  | 'waiting-for-ca-bundle'
  | 'valid';

/** What to do. */
export interface CertificatePlan {
  readonly ca: { readonly action: 'keep' | 'replace'; readonly reason: CaReason };
  readonly serving: { readonly action: 'keep' | 'issue' | 'wait'; readonly reason: ServingReason };
  /** CAs to keep trusting besides the signing CA, in bundle order (expired ones dropped). */
  readonly retained: readonly string[];
  /** Whether the Secret must be written. */
  readonly changes: boolean;
}

/** planCertificates decides what the Secret needs. */
export function planCertificates(input: PlanInput, settings: PlanSettings): CertificatePlan {
  const { stored, now } = input;
  const ca = caStatus(stored, now, settings);
  const signing = ca.action === 'keep' ? ca.cert : undefined;
  const trusted = trustedCas(stored, now);
  const retained = trusted
    .filter((t) => t.cert.fingerprint256 !== signing?.fingerprint256)
    .map((t) => t.pem);
  const serving = servingStatus(input, settings, {
    signing,
    trusted: trusted.map((t) => t.cert),
  });
  const changes =
    ca.action === 'replace' ||
    serving.action === 'issue' ||
    joinPem([...retained, stored.caCert ?? '']) !== joinPem([stored.bundle ?? '']);
  return { ca: { action: ca.action, reason: ca.reason }, serving, retained, changes };
}

interface CaStatus {
  readonly action: 'keep' | 'replace';
  readonly reason: CaReason;
  readonly cert?: X509Certificate;
}

function caStatus(stored: Partial<CertificateSecret>, now: Date, settings: PlanSettings): CaStatus {
  if (stored.caCert === undefined || stored.caKey === undefined) {
    return { action: 'replace', reason: 'missing' };
  }
  const cert = parsePair(stored.caCert, stored.caKey);
  if (cert?.ca !== true) return { action: 'replace', reason: 'invalid' };
  const left = remainingMs(cert, now);
  if (left <= 0) return { action: 'replace', reason: 'expired', cert };
  if (left <= settings.rotateBeforeMs) return { action: 'replace', reason: 'expiring', cert };
  return { action: 'keep', reason: 'valid', cert };
}

/** trustedCas are the unexpired CAs of the bundle and the signing CA, without duplicates. */
function trustedCas(
  stored: Partial<CertificateSecret>,
  now: Date,
): { pem: string; cert: X509Certificate }[] {
  const seen = new Set<string>();
  return splitPem(`${stored.bundle ?? ''}\n${stored.caCert ?? ''}`).flatMap((pem) => {
    const cert = parse(pem);
    if (cert?.ca !== true || remainingMs(cert, now) <= 0 || seen.has(cert.fingerprint256)) {
      return [];
    }
    seen.add(cert.fingerprint256);
    return [{ pem, cert }];
  });
}

interface SigningContext {
  /** The signing CA when it is kept (undefined when this plan makes a new one). */
  readonly signing: X509Certificate | undefined;
  /** Every unexpired CA the Secret trusts (including the signing CA). */
  readonly trusted: readonly X509Certificate[];
}

function servingStatus(
  input: PlanInput,
  settings: PlanSettings,
  context: SigningContext,
): CertificatePlan['serving'] {
  const unusable = unusableReason(input, settings, context.trusted);
  if (unusable !== undefined) return { action: 'issue', reason: unusable };
  const leaf = new X509Certificate(input.stored.cert ?? '');
  const { signing } = context;
  if (signing !== undefined && issuedBy(leaf, signing)) {
    return remainingMs(leaf, input.now) <= settings.rotateBeforeMs
      ? { action: 'issue', reason: 'expiring' }
      : { action: 'keep', reason: 'valid' };
  }
  // Signed by a CA that is still trusted but no longer signs: reissue once the apiserver trusts
  // the signing CA, or at once when there is no webhook configuration to keep in step.
  const { webhookTrust } = input;
  if (webhookTrust === null) return { action: 'issue', reason: 'ca-rotated' };
  const trustedByWebhook =
    signing !== undefined &&
    webhookTrust.some((pem) => parse(pem)?.fingerprint256 === signing.fingerprint256);
  return trustedByWebhook
    ? { action: 'issue', reason: 'ca-rotated' }
    : { action: 'wait', reason: 'waiting-for-ca-bundle' };
}

/** unusableReason says why the stored serving certificate cannot stay, if it cannot. */
function unusableReason(
  input: PlanInput,
  settings: PlanSettings,
  trusted: readonly X509Certificate[],
): ServingReason | undefined {
  const { cert, key } = input.stored;
  if (cert === undefined || key === undefined) return 'missing';
  const leaf = parsePair(cert, key);
  if (leaf === undefined || leaf.ca) return 'invalid';
  if (remainingMs(leaf, input.now) <= 0) return 'expired';
  if (!settings.hosts.every((host) => covers(leaf, host))) return 'hosts-changed';
  if (!trusted.some((ca) => issuedBy(leaf, ca))) return 'untrusted-issuer';
  return undefined;
}

function covers(leaf: X509Certificate, host: string): boolean {
  return isIP(host) === 0 ? leaf.checkHost(host) !== undefined : leaf.checkIP(host) !== undefined;
}

function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

function remainingMs(cert: X509Certificate, now: Date): number {
  return new Date(cert.validTo).getTime() - now.getTime();
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    // Unparseable material is treated as absent; the plan replaces it.
    return undefined;
  }
}

/** parsePair parses a certificate whose key matches it, or returns undefined. */
function parsePair(certPem: string, keyPem: string): X509Certificate | undefined {
  const cert = parse(certPem);
  try {
    return cert?.checkPrivateKey(createPrivateKey(keyPem)) === true ? cert : undefined;
  } catch {
    return undefined;
  }
}
