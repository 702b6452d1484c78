/**
 * @module e2e/tests/dry-run — server-side dry run (`dryRun=All`, what `kubectl apply
 * --dry-run=server` sends) through a real kube-apiserver: the answer is the Pod as it would be
 * stored, with autoprobe's probes, and nothing is stored. autoprobe declares `sideEffects: None`,
 * so the apiserver calls it for dry-run requests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPod, familyPods, probesOf, statusOf } from '../harness/index.js';
import { useAutoprobe, useCluster, useOptedInNamespace } from '../harness/vitest-context.js';

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const opted = useOptedInNamespace(cluster, autoprobe, 'dryrun');
let ns: string;

beforeAll(() => {
  ns = opted.current;
});

describe('server-side dry run', () => {
  it('returns the Pod with the probes and the status annotation and stores nothing', async () => {
    const [postgres] = familyPods();
    const { pod } = await createPod(cluster, ns, postgres!.pod, { dryRun: true });

    expect(probesOf(pod.spec?.containers[0])).toEqual(['liveness', 'readiness', 'startup']);
    expect(statusOf(pod)).toEqual({
      containers: { db: { family: 'postgres', probes: ['liveness', 'readiness', 'startup'] } },
    });
    const stored = await cluster.http.request('GET', `/api/v1/namespaces/${ns}/pods/postgres`);
    expect(stored.status).toBe(404);
    expect((await cluster.core.listNamespacedPod({ namespace: ns })).items).toEqual([]);
  });

  it('answers exactly as the real create would, and autoprobe records it as a dry run', async () => {
    const [, redis] = familyPods();
    const dry = await createPod(cluster, ns, redis!.pod, { dryRun: true });
    const real = await createPod(cluster, ns, redis!.pod);

    expect(dry.pod.spec?.containers).toEqual(real.pod.spec?.containers);
    expect(dry.pod.metadata?.annotations).toEqual(real.pod.metadata?.annotations);
    await autoprobe.current.waitForReview(
      (r) => r.namespace === ns && r.pod === 'redis' && !r.dryRun,
    );
    const reviews = autoprobe.current
      .reviews()
      .filter((r) => r.namespace === ns && r.pod === 'redis');
    expect(reviews.map((r) => [r.dryRun, r.outcome])).toEqual([
      [true, 'patched'],
      [false, 'patched'],
    ]);
    expect(
      await autoprobe.current.metric('autoprobe_admission_reviews_total', {
        dry_run: 'true',
        outcome: 'patched',
      }),
    ).toBeGreaterThanOrEqual(2);
  });
});
