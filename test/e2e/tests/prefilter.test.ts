/**
 * @module e2e/tests/prefilter — the image prefilter (a matchCondition generated from the catalog,
 * src/admission/prefilter.ts) on a real kube-apiserver: the apiserver accepts the configuration,
 * never calls autoprobe for a Pod with no candidate container (reviews counted at autoprobe), and
 * still calls it for every candidate, a 64-container one included (the condition's CEL cost stays
 * within the apiserver's budget: past it the webhook would be skipped, since it fails open).
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  createPod,
  podWith,
  probesOf,
  registerWebhook,
  reviewBarrier,
  waitForWebhook,
} from '../harness/index.js';
import type { RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
let hook: RegisteredWebhook;
let ns: string;

beforeAll(async () => {
  const ap = autoprobe.current;
  hook = await registerWebhook(cluster, {
    name: 'e2e-prefilter',
    url: ap.webhookUrl,
    caPem: ap.caPem,
    tenant: 'prefilter',
  });
  ns = await createNamespace(cluster, {
    prefix: 'prefilter',
    tenant: 'prefilter',
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  await waitForWebhook(cluster, { namespace: ns });
});

afterAll(async () => {
  await hook.delete();
});

/** reviewedPods lists the Pods of `ns` autoprobe reviewed since `from` (after a barrier). */
async function reviewedSince(from: number): Promise<string[]> {
  await reviewBarrier(cluster, autoprobe.current, ns);
  return autoprobe.current
    .reviews()
    .slice(from)
    .filter((r) => r.namespace === ns && r.pod !== null && !r.pod.startsWith('barrier-'))
    .map((r) => r.pod ?? '');
}

/** podOf is a Pod named `name` with `containers`. */
function podOf(name: string, containers: V1Container[]): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers } };
}

const probes = {
  livenessProbe: { tcpSocket: { port: 5432 } },
  readinessProbe: { tcpSocket: { port: 5432 } },
  startupProbe: { tcpSocket: { port: 5432 } },
};

describe('the image prefilter', () => {
  it('keeps every Pod with no candidate container away from autoprobe', async () => {
    const before = autoprobe.current.reviews().length;
    const pods = [
      podWith('web', { name: 'web', image: 'nginx:1.27' }),
      podWith('exporter', { name: 'x', image: 'prometheuscommunity/postgres-exporter:v0.15.0' }),
      podWith('probed', { name: 'db', image: 'postgres:16.4', ...probes }),
      podOf(
        'many',
        Array.from({ length: 65 }, (_, i) => ({ name: `c${i}`, image: 'postgres:16.4' })),
      ),
    ];
    for (const pod of pods) {
      const created = await createPod(cluster, ns, pod, { dryRun: true });
      expect(created.pod.metadata?.annotations?.['autoprobe.dev/status']).toBeUndefined();
    }
    expect(await reviewedSince(before)).toEqual([]);
  });

  it('still sends every candidate, through mirrors, sidecars and a 64-container Pod', async () => {
    const before = autoprobe.current.reviews().length;
    const long = `registry.example.com/${'a'.repeat(200)}/postgres:16.4`;
    const pods = [
      podWith('mirrored', { name: 'db', image: 'mirror.gcr.io/library/redis:7.4' }),
      podWith('ecr', { name: 'db', image: 'public.ecr.aws/docker/library/postgres:16.4' }),
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sidecar' },
        spec: {
          initContainers: [{ name: 'cache', image: 'redis:7.4', restartPolicy: 'Always' }],
          containers: [{ name: 'web', image: 'nginx:1.27' }],
        },
      },
      podOf(
        'wide',
        Array.from({ length: 64 }, (_, i) => ({ name: `c${i}`, image: long })),
      ),
    ];
    for (const pod of pods) await createPod(cluster, ns, pod, { dryRun: true });
    expect((await reviewedSince(before)).sort()).toEqual(['ecr', 'mirrored', 'sidecar', 'wide']);
    const patched = await createPod(cluster, ns, pods[1]!, { dryRun: true });
    expect(probesOf(patched.pod.spec?.containers[0])).toEqual(['liveness', 'readiness', 'startup']);
  });
});
