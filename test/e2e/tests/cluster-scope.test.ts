/**
 * @module e2e/tests/cluster-scope — cluster scope through a real kube-apiserver: every namespace
 * is injected except the system namespaces, namespaces labelled `autoprobe.dev/inject=disabled`
 * and autoprobe's own namespace. The production-shaped registration keeps those Pods away from
 * autoprobe, and autoprobe declines them itself when a wider registration sends them anyway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  createPod,
  patchNamespaceLabels,
  podWith,
  probesOf,
  registerWebhook,
  reviewBarrier,
  statusOf,
  TENANT_LABEL,
  uniqueName,
  waitForWebhook,
} from '../harness/index.js';
import type { RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const TENANT = 'cluster';
const SYSTEM = ['kube-system', 'kube-public'] as const;
const ownNamespace = uniqueName('autoprobe-own');
const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, {
  scope: 'cluster',
  mode: 'enforce',
  podNamespace: ownNamespace,
});
const hooks: RegisteredWebhook[] = [];
const created: { namespace: string; name: string }[] = [];
let plain: string;
let disabled: string;

const postgres = (): ReturnType<typeof podWith> =>
  podWith(uniqueName('db'), { name: 'db', image: 'postgres:16.4' });

async function create(namespace: string): Promise<Awaited<ReturnType<typeof createPod>>> {
  const pod = postgres();
  const res = await createPod(cluster, namespace, pod);
  created.push({ namespace, name: pod.metadata?.name ?? '' });
  return res;
}

beforeAll(async () => {
  // The system namespaces get the tenant label, so that only the registration's exclusion by
  // name (kubernetes.io/metadata.name) keeps them out: the test is not vacuous.
  for (const ns of SYSTEM) await patchNamespaceLabels(cluster, ns, { [TENANT_LABEL]: TENANT });
  const ap = autoprobe.current;
  hooks.push(
    await registerWebhook(cluster, {
      name: 'e2e-cluster',
      url: ap.webhookUrl,
      caPem: ap.caPem,
      scope: 'cluster',
      tenant: TENANT,
      excludeNamespaces: [ownNamespace],
    }),
  );
  plain = await createNamespace(cluster, { prefix: 'cluster-plain', tenant: TENANT });
  disabled = await createNamespace(cluster, {
    prefix: 'cluster-disabled',
    tenant: TENANT,
    labels: { 'autoprobe.dev/inject': 'disabled' },
  });
  await createNamespace(cluster, { prefix: 'own', name: ownNamespace, tenant: TENANT });
  await waitForWebhook(cluster, { namespace: plain });
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
  for (const { namespace, name } of created.filter((c) =>
    (SYSTEM as readonly string[]).includes(c.namespace),
  )) {
    await cluster.core.deleteNamespacedPod({ namespace, name });
  }
  for (const ns of SYSTEM) await patchNamespaceLabels(cluster, ns, { [TENANT_LABEL]: null });
});

describe('cluster scope', () => {
  it('a Pod in a namespace without any autoprobe label is injected', async () => {
    const { pod } = await create(plain);

    expect(probesOf(pod.spec?.containers[0])).toEqual(['liveness', 'readiness', 'startup']);
    expect(statusOf(pod)?.containers.db?.family).toBe('postgres');
  });

  it.each([...SYSTEM])(
    'a Pod in %s is stored untouched and autoprobe is never called',
    async (ns) => {
      const before = autoprobe.current.reviews().length;
      const { pod } = await create(ns);
      await reviewBarrier(cluster, autoprobe.current, plain);

      expect(probesOf(pod.spec?.containers[0])).toEqual([]);
      expect(statusOf(pod)).toBeUndefined();
      expect(
        autoprobe.current
          .reviews()
          .slice(before)
          .filter((r) => r.namespace === ns),
      ).toEqual([]);
    },
  );

  it('a Pod in a namespace labelled autoprobe.dev/inject=disabled is stored untouched', async () => {
    const { pod } = await create(disabled);

    expect(probesOf(pod.spec?.containers[0])).toEqual([]);
    expect(statusOf(pod)).toBeUndefined();
  });

  it('a Pod in autoprobe’s own namespace (POD_NAMESPACE) is stored untouched', async () => {
    const { pod } = await create(ownNamespace);

    expect(probesOf(pod.spec?.containers[0])).toEqual([]);
  });

  it('autoprobe itself declines system, disabled and own namespaces that a wider registration sends it', async () => {
    const ap = autoprobe.current;
    // No exclusions at all: every namespace with the tenant label, system ones included.
    hooks.push(
      await registerWebhook(cluster, {
        name: 'e2e-cluster-wide',
        url: ap.webhookUrl,
        caPem: ap.caPem,
        namespaceSelector: { matchLabels: { [TENANT_LABEL]: TENANT } },
      }),
    );
    await waitForWebhook(cluster, {
      namespace: 'kube-system',
      pod: postgres(),
      effective: () => ap.reviews().some((r) => r.namespace === 'kube-system'),
    });
    // autoprobe must know the disabled namespace's labels (its cache watches namespaces).
    const { items } = await cluster.core.listNamespace();
    await ap.waitForNamespaceCount(items.length);

    for (const ns of [...SYSTEM, disabled, ownNamespace]) {
      const { pod } = await create(ns);
      expect(probesOf(pod.spec?.containers[0]), ns).toEqual([]);
      expect(statusOf(pod), ns).toBeUndefined();
      const review = await ap.waitForReview(
        (r) => r.namespace === ns && r.pod === pod.metadata?.name,
      );
      expect(review, ns).toMatchObject({ outcome: 'skipped-scope', dryRun: false });
    }
  });
});
