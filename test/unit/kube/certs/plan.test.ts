// The certificate planner and its materialisation: fresh, reuse, serving certificate renewal,
// the two-step CA switch with both CAs trusted, pruning, and the limits a new certificate keeps.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { materialize } from '../../../../src/kube/certs/materialize.js';
import { planCertificates } from '../../../../src/kube/certs/plan.js';
import type { CertificatePlan, PlanInput } from '../../../../src/kube/certs/plan.js';
import type { CertificateSecret } from '../../../../src/kube/certs/secret-data.js';
import type { CertificatePair } from '../../../../src/kube/certs/x509.js';
import {
  DAY,
  HOSTS,
  NOW,
  SETTINGS,
  caWith,
  fingerprints,
  secretOf,
  servingWith,
  signedBy,
} from './helpers.js';

let ca: CertificatePair;
let leaf: CertificatePair;
beforeAll(async () => {
  ca = await caWith(1000);
  leaf = await servingWith(ca, 300);
});

function plan(
  stored: Partial<CertificateSecret>,
  webhookTrust: readonly string[] | null = [stored.bundle ?? ''],
): CertificatePlan {
  const input: PlanInput = { stored, webhookTrust, now: NOW };
  return planCertificates(input, SETTINGS);
}

/** without is the Secret content missing one key. */
function without(
  secret: CertificateSecret,
  key: keyof CertificateSecret,
): Partial<CertificateSecret> {
  return Object.fromEntries(Object.entries(secret).filter(([k]) => k !== key));
}

function summary(p: CertificatePlan): string {
  return `ca ${p.ca.action} (${p.ca.reason}), serving ${p.serving.action} (${p.serving.reason})`;
}

