/**
 * Fixtures for the self-managed certificate tests: CAs and serving certificates with chosen
 * lifetimes around a fixed clock, Secrets made of them, and an in-memory API that keeps
 * resourceVersions the way the apiserver does (a write based on an old read is a conflict).
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateStore, StoredSecret } from '../../../../src/kube/certs/store.js';
import type { PatchOperation, WebhookConfigState } from '../../../../src/kube/certs/ca-bundle.js';
import type { PlanSettings } from '../../../../src/kube/certs/plan.js';
import type { CertificateSecret } from '../../../../src/kube/certs/secret-data.js';
import { joinPem } from '../../../../src/kube/certs/secret-data.js';
import { createCa, issueServing } from '../../../../src/kube/certs/x509.js';
import type { CertificatePair } from '../../../../src/kube/certs/x509.js';

export const DAY = 86_400_000;
export const NOW = new Date('2027-03-01T12:00:00Z');
export const HOSTS = ['autoprobe.autoprobe.svc', 'autoprobe.autoprobe.svc.cluster.local'];
export const SETTINGS: PlanSettings = {
  hosts: HOSTS,
  validityMs: 365 * DAY,
  caValidityMs: 1825 * DAY,
  rotateBeforeMs: 30 * DAY,
};

/** A CA with `daysLeft` days of validity left at NOW. */
export function caWith(daysLeft: number, name = `test CA ${daysLeft}`): Promise<CertificatePair> {
  return createCa(name, window(daysLeft));
}

/** A serving certificate signed by `ca` with `daysLeft` days left at NOW. */
export function servingWith(
  ca: CertificatePair,
  daysLeft: number,
  hosts: readonly string[] = HOSTS,
): Promise<CertificatePair> {
  return issueServing({ ca, hosts, commonName: 'test serving', ...window(daysLeft) });
}

function window(daysLeft: number): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(NOW.getTime() + daysLeft * DAY);
  return { notBefore: new Date(Math.min(NOW.getTime(), notAfter.getTime()) - 400 * DAY), notAfter };
}

/** secretOf is the Secret content signing with `ca`, serving `leaf`, trusting `trust`. */
export function secretOf(
  ca: CertificatePair,
  leaf: CertificatePair,
  trust: readonly CertificatePair[] = [ca],
): CertificateSecret {
  return {
    caCert: ca.cert,
    caKey: ca.key,
    cert: leaf.cert,
    key: leaf.key,
    bundle: joinPem(trust.map((c) => c.cert)),
  };
}

/** issuer tells which of `cas` signed `certPem`. */
export function signedBy(certPem: string, ca: CertificatePair): boolean {
  const leaf = new X509Certificate(certPem);
  const issuer = new X509Certificate(ca.cert);
  return leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey);
}

/** fingerprints of a PEM bundle, to compare bundles by content. */
export function fingerprints(bundle: string): string[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]).fingerprint256,
  );
}

/** An in-memory apiserver holding the Secret and the webhook configuration. */
export interface FakeApi {
  secret: StoredSecret | null;
  config: WebhookConfigState | null;
  /** Successful writes of each kind. */
  readonly writes: { secret: number; config: number };
  /** A store as one replica sees it (each call is a separate, asynchronous API request). */
  store(): CertificateStore;
}

/** fakeApi starts with an empty chart-made Secret and a webhook configuration of one webhook. */
export function fakeApi(options: { secret?: boolean; config?: boolean } = {}): FakeApi {
  let version = 1;
  const next = (): string => String((version += 1));
  const api: FakeApi = {
    secret: options.secret === false ? null : { resourceVersion: next(), data: {} },
    config: options.config === false ? null : { resourceVersion: next(), caBundles: [undefined] },
    writes: { secret: 0, config: 0 },
    store: () => ({
      readSecret: async () => {
        await tick();
        return api.secret;
      },
      writeSecret: async (data, basis) => {
        await tick();
        const current = api.secret;
        if (
          basis === null ? current !== null : current?.resourceVersion !== basis.resourceVersion
        ) {
          return 'conflict';
        }
        api.secret = { resourceVersion: next(), data: { ...data } };
        api.writes.secret += 1;
        return 'written';
      },
      readWebhookConfig: async () => {
        await tick();
        return api.config;
      },
      patchWebhookConfig: async (ops: readonly PatchOperation[]) => {
        await tick();
        const [precondition, ...changes] = ops;
        if (api.config === null || precondition?.value !== api.config.resourceVersion) {
          return 'conflict';
        }
        const caBundles = [...api.config.caBundles];
        for (const op of changes) {
          const index = Number(/^\/webhooks\/(\d+)\/clientConfig\/caBundle$/.exec(op.path)?.[1]);
          caBundles[index] = op.value;
        }
        api.config = { resourceVersion: next(), caBundles };
        api.writes.config += 1;
        return 'written';
      },
    }),
  };
  return api;
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
