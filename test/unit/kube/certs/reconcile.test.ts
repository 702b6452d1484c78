// One reconcile pass against an in-memory apiserver: first start, restart, replicas racing, a
// stale caBundle patch refused, the full CA switch across passes, and the caBundle patch itself.
import { describe, expect, it } from 'vitest';
import { caBundlePatch, webhookTrust } from '../../../../src/kube/certs/ca-bundle.js';
import { startCertificateManager } from '../../../../src/kube/certs/manager.js';
import { MAX_ATTEMPTS, reconcileCertificates } from '../../../../src/kube/certs/reconcile.js';
import type { ReconcileResult } from '../../../../src/kube/certs/reconcile.js';
import { decodeSecretData, encodeSecretData } from '../../../../src/kube/certs/secret-data.js';
import type { CertificateSecret } from '../../../../src/kube/certs/secret-data.js';
import type { CertificateStore } from '../../../../src/kube/certs/store.js';
import {
  DAY,
  NOW,
  SETTINGS,
  caWith,
  fakeApi,
  fingerprints,
  secretOf,
  servingWith,
  signedBy,
} from './helpers.js';
import type { FakeApi } from './helpers.js';
import { pino } from 'pino';

const at = (time: Date) => (): Date => time;
const daysAfter = (days: number): Date => new Date(NOW.getTime() + days * DAY);
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function stored(api: FakeApi): Partial<CertificateSecret> {
  return decodeSecretData(api.secret?.data);
}

function caBundleOf(api: FakeApi, webhook = 0): string {
  return Buffer.from(api.config?.caBundles[webhook] ?? '', 'base64').toString();
}

describe('reconcileCertificates', () => {
  it('fills the chart-made empty Secret and writes the caBundle on first start', async () => {
    const api = fakeApi();
    const result = await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    expect(result).toMatchObject({ secretWritten: true, caBundlePatched: true, conflicts: 0 });
    const secret = stored(api);
    expect(secret).toEqual(result.secret);
    expect(caBundleOf(api)).toBe(secret.bundle);
    expect(fingerprints(caBundleOf(api))).toEqual(fingerprints(secret.caCert ?? ''));
  });

  it('creates the Secret when it does not exist', async () => {
    const api = fakeApi({ secret: false });
    await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    expect(api.writes.secret).toBe(1);
    expect(Object.keys(api.secret?.data ?? {}).sort()).toEqual([
      'ca-bundle.crt',
      'ca.crt',
      'ca.key',
      'tls.crt',
      'tls.key',
    ]);
  });

  it('writes nothing when the Secret and the caBundle are current (a restart)', async () => {
    const api = fakeApi();
    const first = await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    const writes = { ...api.writes };
    const second = await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    expect(second).toMatchObject({ secretWritten: false, caBundlePatched: false });
    expect(second.secret).toEqual(first.secret);
    expect(api.writes).toEqual(writes);
  });

  it('lets three replicas starting together agree on one CA: one write wins, the others adopt it', async () => {
    const api = fakeApi();
    const results = await Promise.all(
      [1, 2, 3].map(() => reconcileCertificates(api.store(), SETTINGS, at(NOW))),
    );
    expect(api.writes.secret).toBe(1);
    const secret = stored(api);
    for (const result of results) expect(result.secret).toEqual(secret);
    expect(results.map((r) => r.conflicts).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(2);
    expect(caBundleOf(api)).toBe(secret.bundle);
  });

  it('refuses its own Secret write after another replica wrote first, and serves the winner instead', async () => {
    const api = fakeApi();
    const plain = api.store();
    let raced = false;
    const racing: CertificateStore = {
      ...plain,
      writeSecret: async (data, basis) => {
        if (!raced) {
          raced = true;
          await reconcileCertificates(api.store(), SETTINGS, at(NOW));
        }
        return plain.writeSecret(data, basis);
      },
    };
    const result = await reconcileCertificates(racing, SETTINGS, at(NOW));
    expect(result.conflicts).toBe(1);
    expect(result.secretWritten).toBe(false);
    expect(result.secret).toEqual(stored(api));
    expect(api.writes.secret).toBe(1);
  });

  it('refuses a caBundle patch made from an old read, so an old bundle never comes back', async () => {
    const api = fakeApi();
    await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    const staleConfig = api.config;
    // Another replica switches CAs meanwhile (the CA is now within rotateBeforeDays).
    await reconcileCertificates(api.store(), SETTINGS, at(daysAfter(1800)));
    expect(fingerprints(caBundleOf(api))).toHaveLength(2);
    if (staleConfig === null) throw new Error('no config');
    const stale = caBundlePatch(staleConfig, 'an old bundle');
    expect(await api.store().patchWebhookConfig(stale)).toBe('conflict');
    expect(fingerprints(caBundleOf(api))).toHaveLength(2);
  });

  it('gives up after repeated conflicts, for the next attempt to retry', async () => {
    const api = fakeApi();
    const store: CertificateStore = {
      ...api.store(),
      writeSecret: () => Promise.resolve('conflict'),
    };
    await expect(reconcileCertificates(store, SETTINGS, at(NOW))).rejects.toMatchObject({
      code: 'AP_ERR_CERTIFICATES',
    });
    expect(MAX_ATTEMPTS).toBe(5);
  });

  it('rotates the CA over two passes, with both CAs in the caBundle before the new one serves', async () => {
    const api = fakeApi();
    const first = await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    const oldCa = { cert: first.secret.caCert, key: first.secret.caKey };

    // Serving certificates are renewed 30 days before they expire, for as long as the CA lasts.
    for (const day of [340, 680, 1020, 1360, 1700]) {
      const renewal = await reconcileCertificates(api.store(), SETTINGS, at(daysAfter(day)));
      expect(renewal.plan.serving, `day ${day}`).toEqual({ action: 'issue', reason: 'expiring' });
      expect(renewal.plan.ca.action).toBe('keep');
    }
    const lastLeaf = stored(api).cert;

    // On day 1800 the CA has 25 days left: the switch starts.
    const switching = daysAfter(1800);
    const second = await reconcileCertificates(api.store(), SETTINGS, at(switching));
    expect(second.plan.ca).toEqual({ action: 'replace', reason: 'expiring' });
    expect(second.plan.serving.action).toBe('wait');
    expect(second.secret.cert).toBe(lastLeaf);
    expect(fingerprints(caBundleOf(api))).toEqual([
      ...fingerprints(oldCa.cert),
      ...fingerprints(second.secret.caCert),
    ]);

    // The next pass sees the new CA in the caBundle and reissues the serving certificate with it.
    const third = await reconcileCertificates(api.store(), SETTINGS, at(switching));
    expect(third.plan.serving).toEqual({ action: 'issue', reason: 'ca-rotated' });
    expect(
      signedBy(third.secret.cert, { cert: third.secret.caCert, key: third.secret.caKey }),
    ).toBe(true);
    expect(fingerprints(caBundleOf(api))).toHaveLength(2);

    // Once the old CA has expired it leaves the bundle and the caBundle.
    const after = new Date(switching.getTime() + 26 * DAY);
    await reconcileCertificates(api.store(), SETTINGS, at(after));
    expect(fingerprints(caBundleOf(api))).toEqual(fingerprints(third.secret.caCert));
  });

  it('keeps the certificates without a webhook configuration, and says so', async () => {
    const api = fakeApi({ config: false });
    const result = await reconcileCertificates(api.store(), SETTINGS, at(NOW));
    expect(result.caBundlePatched).toBeNull();
    expect(api.writes.secret).toBe(1);
  });
});

describe('caBundlePatch', () => {
  it('sets every webhook that lacks the bundle, after the resourceVersion precondition', async () => {
    const ca = await caWith(500);
    const config = { resourceVersion: '42', caBundles: [b64(ca.cert), undefined, b64('other')] };
    expect(caBundlePatch(config, ca.cert)).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: '42' },
      { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: b64(`${ca.cert}\n`) },
      { op: 'add', path: '/webhooks/2/clientConfig/caBundle', value: b64(`${ca.cert}\n`) },
    ]);
  });

  it('is empty when every webhook has the bundle, whatever its line endings', async () => {
    const ca = await caWith(500);
    const crlf = ca.cert.replace(/\n/g, '\r\n');
    expect(caBundlePatch({ resourceVersion: '1', caBundles: [b64(crlf)] }, ca.cert)).toEqual([]);
  });
});

