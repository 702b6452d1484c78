/**
 * @module e2e/tests/audit — audit mode through a real kube-apiserver: the stored Pod is exactly
 * what it would be without autoprobe, and the client that created it receives autoprobe's
 * findings as `Warning` headers. Audit comes from the global mode or, under a global enforce,
 * from the namespace label `autoprobe.dev/mode=audit`.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  createPod,
  probesOf,
  registerWebhook,
  statusOf,
  waitForWebhook,
} from '../harness/index.js';
import type { RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const cluster = useCluster();
const globalAudit = useAutoprobe(cluster, { scope: 'optin', mode: 'audit' });
const enforce = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
const hooks: RegisteredWebhook[] = [];
const ENABLED = { 'autoprobe.dev/inject': 'enabled' };
let baselineNs: string;

const WOULD_ADD_DB = 'autoprobe audit: would add liveness,readiness,startup to db (postgres)';
const WOULD_SKIP_BACKUP = /^autoprobe audit: would skip backup \(postgres\): /;

/** A postgres server with a pg_dump sidecar (a client of the same image: skipped). */
function pod(name: string): V1Pod {
  return {
    metadata: { name },
    spec: {
      containers: [
        { name: 'db', image: 'postgres:16.4', ports: [{ containerPort: 5432, name: 'postgres' }] },
        {
          name: 'backup',
          image: 'postgres:16.4',
          command: ['sh', '-c', 'pg_dump -h db app > /backup/app.sql'],
        },
      ],
    },
  };
}

/** The Pod as the apiserver stores it when no webhook is involved. */
async function baseline(name: string): Promise<V1Pod> {
  return (await createPod(cluster, baselineNs, pod(name))).pod;
}

/** The parts of a stored Pod any mutation would show in. */
function shape(p: V1Pod): unknown {
  return {
    containers: p.spec?.containers,
    annotations: p.metadata?.annotations,
    labels: p.metadata?.labels,
  };
}

beforeAll(async () => {
  baselineNs = await createNamespace(cluster, { prefix: 'audit-baseline', tenant: 'none' });
  for (const [name, ap, tenant] of [
    ['e2e-audit-global', globalAudit.current, 'audit-global'],
    ['e2e-audit-ns', enforce.current, 'audit-ns'],
  ] as const) {
    hooks.push(
      await registerWebhook(cluster, {
        name,
        url: ap.webhookUrl,
        caPem: ap.caPem,
        tenant,
        scope: 'optin',
      }),
    );
  }
});

afterAll(async () => {
  for (const hook of hooks) await hook.delete();
});

describe('audit mode', () => {
  it('in global audit mode the stored Pod is unchanged and the client gets the warnings', async () => {
    const ns = await createNamespace(cluster, {
      prefix: 'audit-global',
      tenant: 'audit-global',
      labels: ENABLED,
    });
    await waitForWebhook(cluster, { namespace: ns, effective: (_, w) => w.includes(WOULD_ADD_DB) });

    const { pod: stored, warnings } = await createPod(cluster, ns, pod('db'));

    expect(shape(stored)).toEqual(shape(await baseline('db-global')));
    expect(statusOf(stored)).toBeUndefined();
    expect(warnings).toContain(WOULD_ADD_DB);
    expect(
      warnings.some((w) => WOULD_SKIP_BACKUP.test(w)),
      warnings.join('\n'),
    ).toBe(true);
    // Each finding arrives whole (the texts contain commas) and within the 120-character limit.
    expect(warnings.filter((w) => w === WOULD_ADD_DB)).toHaveLength(1);
    expect(warnings.every((w) => w.startsWith('autoprobe audit: ') && w.length <= 120)).toBe(true);
    const review = await globalAudit.current.waitForReview(
      (r) => r.namespace === ns && r.pod === 'db',
    );
    expect(review).toMatchObject({ mode: 'audit', outcome: 'audited', dryRun: false });
  });

  it('a namespace labelled autoprobe.dev/mode=audit is audited while the global mode enforces', async () => {
    const ap = enforce.current;
    const audited = await createNamespace(cluster, {
      prefix: 'audit-label',
      tenant: 'audit-ns',
      labels: { ...ENABLED, 'autoprobe.dev/mode': 'audit' },
    });
    const enforced = await createNamespace(cluster, {
      prefix: 'audit-enforced',
      tenant: 'audit-ns',
      labels: ENABLED,
    });
    // The mode label is read from autoprobe's namespace cache, which must have seen the namespace.
    const { items } = await cluster.core.listNamespace();
    await ap.waitForNamespaceCount(items.length);
    await waitForWebhook(cluster, { namespace: enforced });

    const auditedPod = await createPod(cluster, audited, pod('db'));
    const enforcedPod = await createPod(cluster, enforced, pod('db'));

    expect(shape(auditedPod.pod)).toEqual(shape(await baseline('db-label')));
    expect(auditedPod.warnings).toContain(WOULD_ADD_DB);
    expect(probesOf(enforcedPod.pod.spec?.containers[0])).toEqual([
      'liveness',
      'readiness',
      'startup',
    ]);
    expect(enforcedPod.warnings).toEqual([]);
    expect(await ap.waitForReview((r) => r.namespace === audited && r.pod === 'db')).toMatchObject({
      mode: 'audit',
      outcome: 'audited',
    });
  });
});
