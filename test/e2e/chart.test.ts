// Every object the chart renders, for every golden way of installing it, and every object of
// deploy/autoprobe.yaml, is created with server-side dry run (dryRun=All) and strict field
// validation against the real kube-apiserver: Kubernetes itself validates each one (schemas,
// the webhook's CEL matchConditions and selectors, RBAC rules, the PodDisruptionBudget, topology
// spread, security contexts), and nothing is stored.
//
// Skipped, and checked to be exactly these: the objects whose kinds come from CRDs this
// apiserver does not have (cert-manager's Issuer and Certificate, prometheus-operator's
// ServiceMonitor); discovery confirms their API groups are absent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from '../chart/helpers/cases.js';
import { ROOT, ensureHelm, parseObjects, renderChart } from '../chart/helpers/helm.js';
import type { K8sObject } from '../chart/helpers/helm.js';
import { createObject } from '../chart/helpers/apiserver.js';
import type { Created } from '../chart/helpers/apiserver.js';
import { createNamespace } from './harness/index.js';
import { useCluster } from './harness/vitest-context.js';

const cluster = useCluster();

/** API groups of kinds defined by CRDs (not installed here). */
const CRD_GROUPS = ['cert-manager.io', 'monitoring.coreos.com'];

/** dryRunCreate creates `object` with dryRun=All; an unknown kind must be a CRD kind. */
async function dryRunCreate(object: K8sObject, namespace: string): Promise<Created> {
  const result = await createObject(cluster, object, namespace, { dryRun: true });
  if (result.status === 'unknown-kind') {
    expect(CRD_GROUPS, `${result.object}: unknown apiVersion ${object.apiVersion}`).toContain(
      object.apiVersion.split('/')[0],
    );
  }
  return result;
}

/** Accepted means 201 with no warnings (a warning would be an unknown or deprecated field). */
function accepted(result: Created): Created {
  return result.status === 'unknown-kind'
    ? result
    : { object: result.object, status: 201, warnings: [] };
}

let helm: string;
beforeAll(() => {
  helm = ensureHelm();
});

describe('the rendered chart, validated by the kube-apiserver (server-side dry run)', () => {
  it.each(GOLDEN_CASES)('accepts every object of $name', async (chartCase) => {
    const namespace = await createNamespace(cluster, {
      prefix: `chart-${chartCase.name}`.slice(0, 40),
    });
    const objects = parseObjects(
      renderChart(helm, chartCase.values, { name: 'autoprobe', namespace }),
    );
    const results: Created[] = [];
    for (const object of objects) results.push(await dryRunCreate(object, namespace));
    expect(results).toEqual(results.map(accepted));
    const skipped = results.filter((r) => r.status === 'unknown-kind').map((r) => r.object);
    const crdObjects = objects
      .filter((o) => CRD_GROUPS.includes(o.apiVersion.split('/')[0] ?? ''))
      .map((o) => `${o.kind} ${o.metadata.name}`);
    expect(skipped).toEqual(crdObjects);
    // The core of the install is always validated: the webhook, its workload and its RBAC.
    const validated = results.filter((r) => r.status === 201).map((r) => r.object.split(' ')[0]);
    expect(validated).toEqual(
      expect.arrayContaining([
        'MutatingWebhookConfiguration',
        'Deployment',
        'ClusterRole',
        'Service',
        'ConfigMap',
      ]),
    );
  });

  it('accepts every object of deploy/autoprobe.yaml', async () => {
    const objects = parseObjects(readFileSync(join(ROOT, 'deploy', 'autoprobe.yaml'), 'utf8'));
    // The Namespace is dry-run as is; the namespaced objects go to a fresh namespace, since a
    // dry-run Namespace is not there for them to land in.
    const namespace = await createNamespace(cluster, { prefix: 'chart-deploy' });
    const results: Created[] = [];
    for (const object of objects) results.push(await dryRunCreate(object, namespace));
    expect(results).toEqual(results.map(accepted));
    expect(results.map((r) => r.object.split(' ')[0])).toEqual([
      'Namespace',
      'PodDisruptionBudget',
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Service',
      'Deployment',
      'MutatingWebhookConfiguration',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
  });

  it('refuses what is wrong: the dry run is a real check, not a formality', async () => {
    const namespace = await createNamespace(cluster, { prefix: 'chart-negative' });
    const objects = parseObjects(renderChart(helm, {}, { name: 'autoprobe', namespace }));
    const webhook = objects.find((o) => o.kind === 'MutatingWebhookConfiguration');
    if (webhook === undefined) throw new Error('no webhook configuration rendered');
    const broken = structuredClone(webhook) as K8sObject & {
      webhooks: { matchConditions: { name: string; expression: string }[] }[];
    };
    const [hook] = broken.webhooks;
    if (hook === undefined) throw new Error('no webhook');
    hook.matchConditions = [{ name: 'broken', expression: "object.metadata.annotations['x' ==" }];
    const result = await dryRunCreate(broken, namespace);
    expect(result.status).toBe(422);
    expect(result.message).toContain('matchConditions');
  });
});
