/**
 * @module kube/certs/materialize — carry out a certificate plan: make the new CA and serving
 * certificate it calls for and assemble the Secret's next content. New certificates start an
 * hour in the past, so a node whose clock runs a little behind still accepts them (client-go's
 * certificate helpers backdate the same way), and a serving certificate never outlives its CA.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificatePlan, PlanSettings } from './plan.js';
import { joinPem } from './secret-data.js';
import type { CertificateSecret } from './secret-data.js';
import { createCa, issueServing } from './x509.js';
import type { CertificatePair } from './x509.js';

const BACKDATE_MS = 3_600_000;

/** The subject common names of the certificates autoprobe makes. */
export const COMMON_NAMES = { ca: 'autoprobe webhook CA', serving: 'autoprobe webhook' } as const;

/** materialize returns the Secret content after `plan` (the stored content when nothing changes). */
export async function materialize(
  plan: CertificatePlan,
  stored: Partial<CertificateSecret>,
  settings: PlanSettings,
  now: Date,
): Promise<CertificateSecret> {
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const ca: CertificatePair =
    plan.ca.action === 'replace'
      ? await createCa(`${COMMON_NAMES.ca} ${now.toISOString()}`, {
          notBefore,
          notAfter: new Date(now.getTime() + settings.caValidityMs),
        })
      : { cert: stored.caCert ?? '', key: stored.caKey ?? '' };
  const serving: CertificatePair =
    plan.serving.action === 'issue'
      ? await issueServing({
          ca,
          hosts: settings.hosts,
          commonName: COMMON_NAMES.serving,
          notBefore,
          notAfter: new Date(
            Math.min(
              now.getTime() + settings.validityMs,
              Date.parse(new X509Certificate(ca.cert).validTo),
            ),
          ),
        })
      : { cert: stored.cert ?? '', key: stored.key ?? '' };
  return {
    caCert: ca.cert,
    caKey: ca.key,
    cert: serving.cert,
    key: serving.key,
    bundle: joinPem([...plan.retained, ca.cert]),
  };
}
