/**
 * @module e2e/tests/tls — the trust between the apiserver and autoprobe: autoprobe serving a
 * certificate from files (`--tls-cert`/`--tls-key`, as a Secret would mount it), issued by an
 * operator's CA for 127.0.0.1, is called once that CA is the registration's caBundle; with a
 * caBundle of another CA the apiserver refuses the connection, and `failurePolicy: Ignore` admits
 * the Pod unpatched.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCa,
  createNamespace,
  createPod,
  podWith,
  probesOf,
  registerWebhook,
  statusOf,
  waitForWebhook,
} from '../harness/index.js';
import type { CertificateAuthority, RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const cluster = useCluster();
let operatorCa: CertificateAuthority;
let otherCa: CertificateAuthority;
const tls: { certPem: string; keyPem: string; caPem: string } = {
  certPem: '',
  keyPem: '',
  caPem: '',
};
const hooks: RegisteredWebhook[] = [];

beforeAll(async () => {
  operatorCa = await createCa('operator CA');
  otherCa = await createCa('some other CA');
  const serving = await operatorCa.issue({
    commonName: 'autoprobe',
    hosts: ['127.0.0.1'],
    usage: 'server',
  });
  Object.assign(tls, { ...serving, caPem: operatorCa.certPem });
});
// Started after the certificate exists (hooks run in order).
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce', tls });

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
});

const labels = { 'autoprobe.dev/inject': 'enabled' };

describe('TLS between the apiserver and autoprobe', () => {
  it('a certificate from files, trusted through the caBundle, serves the webhook', async () => {
    const ap = autoprobe.current;
    expect(ap.caPem).toBe(operatorCa.certPem);
    hooks.push(
      await registerWebhook(cluster, {
        name: 'e2e-tls',
        url: ap.webhookUrl,
        caPem: operatorCa.certPem,
        tenant: 'tls',
      }),
    );
    const ns = await createNamespace(cluster, { prefix: 'tls', tenant: 'tls', labels });
    await waitForWebhook(cluster, { namespace: ns });

    const { pod } = await createPod(
      cluster,
      ns,
      podWith('db', { name: 'db', image: 'postgres:16.4' }),
    );
    expect(statusOf(pod)?.containers.db?.family).toBe('postgres');
  });

  it('with the caBundle of another CA the call fails and Ignore admits the Pod unpatched', async () => {
    const ap = autoprobe.current;
    hooks.push(
      await registerWebhook(cluster, {
        name: 'e2e-tls-wrong-ca',
        url: ap.webhookUrl,
        caPem: otherCa.certPem,
        tenant: 'tls-wrong',
      }),
    );
    const ns = await createNamespace(cluster, { prefix: 'tls-wrong', tenant: 'tls-wrong', labels });
    const before = ap.reviews().length;
    const refused = (): boolean =>
      readFileSync(cluster.logs.apiserver, 'utf8')
        .split('\n')
        .some((l) => l.includes('e2e-tls-wrong-ca') && l.includes('x509'));

    // Create until the apiserver logs the refused call (the registration takes effect with a delay).
    const deadline = Date.now() + 30_000;
    let last: Awaited<ReturnType<typeof createPod>> | undefined;
    for (let i = 0; !refused() && Date.now() < deadline; i++) {
      last = await createPod(
        cluster,
        ns,
        podWith(`db-${i}`, { name: 'db', image: 'postgres:16.4' }),
      );
      await sleep(100);
    }
    expect(refused(), 'the apiserver logged an x509 failure calling the webhook').toBe(true);
    expect(probesOf(last?.pod.spec?.containers[0])).toEqual([]);
    expect(statusOf(last!.pod)).toBeUndefined();
    expect(
      ap
        .reviews()
        .slice(before)
        .filter((r) => r.namespace === ns),
    ).toEqual([]);
  });
});