describe('webhookTrust', () => {
  it('is the CAs every webhook trusts, or null without a configuration', async () => {
    const [a, b] = await Promise.all([caWith(500, 'a'), caWith(500, 'b')]);
    const trust = webhookTrust({
      resourceVersion: '1',
      caBundles: [b64(a.cert + b.cert), b64(b.cert)],
    });
    expect(fingerprints((trust ?? []).join(''))).toEqual(fingerprints(b.cert));
    expect(webhookTrust(null)).toBeNull();
    expect(webhookTrust({ resourceVersion: '1', caBundles: [undefined] })).toEqual([]);
  });
});

describe('startCertificateManager', () => {
  const logger = pino({ level: 'silent' });

  it('retries the first pass until the API answers, then installs the material', async () => {
    const api = fakeApi();
    const plain = api.store();
    let failures = 2;
    const flaky: CertificateStore = {
      ...plain,
      readWebhookConfig: () =>
        failures-- > 0
          ? Promise.reject(new Error('connection refused'))
          : plain.readWebhookConfig(),
    };
    const installed: CertificateSecret[] = [];
    const manager = await startCertificateManager({
      store: flaky,
      settings: SETTINGS,
      resyncMs: 60_000,
      logger,
      now: at(NOW),
      backoff: { initialMs: 1, maxMs: 2 },
      install: (secret) => {
        installed.push(secret);
        return Promise.resolve();
      },
    });
    manager.close();
    expect(installed).toEqual([stored(api)]);
  });

  it('installs a certificate another replica rotated at the next resync', async () => {
    const api = fakeApi();
    const installed: CertificateSecret[] = [];
    const manager = await startCertificateManager({
      store: api.store(),
      settings: SETTINGS,
      resyncMs: 20,
      logger,
      now: at(NOW),
      install: (secret) => {
        installed.push(secret);
        return Promise.resolve();
      },
    });
    // Another replica replaces the serving certificate (same CA).
    const current = stored(api) as CertificateSecret;
    const rotated = secretOf(
      { cert: current.caCert, key: current.caKey },
      await servingWith({ cert: current.caCert, key: current.caKey }, 200),
    );
    api.secret = { resourceVersion: 'other', data: encodeSecretData(rotated) };
    await expect
      .poll(() => installed.at(-1)?.cert, { timeout: 10_000, interval: 10 })
      .toBe(rotated.cert);
    manager.close();
    const result: ReconcileResult = await manager.resync();
    expect(result.secretWritten).toBe(false);
  });
});
