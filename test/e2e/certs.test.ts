// Self-managed certificates for real: the chart's ServiceAccount, RBAC, empty Secret and webhook
// configuration are created on the kube-apiserver (the webhook pointed at a loopback URL, since
// no cluster network exists), and `autoprobe serve` runs with the chart's config file as that
// ServiceAccount (a TokenRequest token), so only the chart's least-privilege RBAC lets it work.
// It fills the Secret and writes the caBundle; the apiserver then calls it and trusts it; a CA
// close to expiry is switched with both CAs in the caBundle while the old certificate still
// serves, then the certificate is reissued by the new CA; three replicas starting together on an
// empty Secret agree on one CA.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createCa, issueServing } from '../../src/kube/certs/x509.js';
import type { CertificatePair } from '../../src/kube/certs/x509.js';
import { startServe } from '../../src/server/serve.js';
import type { RunningServe } from '../../src/server/serve.js';
import { createObject } from '../chart/helpers/apiserver.js';
import { ensureHelm, parseObjects, renderChart } from '../chart/helpers/helm.js';
import type { K8sObject } from '../chart/helpers/helm.js';
import {
  createNamespace,
  freePort,
  hasStatus,
  markerPod,
  serviceAccountCredentials,
  waitForWebhook,
} from './harness/index.js';
import { kubeHttp } from './harness/kube-http.js';
import type { KubeResponse } from './harness/kube-http.js';
import { useCluster } from './harness/vitest-context.js';

const cluster = useCluster();
const RELEASE = 'certs';
const DAY = 86_400_000;

let namespace: string;
let podNamespace: string;
let work: string;
let objects: K8sObject[];
let chartConfig: Record<string, unknown>;
let kubeconfigPath: string;
let webhookPort: number;
let saToken: string;
const running: RunningServe[] = [];
let logs: Record<string, unknown>[][] = [];

const fullname = `${RELEASE}-autoprobe`;
const secretName = `${fullname}-tls`;

interface SecretData {
  readonly resourceVersion: string;
  readonly data: Record<string, string>;
}

async function readSecret(): Promise<SecretData> {
  const res = await cluster.http.request<{
    metadata: { resourceVersion: string };
    data?: Record<string, string>;
  }>('GET', `/api/v1/namespaces/${namespace}/secrets/${secretName}`);
  expect(res.status).toBe(200);
  const data = Object.fromEntries(
    Object.entries(res.body.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
  return { resourceVersion: res.body.metadata.resourceVersion, data };
}

async function caBundle(): Promise<string> {
  const config = await cluster.admission.readMutatingWebhookConfiguration({ name: fullname });
  return Buffer.from(config.webhooks?.[0]?.clientConfig.caBundle ?? '', 'base64').toString();
}

function fingerprints(bundle: string): string[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]).fingerprint256,
  );
}

function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** servedFingerprint is the certificate a fresh TLS connection to `port` gets. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const served = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(served);
    });
    socket.on('error', reject);
  });
}

async function poll<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** startReplica runs `autoprobe serve` with the chart's config, as the chart's ServiceAccount. */
async function startReplica(port: number, resyncSeconds: number): Promise<RunningServe> {
  const dir = mkdtempSync(join(work, 'replica-'));
  const server = chartConfig.server as { tls: { selfManaged: Record<string, unknown> } };
  const config = {
    ...chartConfig,
    server: {
      ...server,
      host: '127.0.0.1',
      port,
      metricsPort: 0,
      shutdownDelayMs: 0,
      tls: {
        generatedDir: join(dir, 'tls'),
        // The apiserver calls a loopback URL here, not the Service.
        hosts: ['127.0.0.1'],
        selfManaged: { ...server.tls.selfManaged, resyncSeconds },
      },
    },
  };
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, stringifyYaml(config));
  const lines: Record<string, unknown>[] = [];
  logs.push(lines);
  const replica = await startServe({
    configPath,
    env: { podNamespace: namespace, kube: { kind: 'file', path: kubeconfigPath } },
    logDestination: {
      write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
    },
    watch: { debounceMs: 50, pollMs: 500 },
  });
  running.push(replica);
  return replica;
}

async function stopReplicas(): Promise<void> {
  await Promise.all(running.splice(0).map((r) => r.shutdown('SIGINT')));
  logs = [];
}

function portOf(replica: RunningServe): number {
  return Number(new URL(replica.webhookUrl).port);
}

