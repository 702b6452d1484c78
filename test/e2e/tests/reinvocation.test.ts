/**
 * @module e2e/tests/reinvocation — autoprobe in a chain of mutating webhooks, through a real
 * kube-apiserver. Configurations are called in name order, so autoprobe ("…-a-autoprobe") runs
 * first and a second test webhook ("…-z-helper") after it; the helper's change makes the
 * apiserver call autoprobe again (`reinvocationPolicy: IfNeeded`). autoprobe must add nothing
 * twice: it answers the reinvocation with no patch, or, when the helper added a database sidecar,
 * with probes for that container only, and the status annotation lists each container once.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEnv,
  addLabel,
  addSidecar,
  combine,
  containerOf,
  createNamespace,
  createPod,
  hasStatus,
  podWith,
  probesOf,
  readPod,
  registerWebhook,
  reviewBarrier,
  startTestWebhook,
  statusOf,
  waitForWebhook,
} from '../harness/index.js';
import type { Mutation, RegisteredWebhook, TestWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const TENANT = 'reinvoke';
const HELPER_LABEL = 'e2e.autoprobe.dev/helper';
const ALL = ['liveness', 'readiness', 'startup'];
const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const hooks: RegisteredWebhook[] = [];
let helper: TestWebhook;
let ns: string;

/** The helper adds an env var and a label; with annotation helper=sidecar, a redis sidecar too. */
const helperMutation: Mutation = (pod: V1Pod) => {
  const base = combine(addEnv('E2E_HELPER', '1'), addLabel(HELPER_LABEL, 'seen'));
  const sidecar = addSidecar({
    name: 'cache',
    image: 'redis:7.4',
    ports: [{ containerPort: 6379 }],
  });
  return pod.metadata?.annotations?.[HELPER_LABEL] === 'sidecar'
    ? combine(base, sidecar)(pod)
    : base(pod);
};

beforeAll(async () => {
  const ap = autoprobe.current;
  helper = await startTestWebhook(helperMutation);
  hooks.push(
    await registerWebhook(cluster, {
      name: 'e2e-reinvoke-a-autoprobe',
      url: ap.webhookUrl,
      caPem: ap.caPem,
      tenant: TENANT,
      // With the prefilter a Pod whose candidates all have their probes is not sent again; the
      // reinvocation this test proves harmless happens when one still lacks a kind.
      prefilter: false,
    }),
    await registerWebhook(cluster, {
      name: 'e2e-reinvoke-z-helper',
      url: helper.url,
      caPem: helper.caPem,
      tenant: TENANT,
      prefilter: false,
    }),
  );
  ns = await createNamespace(cluster, {
    prefix: 'reinvoke',
    tenant: TENANT,
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  await waitForWebhook(cluster, {
    namespace: ns,
    effective: (p) => hasStatus(p) && p.metadata?.labels?.[HELPER_LABEL] === 'seen',
  });
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
  await helper.stop();
});

describe('reinvocation with a second mutating webhook', () => {
  it('autoprobe is called again after the helper’s change and adds nothing twice', async () => {
    await createPod(cluster, ns, podWith('chained', { name: 'db', image: 'postgres:16.4' }));
    const stored = await readPod(cluster, ns, 'chained');
    const db = containerOf(stored, 'db');

    // The helper ran after autoprobe: the object it was sent already had the probes.
    const seen = helper.received.find(
      (r) => r.namespace === ns && r.object.metadata?.name === 'chained',
    );
    expect(probesOf(containerOf(seen!.object, 'db'))).toEqual(ALL);
    // autoprobe was reinvoked and answered without a patch.
    await reviewBarrier(cluster, autoprobe.current, ns);
    const reviews = autoprobe.current
      .reviews()
      .filter((r) => r.namespace === ns && r.pod === 'chained');
    expect(reviews.map((r) => r.outcome)).toEqual(['patched', 'unchanged']);
    // One of each probe, as in the first round; one helper env var; a valid status.
    expect(probesOf(db)).toEqual(ALL);
    expect(db?.livenessProbe).toEqual(containerOf(seen!.object, 'db')?.livenessProbe);
    expect(db?.env?.filter((e) => e.name === 'E2E_HELPER')).toHaveLength(1);
    expect(stored.metadata?.labels?.[HELPER_LABEL]).toBe('seen');
    expect(statusOf(stored)).toEqual({ containers: { db: { family: 'postgres', probes: ALL } } });
  });

  it('a database sidecar added by the helper gets its probes on reinvocation, the first container nothing more', async () => {
    await createPod(
      cluster,
      ns,
      podWith(
        'with-sidecar',
        { name: 'db', image: 'postgres:16.4' },
        { annotations: { [HELPER_LABEL]: 'sidecar' } },
      ),
    );
    const stored = await readPod(cluster, ns, 'with-sidecar');

    await reviewBarrier(cluster, autoprobe.current, ns);
    const reviews = autoprobe.current
      .reviews()
      .filter((r) => r.namespace === ns && r.pod === 'with-sidecar');
    expect(reviews.map((r) => [r.outcome, r.injected])).toEqual([
      ['patched', 1],
      ['patched', 1],
    ]);
    expect(stored.spec?.containers.map((c) => c.name)).toEqual(['db', 'cache']);
    expect(probesOf(containerOf(stored, 'db'))).toEqual(ALL);
    expect(probesOf(containerOf(stored, 'cache'))).toEqual(ALL);
    expect(statusOf(stored)).toEqual({
      containers: {
        cache: { family: 'redis', probes: ALL },
        db: { family: 'postgres', probes: ALL },
      },
    });
  });
});
