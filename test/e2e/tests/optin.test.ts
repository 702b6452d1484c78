/**
 * @module e2e/tests/optin — opt-in scope through a real kube-apiserver: every family autoprobe
 * knows gets its probes in a namespace labelled `autoprobe.dev/inject=enabled`, the apiserver
 * accepts and stores the patched Pods (so they pass its validation), and Pods elsewhere are left
 * alone, whether the registration keeps them away or autoprobe itself declines them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containerOf,
  createNamespace,
  createPod,
  familyPods,
  podWith,
  probesOf,
  readPod,
  registerWebhook,
  reviewBarrier,
  statusOf,
  TENANT_LABEL,
  waitForWebhook,
} from '../harness/index.js';
import type { RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const hooks: RegisteredWebhook[] = [];
let labelled: string;
let unlabelled: string;

beforeAll(async () => {
  const ap = autoprobe.current;
  hooks.push(
    await registerWebhook(cluster, {
      name: 'e2e-optin',
      url: ap.webhookUrl,
      caPem: ap.caPem,
      scope: 'optin',
      tenant: 'optin',
    }),
  );
  labelled = await createNamespace(cluster, {
    prefix: 'optin-enabled',
    tenant: 'optin',
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  unlabelled = await createNamespace(cluster, { prefix: 'optin-unlabelled', tenant: 'optin' });
  await waitForWebhook(cluster, { namespace: labelled });
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
});

describe('opt-in scope', () => {
  it.each(familyPods())(
    'a $family Pod in a labelled namespace is stored with its probes and the status annotation',
    async ({ family, pod, container, probes }) => {
      const name = pod.metadata?.name ?? '';
      const created = await createPod(cluster, labelled, pod);
      const stored = await readPod(cluster, labelled, name);

      expect(probesOf(containerOf(stored, container))).toEqual([...probes].sort());
      expect(statusOf(stored)).toEqual({
        containers: { [container]: { family, probes: [...probes].sort() } },
      });
      // The create response is the stored object.
      expect(containerOf(created.pod, container)).toEqual(containerOf(stored, container));
      expect(created.warnings).toEqual([]);
    },
  );

  it('a Pod in an unlabelled namespace is stored untouched and autoprobe is never called', async () => {
    const before = autoprobe.current.reviews().length;
    const [postgres] = familyPods();
    const created = await createPod(cluster, unlabelled, postgres!.pod);
    await reviewBarrier(cluster, autoprobe.current, labelled);

    expect(probesOf(created.pod.spec?.containers[0])).toEqual([]);
    expect(statusOf(created.pod)).toBeUndefined();
    expect(
      autoprobe.current
        .reviews()
        .slice(before)
        .filter((r) => r.namespace === unlabelled),
    ).toEqual([]);
  });

  it('autoprobe itself declines an unlabelled namespace that a wider registration sends it', async () => {
    const ap = autoprobe.current;
    hooks.push(
      await registerWebhook(cluster, {
        name: 'e2e-optin-wide',
        url: ap.webhookUrl,
        caPem: ap.caPem,
        namespaceSelector: { matchLabels: { [TENANT_LABEL]: 'optin-wide' } },
      }),
    );
    const ns = await createNamespace(cluster, { prefix: 'optin-wide', tenant: 'optin-wide' });
    // The registration is effective once autoprobe logs a review for the namespace.
    await waitForWebhook(cluster, {
      namespace: ns,
      effective: () => ap.reviews().some((r) => r.namespace === ns),
    });
    const created = await createPod(
      cluster,
      ns,
      podWith('db', { name: 'db', image: 'postgres:16.4' }),
    );

    expect(probesOf(created.pod.spec?.containers[0])).toEqual([]);
    expect(statusOf(created.pod)).toBeUndefined();
    const review = await ap.waitForReview((r) => r.namespace === ns && r.pod === 'db');
    expect(review).toMatchObject({ outcome: 'skipped-scope', dryRun: false });
  });
});