async function patch(path: string, body: unknown, contentType: string): Promise<void> {
  const res = await cluster.http.request('PATCH', path, { body, contentType });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The apiserver calls autoprobe through the chart's configuration and gets a patched Pod. */
async function admitsThroughTheApiserver(): Promise<void> {
  await waitForWebhook(cluster, { namespace: podNamespace, timeoutMs: 8_000 });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'autoprobe-e2e-certs-'));
  namespace = await createNamespace(cluster, { prefix: 'ap-certs' });
  podNamespace = await createNamespace(cluster, {
    prefix: 'ap-certs-pods',
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  objects = parseObjects(renderChart(ensureHelm(), {}, { name: RELEASE, namespace }));
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as {
    data: Record<string, string>;
  };
  chartConfig = parseYaml(configMap.data['config.yaml'] ?? '') as Record<string, unknown>;
  webhookPort = await freePort();
  // The chart's objects that matter without a kubelet; the webhook called by URL.
  const wanted = [
    'ServiceAccount',
    'Secret',
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
  ];
  for (const object of objects.filter((o) => wanted.includes(o.kind))) {
    const body =
      object.kind === 'MutatingWebhookConfiguration'
        ? withUrl(object, `https://127.0.0.1:${webhookPort}/mutate`)
        : object;
    const created = await createObject(cluster, body, namespace);
    expect(created.status, `${created.object}: ${created.message ?? ''}`).toBe(201);
  }
  // A token of the chart's ServiceAccount, as the kubelet would mount it.
  const credentials = await serviceAccountCredentials(cluster, namespace, fullname);
  saToken = credentials.token;
  kubeconfigPath = join(work, 'kubeconfig');
  writeFileSync(kubeconfigPath, credentials.kubeconfig);
}, 120_000);

afterAll(async () => {
  await stopReplicas();
  for (const [kind, path] of [
    [
      'ValidatingAdmissionPolicyBinding',
      `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${fullname}-cabundle-only`,
    ],
    [
      'ValidatingAdmissionPolicy',
      `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${fullname}-cabundle-only`,
    ],
    [
      'MutatingWebhookConfiguration',
      `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${fullname}`,
    ],
    ['ClusterRoleBinding', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${fullname}`],
    ['ClusterRole', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${fullname}`],
  ] as const) {
    const res = await cluster.http.request('DELETE', path);
    expect([200, 404], kind).toContain(res.status);
  }
  rmSync(work, { recursive: true, force: true });
});

function withUrl(object: K8sObject, url: string): K8sObject {
  const copy = structuredClone(object) as K8sObject & { webhooks: { clientConfig: unknown }[] };
  for (const webhook of copy.webhooks) webhook.clientConfig = { url };
  return copy;
}

