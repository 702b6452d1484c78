/**
 * @module e2e/tests/pod-controls — what a Pod's author controls, through a real kube-apiserver:
 * the opt-out annotation, probes they set themselves (kept exactly), and Pods made the way a
 * controller makes them (generateName and an ownerReference to a ReplicaSet), which autoprobe
 * injects like any other Pod.
 */
import type { V1Pod, V1Probe, V1ReplicaSet } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  containerOf,
  createPod,
  podWith,
  probe,
  probesOf,
  readPod,
  statusOf,
} from '../harness/index.js';
import { useAutoprobe, useCluster, useOptedInNamespace } from '../harness/vitest-context.js';

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const opted = useOptedInNamespace(cluster, autoprobe, 'controls');
let ns: string;

beforeAll(() => {
  ns = opted.current;
});

describe('per-pod control', () => {
  it('a Pod annotated autoprobe.dev/inject: "false" is stored untouched', async () => {
    const pod = podWith(
      'opted-out',
      { name: 'db', image: 'postgres:16.4' },
      { annotations: { 'autoprobe.dev/inject': 'false' } },
    );
    const { pod: stored } = await createPod(cluster, ns, pod);

    expect(probesOf(stored.spec?.containers[0])).toEqual([]);
    expect(statusOf(stored)).toBeUndefined();
    expect(stored.metadata?.annotations).toEqual({ 'autoprobe.dev/inject': 'false' });
  });

  it('probes the user set are stored exactly as sent and only the missing kind is added', async () => {
    // Every field given, so API defaulting cannot change them either.
    const readiness: V1Probe = {
      exec: { command: ['psql', '-U', 'app', '-c', 'select 1'] },
      initialDelaySeconds: 3,
      periodSeconds: 7,
      timeoutSeconds: 4,
      successThreshold: 2,
      failureThreshold: 5,
    };
    const liveness: V1Probe = {
      tcpSocket: { port: 5432 },
      initialDelaySeconds: 10,
      periodSeconds: 20,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 6,
    };
    const pod = podWith('user-probes', {
      name: 'db',
      image: 'postgres:16.4',
      readinessProbe: readiness,
      livenessProbe: liveness,
    });
    await createPod(cluster, ns, pod);
    const stored = await readPod(cluster, ns, 'user-probes');
    const db = containerOf(stored, 'db');

    expect(probe(db, 'readiness')).toEqual(readiness);
    expect(probe(db, 'liveness')).toEqual(liveness);
    expect(probe(db, 'startup')?.tcpSocket).toBeDefined();
    expect(statusOf(stored)).toEqual({
      containers: { db: { family: 'postgres', probes: ['startup'] } },
    });
  });

  it('a Pod created as a ReplicaSet controller would (generateName, ownerReference) is injected', async () => {
    const template = {
      metadata: { labels: { app: 'orders-db', 'pod-template-hash': '7c9f5d' } },
      spec: {
        containers: [
          {
            name: 'postgres',
            image: 'postgres:16.4',
            ports: [{ containerPort: 5432, name: 'postgres' }],
          },
        ],
      },
    };
    // A real ReplicaSet object (no controller runs here, so it creates no Pods itself).
    const rs: V1ReplicaSet = await cluster.apps.createNamespacedReplicaSet({
      namespace: ns,
      body: {
        metadata: { name: 'orders-db-7c9f5d' },
        spec: { replicas: 1, selector: { matchLabels: template.metadata.labels }, template },
      },
    });
    const rsName = rs.metadata?.name ?? '';
    const pod: V1Pod = {
      metadata: {
        generateName: `${rsName}-`,
        labels: template.metadata.labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rsName,
            uid: rs.metadata?.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: template.spec,
    };
    const { pod: created } = await createPod(cluster, ns, pod);
    const name = created.metadata?.name ?? '';
    const stored = await readPod(cluster, ns, name);

    expect(name.startsWith(`${rsName}-`)).toBe(true);
    expect(stored.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: rsName,
      controller: true,
    });
    expect(probesOf(containerOf(stored, 'postgres'))).toEqual(['liveness', 'readiness', 'startup']);
    expect(statusOf(stored)?.containers.postgres?.family).toBe('postgres');
    const review = await autoprobe.current.waitForReview(
      (r) => r.namespace === ns && r.pod === `${rsName}-*`,
    );
    expect(review).toMatchObject({ outcome: 'patched' });
  });
});