describe('planCertificates', () => {
  it('creates a CA and a serving certificate when the Secret is empty', async () => {
    const p = plan({}, null);
    expect(summary(p)).toBe('ca replace (missing), serving issue (missing)');
    expect(p).toMatchObject({ retained: [], changes: true });

    const made = await materialize(p, {}, SETTINGS, NOW);
    const caCert = new X509Certificate(made.caCert);
    const served = new X509Certificate(made.cert);
    expect(caCert.ca).toBe(true);
    expect(served.ca).toBe(false);
    expect(signedBy(made.cert, { cert: made.caCert, key: made.caKey })).toBe(true);
    expect(served.subjectAltName).toBe(HOSTS.map((h) => `DNS:${h}`).join(', '));
    expect(served.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(caCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(Date.parse(served.validTo)).toBe(NOW.getTime() + 365 * DAY);
    expect(Date.parse(caCert.validTo)).toBe(NOW.getTime() + 1825 * DAY);
    // Backdated an hour for clocks that run behind.
    expect(Date.parse(served.validFrom)).toBe(NOW.getTime() - 3_600_000);
    expect(fingerprints(made.bundle)).toEqual([caCert.fingerprint256]);
  });

  it('reuses a valid Secret without writing it', () => {
    const p = plan(secretOf(ca, leaf));
    expect(summary(p)).toBe('ca keep (valid), serving keep (valid)');
    expect(p.changes).toBe(false);
  });

  it('reissues a serving certificate that expires within rotateBeforeDays, with the same CA', async () => {
    const expiring = await servingWith(ca, 29);
    const stored = secretOf(ca, expiring);
    const p = plan(stored);
    expect(summary(p)).toBe('ca keep (valid), serving issue (expiring)');

    const made = await materialize(p, stored, SETTINGS, NOW);
    expect(made.caCert).toBe(ca.cert);
    expect(made.cert).not.toBe(expiring.cert);
    expect(signedBy(made.cert, ca)).toBe(true);
    expect(fingerprints(made.bundle)).toEqual(fingerprints(ca.cert));
  });

  it.each([
    ['expired', async (): Promise<CertificatePair> => servingWith(ca, -1)],
    [
      'hosts-changed',
      async (): Promise<CertificatePair> => servingWith(ca, 300, ['old.autoprobe.svc']),
    ],
    [
      'invalid',
      async (): Promise<CertificatePair> => ({
        cert: leaf.cert,
        key: (await servingWith(ca, 300)).key,
      }),
    ],
    ['untrusted-issuer', async (): Promise<CertificatePair> => servingWith(await caWith(900), 300)],
  ])('reissues a serving certificate that is %s', async (reason, make) => {
    const p = plan(secretOf(ca, await make()));
    expect(summary(p)).toBe(`ca keep (valid), serving issue (${reason})`);
  });

  it('reissues a serving certificate that is missing or garbled', () => {
    expect(summary(plan({ ...secretOf(ca, leaf), cert: 'garbage' }))).toBe(
      'ca keep (valid), serving issue (invalid)',
    );
    const withoutCert = without(secretOf(ca, leaf), 'cert');
    expect(summary(plan(withoutCert))).toBe('ca keep (valid), serving issue (missing)');
  });

  it('switches to a new CA before the old one expires, trusting both and keeping the serving certificate', async () => {
    const old = await caWith(20);
    const oldLeaf = await servingWith(old, 20);
    const stored = secretOf(old, oldLeaf);
    const p = plan(stored);
    expect(summary(p)).toBe('ca replace (expiring), serving wait (waiting-for-ca-bundle)');
    expect(fingerprints(p.retained.join(''))).toEqual(fingerprints(old.cert));

    const made = await materialize(p, stored, SETTINGS, NOW);
    // The listener keeps the certificate the apiserver already trusts…
    expect(made.cert).toBe(oldLeaf.cert);
    // …while the bundle (and so the caBundle) gains the new CA next to the old one.
    expect(made.caCert).not.toBe(old.cert);
    expect(fingerprints(made.bundle)).toEqual([
      ...fingerprints(old.cert),
      ...fingerprints(made.caCert),
    ]);
  });

  it('reissues with the new CA only once the webhook configuration trusts it', async () => {
    const old = await caWith(20);
    const oldLeaf = await servingWith(old, 20);
    const next = await caWith(1800);
    const stored = secretOf(next, oldLeaf, [old, next]);

    expect(summary(plan(stored, [old.cert]))).toBe(
      'ca keep (valid), serving wait (waiting-for-ca-bundle)',
    );
    expect(plan(stored, [old.cert]).changes).toBe(false);

    const p = plan(stored, [old.cert, next.cert]);
    expect(summary(p)).toBe('ca keep (valid), serving issue (ca-rotated)');
    const made = await materialize(p, stored, SETTINGS, NOW);
    expect(signedBy(made.cert, next)).toBe(true);
    // The old CA stays trusted until it expires: other replicas may still serve its certificate.
    expect(fingerprints(made.bundle)).toEqual([
      ...fingerprints(old.cert),
      ...fingerprints(next.cert),
    ]);
  });

  it('reissues at once after a CA switch when there is no webhook configuration to keep in step', async () => {
    const old = await caWith(20);
    const next = await caWith(1800);
    const stored = secretOf(next, await servingWith(old, 20), [old, next]);
    expect(summary(plan(stored, null))).toBe('ca keep (valid), serving issue (ca-rotated)');
  });

  it('drops a CA from the bundle once it has expired', async () => {
    const expired = await caWith(-1);
    const stored = secretOf(ca, leaf, [expired, ca]);
    const p = plan(stored);
    expect(summary(p)).toBe('ca keep (valid), serving keep (valid)');
    expect(p).toMatchObject({ retained: [], changes: true });
    const made = await materialize(p, stored, SETTINGS, NOW);
    expect(fingerprints(made.bundle)).toEqual(fingerprints(ca.cert));
    expect(made.cert).toBe(leaf.cert);
  });

  it('replaces an expired CA and the certificate it signed, trusting only the new CA', async () => {
    const expired = await caWith(-2);
    const stored = secretOf(expired, await servingWith(expired, -2));
    const p = plan(stored);
    expect(summary(p)).toBe('ca replace (expired), serving issue (expired)');
    expect(p.retained).toEqual([]);
    const made = await materialize(p, stored, SETTINGS, NOW);
    expect(fingerprints(made.bundle)).toEqual(fingerprints(made.caCert));
    expect(signedBy(made.cert, { cert: made.caCert, key: made.caKey })).toBe(true);
  });

  it('replaces a CA whose key is lost, keeping it trusted while its certificate serves', async () => {
    const stored = { ...secretOf(ca, leaf), caKey: (await caWith(1000)).key };
    const p = plan(stored);
    expect(summary(p)).toBe('ca replace (invalid), serving wait (waiting-for-ca-bundle)');
    expect(fingerprints(p.retained.join(''))).toEqual(fingerprints(ca.cert));
  });

  it('writes the bundle when the Secret lacks it', () => {
    const withoutBundle = without(secretOf(ca, leaf), 'bundle');
    const p = plan(withoutBundle, [ca.cert]);
    expect(summary(p)).toBe('ca keep (valid), serving keep (valid)');
    expect(p.changes).toBe(true);
  });

  it('never issues a serving certificate that outlives its CA', async () => {
    const short = await caWith(100);
    const stored = { caCert: short.cert, caKey: short.key, bundle: short.cert };
    const made = await materialize(plan(stored), stored, SETTINGS, NOW);
    expect(new X509Certificate(made.cert).validTo).toBe(new X509Certificate(short.cert).validTo);
  });
});
