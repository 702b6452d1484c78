/**
 * @module kube/certs/reconcile — one pass of the self-managed certificates: read the webhook
 * configuration, then the Secret; plan; write the Secret if the plan changes it; make the
 * caBundle equal to the Secret's bundle. Every write is conditional on what was read, and a
 * conflict restarts the pass from fresh reads, so replicas that race (three start at once) agree
 * on one CA: the first write wins and the others adopt it.
 *
 * The configuration is read before the Secret on purpose: a replica that saw an old Secret then
 * also saw the configuration as it was before the Secret changed, so its caBundle patch carries a
 * stale resourceVersion and is refused, instead of putting an old bundle back.
 */
import { AutoprobeError } from '../../core/index.js';
import { caBundlePatch, webhookTrust } from './ca-bundle.js';
import type { WebhookConfigState } from './ca-bundle.js';
import { materialize } from './materialize.js';
import { planCertificates } from './plan.js';
import type { CertificatePlan, PlanSettings } from './plan.js';
import { decodeSecretData, encodeSecretData, isComplete } from './secret-data.js';
import type { CertificateSecret } from './secret-data.js';
import type { CertificateStore } from './store.js';

/** Passes restarted by conflicts before giving up until the next attempt. */
export const MAX_ATTEMPTS = 5;

/** What a pass did. */
export interface ReconcileResult {
  /** The material now in the Secret. */
  readonly secret: CertificateSecret;
  readonly plan: CertificatePlan;
  readonly secretWritten: boolean;
  /** Whether the caBundle was patched; null when there is no webhook configuration. */
  readonly caBundlePatched: boolean | null;
  /** Conflicts met (other replicas writing at the same time). */
  readonly conflicts: number;
}

/** reconcileCertificates runs one pass; it throws when the API fails or conflicts persist. */
export async function reconcileCertificates(
  store: CertificateStore,
  settings: PlanSettings,
  now: () => Date,
): Promise<ReconcileResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const result = await attemptPass(store, settings, now());
    if (result !== 'conflict') return { ...result, conflicts: attempt };
  }
  throw new AutoprobeError(
    'AP_ERR_CERTIFICATES',
    `the certificate Secret or webhook configuration kept changing during ${MAX_ATTEMPTS} attempts`,
  );
}

async function attemptPass(
  store: CertificateStore,
  settings: PlanSettings,
  now: Date,
): Promise<Omit<ReconcileResult, 'conflicts'> | 'conflict'> {
  const config = await store.readWebhookConfig();
  const basis = await store.readSecret();
  const stored = decodeSecretData(basis?.data);
  const plan = planCertificates({ stored, webhookTrust: webhookTrust(config), now }, settings);
  // An incomplete Secret always has changes planned; isComplete also narrows its type.
  if (!plan.changes && isComplete(stored))
    return syncCaBundle(store, { config, secret: stored, plan, secretWritten: false });
  const secret = await materialize(plan, stored, settings, now);
  if ((await store.writeSecret(encodeSecretData(secret), basis)) === 'conflict') return 'conflict';
  return syncCaBundle(store, { config, secret, plan, secretWritten: true });
}

/** syncCaBundle makes the caBundle equal to the bundle of the Secret as written. */
async function syncCaBundle(
  store: CertificateStore,
  pass: {
    readonly config: WebhookConfigState | null;
    readonly secret: CertificateSecret;
    readonly plan: CertificatePlan;
    readonly secretWritten: boolean;
  },
): Promise<Omit<ReconcileResult, 'conflicts'> | 'conflict'> {
  const { config, secret, plan, secretWritten } = pass;
  if (config === null) return { secret, plan, secretWritten, caBundlePatched: null };
  const ops = caBundlePatch(config, secret.bundle);
  if (ops.length > 0 && (await store.patchWebhookConfig(ops)) === 'conflict') return 'conflict';
  return { secret, plan, secretWritten, caBundlePatched: ops.length > 0 };
}
