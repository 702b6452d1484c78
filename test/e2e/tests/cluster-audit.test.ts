/**
 * @module e2e/tests/cluster-audit — `autoprobe audit` against the real kube-apiserver: workloads
 * in an opted-in and an unlabelled namespace are read (paginated), planned with each namespace's
 * scope, linted, and reported, also as PolicyReports the apiserver accepts under the published
 * CRD; a ServiceAccount without RBAC gets a refusal that names what it may not list, and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { kubeWorkloadSource } from '../../../src/kube/workload-source.js';
import { createObject } from '../../chart/helpers/apiserver.js';
import { ensureHelm, parseObjects, renderChart } from '../../chart/helpers/helm.js';
import { kubeHttp } from '../harness/kube-http.js';
import {
  createNamespace,
  ensureAutoprobeBuilt,
  REPO_ROOT as ROOT,
  serviceAccountCredentials,
} from '../harness/index.js';
import type { K8sObject } from '../../chart/helpers/helm.js';
import { useCluster } from '../harness/vitest-context.js';

const cluster = useCluster();
let optedIn: string;
let unlabelled: string;
let work: string;

const deployment = (name: string, container: Record<string, unknown>): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'main', ...container }] },
    },
  },
});

const REDIS: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'cache' },
  spec: {
    serviceName: 'cache',
    selector: { matchLabels: { app: 'cache' } },
    template: {
      metadata: { labels: { app: 'cache' } },
      spec: {
        containers: [
          {
            name: 'redis',
            image: 'redis:7.4',
            args: ['--requirepass', '$(REDIS_PASSWORD)'],
            env: [
              {
                name: 'REDIS_PASSWORD',
                valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } },
              },
            ],
            readinessProbe: {
              exec: { command: ['sh', '-c', 'timeout 4 redis-cli ping'] },
              timeoutSeconds: 5,
            },
          },
        ],
      },
    },
  },
};

function audit(args: readonly string[], kubeconfig: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'audit', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: work, KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
}

interface Item {
  namespace: string;
  name: string;
  kind: string;
  container: string;
  action: string;
  scope: { act: boolean; why: string };
  findings: { code: string }[];
}

beforeAll(async () => {
  ensureAutoprobeBuilt();
  work = mkdtempSync(join(tmpdir(), 'autoprobe-audit-'));
  optedIn = await createNamespace(cluster, {
    prefix: 'audit-in',
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  unlabelled = await createNamespace(cluster, { prefix: 'audit-out' });
  const objects: [K8sObject, string][] = [
    [deployment('pg', { image: 'postgres:16.4' }), optedIn],
    [REDIS, optedIn],
    [deployment('pg', { image: 'postgres:16.4' }), unlabelled],
    ...['web-1', 'web-2', 'web-3'].map((n): [K8sObject, string] => [
      deployment(n, { image: 'nginx:1.27' }),
      optedIn,
    ]),
  ];
  for (const [body, namespace] of objects) {
    const created = await createObject(cluster, body, namespace);
    expect(created.status, `${created.object}: ${created.message ?? ''}`).toBe(201);
  }
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('autoprobe audit on a real apiserver', () => {
  it('reports every workload with its scope, decision and findings', () => {
    const run = audit(['-o', 'json'], cluster.kubeconfigPath);
    expect(run.stderr).not.toContain('refused');
    const items = (JSON.parse(String(run.stdout)) as Item[]).filter(
      (i) => i.namespace === optedIn || i.namespace === unlabelled,
    );
    const find = (namespace: string, name: string): Item | undefined =>
      items.find((i) => i.namespace === namespace && i.name === name);
    expect(find(optedIn, 'pg')).toMatchObject({ kind: 'Deployment', action: 'inject' });
    expect(find(optedIn, 'pg')?.scope.act).toBe(true);
    expect(find(unlabelled, 'pg')?.scope).toEqual({
      act: false,
      why: 'optin scope and namespace lacks autoprobe.dev/inject=enabled',
    });
    expect(find(optedIn, 'cache')?.findings.map((f) => f.code)).toContain(
      'exec-without-credentials',
    );
    expect(items.filter((i) => i.namespace === optedIn)).toHaveLength(5);
  });

  it('prints the namespace summary and fails on the error finding, for one namespace', () => {
    const run = audit(['-n', optedIn], cluster.kubeconfigPath);
    expect(run.stdout).toMatch(/^5 workloads, 5 containers in 1 namespaces/);
    expect(run.stdout).toMatch(new RegExp(`${optedIn} +enforce +5 +2 +1 +0`));
    expect(run.stderr).toContain('1 error finding on existing probes');
    expect(run.status).toBe(1);
  });

  it('writes PolicyReports that the apiserver stores under the published CRD', async () => {
    const crd = parseYaml(
      readFileSync(
        join(ROOT, 'test', 'fixtures', 'policyreport', 'wgpolicyk8s.io_policyreports.yaml'),
        'utf8',
      ),
    ) as K8sObject;
    const installed = await createObject(cluster, crd, optedIn);
    expect([201, 409]).toContain(installed.status);
    const run = audit(['-n', optedIn, '-o', 'policyreport'], cluster.kubeconfigPath);
    const reports = parseAllDocuments(String(run.stdout)).map(
      (d) => d.toJS() as { metadata: { namespace: string }; results: { rule: string }[] },
    );
    expect(reports.map((r) => r.metadata.namespace)).toEqual([optedIn]);
    expect(reports[0]?.results.map((r) => r.rule)).toContain('exec-without-credentials');
    // The CRD is served a moment after it is created.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 201; attempt++) {
      const created = await cluster.http.request(
        'POST',
        `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${optedIn}/policyreports`,
        { body: reports[0] },
      );
      status = created.status;
      if (status === 404) await new Promise((r) => setTimeout(r, 200));
      else expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    expect(status).toBe(201);
  });

  it('applies the reports idempotently and deletes a stale one it wrote before', async () => {
    const empty = await createNamespace(cluster, { prefix: 'audit-empty' });
    const reports = `/apis/wgpolicyk8s.io/v1alpha2/namespaces`;
    const stale = await cluster.http.request('POST', `${reports}/${empty}/policyreports`, {
      body: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'autoprobe', labels: { 'app.kubernetes.io/managed-by': 'autoprobe' } },
        results: [],
      },
    });
    expect(stale.status).toBe(201);
    const first = audit(['--apply'], cluster.kubeconfigPath);
    expect(String(first.stderr)).toMatch(
      /policy reports: \d+ created, \d+ updated, \d+ unchanged, 1 deleted/,
    );
    expect(
      (await cluster.http.request('GET', `${reports}/${empty}/policyreports/autoprobe`)).status,
    ).toBe(404);
    const mine = `${reports}/${optedIn}/policyreports/autoprobe`;
    const before = await cluster.http.request<{ metadata: { resourceVersion: string } }>(
      'GET',
      mine,
    );
    expect(before.status).toBe(200);
    const again = audit(['--apply', '-n', optedIn], cluster.kubeconfigPath);
    expect(String(again.stderr)).toContain(
      'policy reports: 0 created, 0 updated, 1 unchanged, 0 deleted',
    );
    const after = await cluster.http.request<{ metadata: { resourceVersion: string } }>(
      'GET',
      mine,
    );
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
  });

  it('follows continue tokens: a page of 2 still returns every workload', async () => {
    const names: string[] = [];
    for await (const object of kubeWorkloadSource(cluster.kc, 2).workloads(optedIn)) {
      names.push((object.metadata as { name: string }).name);
    }
    expect(names.sort()).toEqual(['cache', 'pg', 'web-1', 'web-2', 'web-3']);
  });

  it('names what a user without RBAC may not list, and exits 1', async () => {
    const sa = await createObject(
      cluster,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'no-rights' } },
      optedIn,
    );
    expect(sa.status).toBe(201);
    const credentials = await serviceAccountCredentials(cluster, optedIn, 'no-rights');
    const kubeconfig = join(work, 'restricted');
    writeFileSync(kubeconfig, credentials.kubeconfig);
    const run = audit([], kubeconfig);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the Kubernetes API refused a read');
    expect(run.stderr).toMatch(/cannot list resource "namespaces"/);
    expect(run.stderr).not.toContain(credentials.token);
  });

  it("runs --apply as the chart's audit ServiceAccount, which may read workloads and nothing else", async () => {
    const release = await createNamespace(cluster, { prefix: 'audit-chart' });
    const objects = parseObjects(
      renderChart(
        ensureHelm(),
        { 'auditSchedule.enabled': true },
        { name: 'ap', namespace: release },
      ),
    ).filter((o) => o.metadata.name === 'ap-autoprobe-audit' && o.kind !== 'CronJob');
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ServiceAccount',
    ]);
    for (const object of objects) {
      const created = await createObject(cluster, object, release);
      expect(created.status, `${created.object}: ${created.message ?? ''}`).toBe(201);
    }
    const credentials = await serviceAccountCredentials(cluster, release, 'ap-autoprobe-audit');
    const kubeconfig = join(work, 'scheduled');
    writeFileSync(kubeconfig, credentials.kubeconfig);
    const run = audit(['--apply', '-n', optedIn], kubeconfig);
    expect(String(run.stderr)).toContain('policy reports: 0 created, 0 updated, 1 unchanged');
    expect(String(run.stderr)).not.toContain('refused');
    // Least privilege: it cannot read Secrets.
    const asAudit = kubeHttp(cluster, false, credentials.token);
    const review = await asAudit.request<{ status: { allowed: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb: 'list', resource: 'secrets' } },
        },
      },
    );
    asAudit.close();
    expect(review.status).toBe(201);
    expect(review.body.status.allowed).toBe(false);
  });

  it('says where credentials would come from when there are none, with exit 2', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'audit'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: work },
    });
    expect(run.stderr).toContain('no Kubernetes credentials: set KUBECONFIG');
    expect(run.status).toBe(2);
  });
});