describe('self-managed certificates against the kube-apiserver', () => {
  it('fills the chart-made empty Secret, writes the caBundle and serves the certificate', async () => {
    expect((await readSecret()).data).toEqual({});
    const replica = await startReplica(webhookPort, 300);
    const { data } = await readSecret();
    expect(Object.keys(data).sort()).toEqual([
      'ca-bundle.crt',
      'ca.crt',
      'ca.key',
      'tls.crt',
      'tls.key',
    ]);
    const leaf = new X509Certificate(data['tls.crt'] ?? '');
    expect(leaf.subjectAltName).toBe(
      `DNS:${fullname}.${namespace}.svc, DNS:${fullname}.${namespace}.svc.cluster.local, IP Address:127.0.0.1`,
    );
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.verify(new X509Certificate(data['ca.crt'] ?? '').publicKey)).toBe(true);
    expect(await caBundle()).toBe(data['ca-bundle.crt']);
    expect(fingerprints(await caBundle())).toEqual([fingerprint(data['ca.crt'] ?? '')]);
    expect(await servedFingerprint(portOf(replica))).toBe(leaf.fingerprint256);
    await admitsThroughTheApiserver();
    // The namespace label cache works with the chart's ClusterRole too.
    expect(logs[0]?.some((l) => l.msg === 'namespace label cache synced')).toBe(true);
  });

  it('reuses the Secret on a restart without writing it', async () => {
    const before = await readSecret();
    await stopReplicas();
    const replica = await startReplica(webhookPort, 300);
    expect((await readSecret()).resourceVersion).toBe(before.resourceVersion);
    expect(await servedFingerprint(portOf(replica))).toBe(
      fingerprint(before.data['tls.crt'] ?? ''),
    );
  });

  it('is allowed its Secret and its webhook configuration, and nothing else', async () => {
    const { KubeConfig, CoreV1Api, AdmissionregistrationV1Api } =
      await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const denied = async (call: () => Promise<unknown>): Promise<number> =>
      call().then(
        () => 200,
        (error: unknown) => (error as { code?: number }).code ?? 0,
      );
    expect(await denied(() => core.listNamespacedSecret({ namespace }))).toBe(403);
    expect(
      await denied(() =>
        core.createNamespacedSecret({ namespace, body: { metadata: { name: 'other' } } }),
      ),
    ).toBe(403);
    expect(await denied(() => core.readNamespacedSecret({ namespace, name: 'other' }))).toBe(403);
    expect(await denied(() => admission.listMutatingWebhookConfiguration())).toBe(403);
    expect(await denied(() => admission.readMutatingWebhookConfiguration({ name: 'other' }))).toBe(
      403,
    );
    expect(await denied(() => core.readNamespacedSecret({ namespace, name: secretName }))).toBe(
      200,
    );
    expect(await denied(() => core.listNamespace())).toBe(200);
  });

  it('may change only the caBundle of its webhook configuration (the chart ValidatingAdmissionPolicy)', async () => {
    const asAutoprobe = kubeHttp(cluster, false, saToken);
    const path = `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${fullname}`;
    // Server-side dry runs pass admission without being stored: a change the policy should
    // refuse can never stick, even before the policy is in force.
    const jsonPatch = (
      ops: unknown[],
      as = asAutoprobe,
      dryRun = true,
    ): Promise<KubeResponse<{ message?: string }>> =>
      as.request<{ message?: string }>('PATCH', path, {
        body: ops,
        contentType: 'application/json-patch+json',
        ...(dryRun ? { query: { dryRun: 'All' } } : {}),
      });
    try {
      const current = await caBundle();
      const forbidden = [
        [{ op: 'replace', path: '/webhooks/0/failurePolicy', value: 'Fail' }],
        [{ op: 'add', path: '/webhooks/0/rules/0/resources/-', value: 'secrets' }],
        [{ op: 'replace', path: '/webhooks/0/timeoutSeconds', value: 30 }],
        [
          {
            op: 'replace',
            path: '/webhooks/0/clientConfig/url',
            value: 'https://attacker.example/',
          },
        ],
        [{ op: 'replace', path: '/webhooks/0/namespaceSelector', value: {} }],
      ];
      // The policy is in force once the apiserver's informer has it (within a second or two).
      await poll(
        () => jsonPatch(forbidden[0] ?? []),
        (res) => res.status !== 200,
        'the ValidatingAdmissionPolicy to refuse a failurePolicy change',
      );
      for (const ops of forbidden) {
        const res = await jsonPatch(ops);
        expect(res.status, JSON.stringify(ops)).toBe(403);
        expect(res.body.message).toContain('may change only clientConfig.caBundle');
      }
      // The caBundle itself, as the certificate manager writes it.
      const rewrite = [
        {
          op: 'replace',
          path: '/webhooks/0/clientConfig/caBundle',
          value: Buffer.from(`${current}\n`).toString('base64'),
        },
      ];
      expect((await jsonPatch(rewrite, asAutoprobe, false)).status).toBe(200);
      // Other identities are not matched: the admin still may change the rest.
      const config = await cluster.admission.readMutatingWebhookConfiguration({ name: fullname });
      const timeout = config.webhooks?.[0]?.timeoutSeconds ?? 2;
      for (const value of [timeout + 1, timeout]) {
        const admin = await jsonPatch(
          [{ op: 'replace', path: '/webhooks/0/timeoutSeconds', value }],
          cluster.http,
        );
        expect(admin.status).toBe(200);
      }
    } finally {
      asAutoprobe.close();
    }
  });

  it('switches a CA close to expiry with both CAs in the caBundle, then reissues with the new CA', async () => {
    await stopReplicas();
    // A CA and certificate 10 days from expiry (renewal starts at 30).
    const now = Date.now();
    const validity = { notBefore: new Date(now - 300 * DAY), notAfter: new Date(now + 10 * DAY) };
    const oldCa: CertificatePair = await createCa('e2e old CA', validity);
    const hosts = [
      `${fullname}.${namespace}.svc`,
      `${fullname}.${namespace}.svc.cluster.local`,
      '127.0.0.1',
    ];
    const oldLeaf = await issueServing({ ca: oldCa, hosts, commonName: 'e2e old', ...validity });
    const b64 = (text: string): string => Buffer.from(text).toString('base64');
    await patch(
      `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
      {
        data: {
          'ca.crt': b64(oldCa.cert),
          'ca.key': b64(oldCa.key),
          'tls.crt': b64(oldLeaf.cert),
          'tls.key': b64(oldLeaf.key),
          'ca-bundle.crt': b64(oldCa.cert),
        },
      },
      'application/merge-patch+json',
    );
    await patch(
      `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${fullname}`,
      [{ op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: b64(oldCa.cert) }],
      'application/json-patch+json',
    );

    // First pass (before it listens): a new signing CA, both CAs trusted, the old certificate kept.
    const replica = await startReplica(webhookPort, 10);
    const switching = await readSecret();
    const newCa = switching.data['ca.crt'] ?? '';
    expect(fingerprint(newCa)).not.toBe(fingerprint(oldCa.cert));
    expect(switching.data['tls.crt']).toBe(oldLeaf.cert);
    expect(fingerprints(await caBundle())).toEqual([fingerprint(oldCa.cert), fingerprint(newCa)]);
    expect(await servedFingerprint(portOf(replica))).toBe(fingerprint(oldLeaf.cert));
    await admitsThroughTheApiserver();
    expect(await servedFingerprint(portOf(replica))).toBe(fingerprint(oldLeaf.cert));
    expect(logs[0]).toContainEqual(
      expect.objectContaining({
        msg: 'self-managed certificates updated',
        ca: { action: 'replace', reason: 'expiring' },
        serving: { action: 'wait', reason: 'waiting-for-ca-bundle' },
      }),
    );

    // Next pass: the caBundle has the new CA, so the certificate is reissued by it and served.
    const reissued = await poll(
      readSecret,
      (s) => s.data['tls.crt'] !== oldLeaf.cert,
      'the serving certificate to be reissued',
    );
    const newLeaf = new X509Certificate(reissued.data['tls.crt'] ?? '');
    expect(newLeaf.verify(new X509Certificate(newCa).publicKey)).toBe(true);
    await poll(
      () => servedFingerprint(portOf(replica)),
      (served) => served === newLeaf.fingerprint256,
      'the new certificate to be served',
    );
    await admitsThroughTheApiserver();
    // The old CA stays trusted until it expires (another replica may still serve its certificate).
    expect(fingerprints(await caBundle())).toEqual([fingerprint(oldCa.cert), fingerprint(newCa)]);
  });

  it('lets three replicas starting together on an empty Secret agree on one CA', async () => {
    await stopReplicas();
    await patch(
      `/api/v1/namespaces/${namespace}/secrets/${secretName}`,
      { data: null },
      'application/merge-patch+json',
    );
    await patch(
      `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${fullname}`,
      [{ op: 'remove', path: '/webhooks/0/clientConfig/caBundle' }],
      'application/json-patch+json',
    );
    const replicas = await Promise.all([
      startReplica(webhookPort, 300),
      startReplica(0, 300),
      startReplica(0, 300),
    ]);
    const { data } = await readSecret();
    const served = await Promise.all(replicas.map((r) => servedFingerprint(portOf(r))));
    expect(served).toEqual(replicas.map(() => fingerprint(data['tls.crt'] ?? '')));
    expect(fingerprints(await caBundle())).toEqual([fingerprint(data['ca.crt'] ?? '')]);
    // One replica wrote the Secret; the others met a conflict and adopted its material.
    const writes = logs.map(
      (lines) =>
        lines.filter(
          (l) => l.msg === 'self-managed certificates updated' && l.secretWritten === true,
        ).length,
    );
    expect(writes.reduce((a, b) => a + b)).toBe(1);
    // A pod the chart's matchConditions exclude never reaches autoprobe: after it, a marker that
    // does reach autoprobe is answered, and no replica logged a review of the excluded one.
    const optedOut = Object.assign(markerPod(), {
      metadata: { generateName: 'opted-out-', annotations: { 'autoprobe.dev/inject': 'false' } },
    });
    const res = await cluster.http.request<Parameters<typeof hasStatus>[0]>(
      'POST',
      `/api/v1/namespaces/${podNamespace}/pods`,
      { body: optedOut, query: { dryRun: 'All' } },
    );
    expect(res.status).toBe(201);
    expect(hasStatus(res.body)).toBe(false);
    await admitsThroughTheApiserver();
    const reviewed = logs
      .flat()
      .filter((l) => l.msg === 'admission review')
      .map((l) => l.pod);
    expect(reviewed).toContain('marker-*');
    expect(reviewed).not.toContain('opted-out-*');
  });
});
