/**
 * @module e2e/tests/mesh — service meshes through a real kube-apiserver. The apiserver calls
 * mutating webhooks in the order of their configurations' names, so autoprobe's runs before one
 * named `istio-sidecar-injector` (a recording stand-in that adds an `istio-proxy` container, as
 * Istio's injector does): the injector sees autoprobe's probes, which is what lets Istio rewrite
 * them (istio/istio#33734). A Pod that already carries `istio-proxy`, or lives in a namespace
 * annotated for Linkerd, gets no tcpSocket probe: its proxy would answer every connection
 * (linkerd/linkerd2#7777); the same connect is made from inside the container instead.
 */
import type { V1Container } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSidecar,
  containerOf,
  createNamespace,
  createPod,
  hasStatus,
  podWith,
  readPod,
  registerWebhook,
  startTestWebhook,
  waitForWebhook,
} from '../harness/index.js';
import type { RegisteredWebhook, TestWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const TENANT = 'mesh';
const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const hooks: RegisteredWebhook[] = [];
let injector: TestWebhook;
let istio: string;
let linkerd: string;
let plain: string;

const PROXY: V1Container = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' };

/** No probe of the container is a tcpSocket probe. */
function noTcp(container: V1Container | undefined): boolean {
  return [container?.livenessProbe, container?.readinessProbe, container?.startupProbe].every(
    (p) => p?.tcpSocket === undefined,
  );
}

beforeAll(async () => {
  const ap = autoprobe.current;
  injector = await startTestWebhook(addSidecar(PROXY));
  hooks.push(
    await registerWebhook(cluster, {
      name: 'e2e-mesh-autoprobe',
      url: ap.webhookUrl,
      caPem: ap.caPem,
      tenant: TENANT,
    }),
  );
  const opted = { 'autoprobe.dev/inject': 'enabled' };
  [istio, linkerd, plain] = await Promise.all([
    createNamespace(cluster, {
      prefix: 'istio',
      tenant: TENANT,
      labels: { ...opted, 'istio-injection': 'enabled' },
    }),
    createNamespace(cluster, {
      prefix: 'linkerd',
      tenant: TENANT,
      labels: opted,
      annotations: { 'linkerd.io/inject': 'enabled' },
    }),
    createNamespace(cluster, { prefix: 'plain', tenant: TENANT, labels: opted }),
  ]);
  // The stand-in injects only where Istio would: the namespace labelled istio-injection=enabled.
  hooks.push(
    await registerWebhook(cluster, {
      name: 'istio-sidecar-injector',
      url: injector.url,
      caPem: injector.caPem,
      // A stand-in for Istio's injector, which sees every Pod: not autoprobe's prefilter.
      prefilter: false,
      namespaceSelector: {
        matchLabels: { 'istio-injection': 'enabled', 'e2e.autoprobe.dev/tenant': TENANT },
      },
    }),
  );
  await waitForWebhook(cluster, { namespace: plain });
  // The namespace cache must know the Linkerd namespace's annotation before its Pods are judged.
  await waitForWebhook(cluster, {
    namespace: linkerd,
    effective: (p) => hasStatus(p) && noTcp(containerOf(p, 'db')),
  });
  await waitForWebhook(cluster, {
    namespace: istio,
    effective: (p) => hasStatus(p) && containerOf(p, 'istio-proxy') !== undefined,
  });
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
  await injector.stop();
});

describe('service meshes', () => {
  it("sorts before istio-sidecar-injector, so Istio's injector receives autoprobe's TCP probes", async () => {
    await createPod(cluster, istio, podWith('to-inject', { name: 'db', image: 'postgres:16.4' }));
    const seen = injector.received.find(
      (r) => r.namespace === istio && r.object.metadata?.name === 'to-inject' && !r.dryRun,
    );
    const db = containerOf(seen!.object, 'db');
    expect(db?.livenessProbe?.tcpSocket?.port).toBe(5432);
    expect(db?.startupProbe?.tcpSocket?.port).toBe(5432);
    const stored = await readPod(cluster, istio, 'to-inject');
    expect(containerOf(stored, 'istio-proxy')).toBeDefined();
  });

  it('a Pod that already carries istio-proxy gets no tcpSocket probe, but checks from inside', async () => {
    const pod = podWith('injected', { name: 'db', image: 'postgres:16.4' });
    pod.spec!.containers.push(PROXY);
    await createPod(cluster, plain, pod);
    const db = containerOf(await readPod(cluster, plain, 'injected'), 'db');
    expect(noTcp(db)).toBe(true);
    expect(db?.startupProbe?.exec?.command).toEqual([
      'timeout',
      '-s',
      'KILL',
      '4',
      'bash',
      '-c',
      'exec 3<>/dev/tcp/127.0.0.1/5432',
    ]);
    expect(db?.readinessProbe?.exec?.command).toContain('pg_isready');
  });

  it('a namespace annotated linkerd.io/inject=enabled gets no tcpSocket probe either', async () => {
    await createPod(cluster, linkerd, podWith('linked', { name: 'mq', image: 'rabbitmq:3.13' }));
    const mq = containerOf(await readPod(cluster, linkerd, 'linked'), 'mq');
    expect(noTcp(mq)).toBe(true);
    expect(mq?.readinessProbe?.exec?.command?.join(' ')).toContain('/dev/tcp/127.0.0.1/5672');
    expect(mq?.livenessProbe).toBeUndefined();
  });
});
