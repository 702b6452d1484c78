// The chart renders and lints for every way of installing it, matches its golden renders, and
// every render has the properties the webhook depends on: fail open with a short timeout, the
// system and own namespaces excluded, a locked-down pod, three spread replicas under a PDB,
// least-privilege RBAC, recommended labels, and a config file autoprobe itself accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PREFILTER_NAME, prefilterExpression } from '../../src/admission/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { buildEngineConfig } from '../../src/core/index.js';
import { GOLDEN_CASES, MATRIX } from './helpers/cases.js';
import { expectFile } from './helpers/golden.js';
import {
  CHART_DIR,
  RELEASE,
  ROOT,
  parseObjects,
  renderChart,
  runHelm,
  templateArgs,
  valueArgs,
} from './helpers/helm.js';
import type { ChartCase, K8sObject } from './helpers/helm.js';
import type { Config } from '../../src/config/config.js';
import type {
  V1ClusterRole,
  V1ConfigMap,
  V1Deployment,
  V1LabelSelectorRequirement,
  V1MutatingWebhook,
  V1MutatingWebhookConfiguration,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1PolicyRule,
  V1Role,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';

const helm = inject('helm');

/** A cert-manager Certificate, as far as the tests read it. */
interface Certificate extends K8sObject {
  readonly spec: {
    secretName: string;
    dnsNames: string[];
    privateKey: { algorithm: string; size: number };
    issuerRef: Record<string, string>;
  };
}

/** A prometheus-operator ServiceMonitor, as far as the tests read it. */
interface ServiceMonitor extends K8sObject {
  readonly spec: { endpoints: { port: string; path: string }[] };
}

/** The kinds the chart renders, typed as client-node describes them. */
interface Kinds {
  ClusterRole: V1ClusterRole;
  ConfigMap: V1ConfigMap;
  Deployment: V1Deployment;
  MutatingWebhookConfiguration: V1MutatingWebhookConfiguration;
  PodDisruptionBudget: V1PodDisruptionBudget;
  Secret: V1Secret;
  Service: V1Service;
  Certificate: Certificate;
  ServiceMonitor: ServiceMonitor;
}

/** find returns the one object of `kind` (and `name`), failing the test when it is not one. */
function find<K extends keyof Kinds>(
  objects: readonly K8sObject[],
  kind: K,
  name?: string,
): Kinds[K] {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0] as unknown as Kinds[K];
}

function podOf(objects: readonly K8sObject[]): V1PodSpec {
  return find(objects, 'Deployment').spec!.template.spec!;
}

function configOf(objects: readonly K8sObject[]): Config {
  // The ConfigMap with the config file (the dashboard's is another one).
  const maps = objects.filter(
    (o) => o.kind === 'ConfigMap' && !o.metadata.name.endsWith('-dashboard'),
  );
  expect(maps).toHaveLength(1);
  return parseConfigText((maps[0] as unknown as V1ConfigMap).data!['config.yaml']!, 'config.yaml');
}

function webhookOf(objects: readonly K8sObject[]): V1MutatingWebhook {
  const config = find(objects, 'MutatingWebhookConfiguration', RELEASE.name);
  expect(config.webhooks).toHaveLength(1);
  return config.webhooks![0]!;
}

function byNameSelector(hook: V1MutatingWebhook): V1LabelSelectorRequirement | undefined {
  return hook.namespaceSelector?.matchExpressions?.find(
    (e) => e.key === 'kubernetes.io/metadata.name',
  );
}

const renders = new Map<string, K8sObject[]>();

/** render renders a case once per file (the objects are only read). */
function render(chartCase: ChartCase): K8sObject[] {
  const key = JSON.stringify(chartCase.values);
  let objects = renders.get(key);
  if (objects === undefined) {
    objects = parseObjects(renderChart(helm, chartCase.values));
    renders.set(key, objects);
  }
  return objects;
}

describe('helm lint', () => {
  it.each([{ name: 'default values', values: {} }, ...MATRIX])(
    'passes --strict with $name',
    ({ values }) => {
      const run = runHelm(helm, ['lint', '--strict', CHART_DIR, ...valueArgs(values)]);
      expect(run.stderr + run.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(run.status).toBe(0);
    },
  );
});

describe('helm template', () => {
  it.each(GOLDEN_CASES)('renders $name as its golden file in test/fixtures/chart', (chartCase) => {
    // autoprobe accepts the config file the values make (parseConfigText throws, naming the problem).
    expect(configOf(render(chartCase)).mode).toMatch(/^(enforce|audit)$/);
    expectFile(
      join(ROOT, 'test', 'fixtures', 'chart', `${chartCase.name}.yaml`),
      renderChart(helm, chartCase.values),
    );
  });

  it.each(MATRIX)('fails open with a short timeout, CREATE pods only ($name)', (chartCase) => {
    const hook = webhookOf(render(chartCase));
    expect(hook).toMatchObject({
      name: 'pods.autoprobe.dev',
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      reinvocationPolicy: 'IfNeeded',
      matchPolicy: 'Equivalent',
      clientConfig: {
        service: { name: RELEASE.name, namespace: RELEASE.namespace, path: '/mutate', port: 443 },
      },
      rules: [
        {
          operations: ['CREATE'],
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          scope: 'Namespaced',
        },
      ],
    });
    expect(hook.timeoutSeconds).toBeGreaterThanOrEqual(1);
    expect(hook.timeoutSeconds).toBeLessThanOrEqual(3);
    const conditions = hook.matchConditions ?? [];
    expect(conditions.map((c) => c.name)).toEqual([
      'not-opted-out',
      'not-a-mirror-pod',
      'not-autoprobe-itself',
      'may-need-probes',
    ]);
    expect(conditions[0]?.expression).toContain(`annotations['autoprobe.dev/inject'] != 'false'`);
    expect(conditions[1]?.expression).toContain(`'kubernetes.io/config.mirror'`);
    expect(conditions[2]?.expression).toContain(
      `labels['app.kubernetes.io/instance'] != '${RELEASE.name}'`,
    );
  });

  it.each(MATRIX)(
    'selects namespaces for its scope and never the system or its own ($name)',
    (chartCase) => {
      const hook = webhookOf(render(chartCase));
      const optin = chartCase.values['config.scope'] !== 'cluster';
      expect(hook.namespaceSelector?.matchExpressions).toContainEqual(
        optin
          ? { key: 'autoprobe.dev/inject', operator: 'In', values: ['enabled'] }
          : { key: 'autoprobe.dev/inject', operator: 'NotIn', values: ['disabled'] },
      );
      expect(byNameSelector(hook)?.operator).toBe('NotIn');
      expect(byNameSelector(hook)?.values).toEqual(
        expect.arrayContaining([
          'kube-system',
          'kube-public',
          'kube-node-lease',
          RELEASE.namespace,
        ]),
      );
    },
  );

  it('excludes the namespace it is installed in, whatever it is called', () => {
    const objects = parseObjects(
      renderChart(helm, {}, { name: 'hooks', namespace: 'platform-tools' }),
    );
    const hook = find(objects, 'MutatingWebhookConfiguration').webhooks![0]!;
    expect(byNameSelector(hook)?.values).toContain('platform-tools');
    expect(hook.clientConfig.service).toMatchObject({
      name: 'hooks-autoprobe',
      namespace: 'platform-tools',
    });
    const config = configOf(objects);
    expect(config.excludedNamespaces).toContain('platform-tools');
    expect(config.server.tls.selfManaged).toMatchObject({
      secretName: 'hooks-autoprobe-tls',
      serviceName: 'hooks-autoprobe',
      webhookConfigName: 'hooks-autoprobe',
    });
  });

  it("names the webhook configuration so that the apiserver calls it before Istio's injector", () => {
    // Mutating webhooks run in name order; Istio rewrites only the probes already there.
    const hook = find(parseObjects(renderChart(helm)), 'MutatingWebhookConfiguration');
    expect((hook.metadata?.name ?? 'z') < 'istio-sidecar-injector').toBe(true);
    const late = runHelm(helm, templateArgs({}, { name: 'zeta', namespace: 'autoprobe' }));
    expect(late.status).not.toBe(0);
    expect(late.stderr).toContain('"zeta-autoprobe", which sorts after istio-sidecar-injector');
    // A cluster without Istio sidecars may name it anything.
    const none = runHelm(
      helm,
      templateArgs({ 'config.mesh': 'linkerd' }, { name: 'zeta', namespace: 'autoprobe' }),
    );
    expect(none.status).toBe(0);
  });

  it.each(MATRIX)(
    'runs three spread replicas, never fewer during a rollout or a drain ($name)',
    (chartCase) => {
      const objects = render(chartCase);
      const deployment = find(objects, 'Deployment', RELEASE.name);
      expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(3);
      expect(deployment.spec?.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
      const selector = deployment.spec?.selector.matchLabels;
      const pdb = find(objects, 'PodDisruptionBudget');
      expect(pdb.spec?.maxUnavailable).toBe(1);
      expect(pdb.spec?.selector?.matchLabels).toEqual(selector);
      const spread = podOf(objects).topologySpreadConstraints ?? [];
      expect(spread.map((c) => c.topologyKey)).toEqual([
        'kubernetes.io/hostname',
        'topology.kubernetes.io/zone',
      ]);
      for (const constraint of spread) {
        expect(constraint.labelSelector?.matchLabels).toEqual(selector);
        expect(constraint.maxSkew).toBe(1);
      }
    },
  );

  it.each(MATRIX)('locks the pod down and sizes it ($name)', (chartCase) => {
    const pod = podOf(render(chartCase));
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers).toHaveLength(1);
    const container = pod.containers[0]!;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    // The only writable path is the in-memory /tmp.
    expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir?.medium).toBe('Memory');
    const writable = (container.volumeMounts ?? []).filter((m) => m.readOnly !== true);
    expect(writable.map((m) => m.mountPath)).toEqual(['/tmp']);
    for (const probe of [
      container.startupProbe,
      container.livenessProbe,
      container.readinessProbe,
    ]) {
      expect(probe?.httpGet?.port).toBe('metrics');
    }
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.ports).toEqual([
      { name: 'https', containerPort: 8443, protocol: 'TCP' },
      { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(container.env).toContainEqual({
      name: 'POD_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
  });

  it.each(MATRIX)('gives the shutdown delay and the drain time to finish ($name)', (chartCase) => {
    const objects = render(chartCase);
    const graceMs = (podOf(objects).terminationGracePeriodSeconds ?? 0) * 1000;
    // The delay, then connections still arriving for up to once more, then the 10 s drain.
    expect(graceMs).toBeGreaterThan(2 * configOf(objects).server.shutdownDelayMs + 10_000);
  });

  it.each(MATRIX)(
    'writes a config file autoprobe accepts, matching the values ($name)',
    (chartCase) => {
      const objects = render(chartCase);
      const config = configOf(objects);
      expect(config.mode).toBe(chartCase.values['config.mode'] ?? 'enforce');
      expect(config.scope).toBe(chartCase.values['config.scope'] ?? 'optin');
      expect(config.server).toMatchObject({ port: 8443, metricsPort: 8080, host: '0.0.0.0' });
      const pod = podOf(objects);
      expect(pod.containers[0]?.args).toEqual(['--config=/etc/autoprobe/config/config.yaml']);
      expect(pod.volumes?.find((v) => v.name === 'config')?.configMap?.name).toBe(RELEASE.name);
    },
  );

  it.each(MATRIX)(
    'grants what the certificates mode uses and nothing more ($name)',
    (chartCase) => {
      const objects = render(chartCase);
      const clusterRole = find(objects, 'ClusterRole');
      const roles = objects.filter((o) => o.kind === 'Role') as unknown as V1Role[];
      const rules: V1PolicyRule[] = [
        ...(clusterRole.rules ?? []),
        ...roles.flatMap((r) => r.rules ?? []),
      ];
      for (const rule of rules) {
        expect([...rule.verbs, ...(rule.resources ?? []), ...(rule.apiGroups ?? [])]).not.toContain(
          '*',
        );
        expect(rule.verbs).not.toContain('create');
        expect(rule.verbs).not.toContain('delete');
      }
      expect(clusterRole.rules?.[0]).toEqual({
        apiGroups: [''],
        resources: ['namespaces'],
        verbs: ['get', 'list', 'watch'],
      });
      const tls = configOf(objects).server.tls;
      if ((chartCase.values['certificates.mode'] ?? 'selfManaged') !== 'selfManaged') {
        expect(clusterRole.rules).toHaveLength(1);
        expect(roles).toHaveLength(0);
        expect(tls).toEqual({
          certFile: '/etc/autoprobe/tls/tls.crt',
          keyFile: '/etc/autoprobe/tls/tls.key',
        });
        return;
      }
      const managed = tls.selfManaged!;
      expect(clusterRole.rules?.[1]).toEqual({
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['mutatingwebhookconfigurations'],
        resourceNames: [managed.webhookConfigName],
        verbs: ['get', 'patch'],
      });
      find(objects, 'MutatingWebhookConfiguration', managed.webhookConfigName);
      expect(roles.map((r) => r.rules)).toEqual([
        [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [managed.secretName],
            verbs: ['get', 'patch'],
          },
        ],
      ]);
      // The chart makes the Secret (RBAC cannot limit a create to one name), without data.
      expect(find(objects, 'Secret', managed.secretName).data).toBeUndefined();
      expect(find(objects, 'Service', managed.serviceName).spec?.ports?.[0]).toEqual({
        name: 'https',
        port: 443,
        targetPort: 'https',
        protocol: 'TCP',
      });
    },
  );

  it('injects the CA with cert-manager from the serving Certificate', () => {
    const objects = render({ name: 'certManager', values: { 'certificates.mode': 'certManager' } });
    const serving = find(objects, 'Certificate', `${RELEASE.name}-serving`);
    expect(find(objects, 'MutatingWebhookConfiguration').metadata?.annotations).toEqual({
      'cert-manager.io/inject-ca-from': `${RELEASE.namespace}/${serving.metadata.name}`,
    });
    expect(serving.spec.dnsNames).toEqual([
      'autoprobe.autoprobe.svc',
      'autoprobe.autoprobe.svc.cluster.local',
    ]);
    expect(serving.spec.privateKey).toMatchObject({ algorithm: 'ECDSA', size: 256 });
    expect(serving.spec.issuerRef).toEqual({
      name: `${RELEASE.name}-ca`,
      kind: 'Issuer',
      group: 'cert-manager.io',
    });
    const tls = podOf(objects).volumes?.find((v) => v.name === 'tls');
    expect(tls?.secret?.secretName).toBe(serving.spec.secretName);
  });

  it('serves a Secret the user provides and trusts its CA bundle', () => {
    const objects = render(GOLDEN_CASES.find((c) => c.name === 'secret')!);
    expect(webhookOf(objects).clientConfig.caBundle).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const tls = podOf(objects).volumes?.find((v) => v.name === 'tls');
    expect(tls?.secret?.secretName).toBe('autoprobe-serving');
    expect(objects.filter((o) => o.kind === 'Secret' || o.kind === 'Certificate')).toEqual([]);
  });

  it('adds a ServiceMonitor on the metrics port and the PriorityClass when asked', () => {
    const objects = render({
      name: 'extras',
      values: { 'serviceMonitor.enabled': true, priorityClassName: 'autoprobe-critical' },
    });
    expect(find(objects, 'ServiceMonitor').spec.endpoints).toEqual([
      expect.objectContaining({ port: 'metrics', path: '/metrics' }),
    ]);
    expect(find(objects, 'Service').spec?.ports?.map((p) => p.name)).toContain('metrics');
    expect(podOf(objects).priorityClassName).toBe('autoprobe-critical');
    const defaults = render({ name: 'default', values: {} });
    expect(defaults.map((o) => o.kind)).not.toContain('ServiceMonitor');
    expect(podOf(defaults).priorityClassName).toBeUndefined();
  });

  it('renders the prefilter condition exactly as the engine generates it, configured names included', () => {
    const images = [{ name: 'registry.example.com/team/pg', family: 'postgres' }];
    const mirrors = [
      { prefix: 'harbor.example.com/hub', upstream: 'docker.io' },
      { prefix: 'registry.example.com/dbs/main-cache', upstream: 'docker.io/library/redis' },
    ];
    for (const values of [{}, { 'config.images': images, 'config.mirrors': mirrors }]) {
      const condition = webhookOf(render({ name: '', values })).matchConditions?.find(
        (c) => c.name === PREFILTER_NAME,
      );
      const config = buildEngineConfig(
        Object.keys(values).length === 0 ? {} : { images: images as never, mirrors },
      );
      expect(condition?.expression).toBe(prefilterExpression(config.catalog));
    }
  });

  it('guards the webhook configuration against its own ServiceAccount in selfManaged mode only', () => {
    const policyOf = (values: Record<string, unknown>): K8sObject[] =>
      render({ name: '', values }).filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy'));
    const [policy, binding] = policyOf({}) as unknown as [
      {
        spec: {
          failurePolicy: string;
          matchConstraints: { resourceRules: { resourceNames: string[]; operations: string[] }[] };
          matchConditions: { expression: string }[];
          validations: { expression: string; message: string }[];
        };
      },
      { spec: { policyName: string; validationActions: string[] } },
    ];
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      expect.objectContaining({ resourceNames: ['autoprobe'], operations: ['UPDATE', 'DELETE'] }),
    ]);
    expect(policy.spec.matchConditions).toEqual([
      expect.objectContaining({
        expression: 'request.userInfo.username == "system:serviceaccount:autoprobe:autoprobe"',
      }),
    ]);
    expect(policy.spec.validations[0]?.message).toContain('may change only clientConfig.caBundle');
    expect(binding.spec).toEqual({
      policyName: 'autoprobe-cabundle-only',
      validationActions: ['Deny'],
    });
    expect(policyOf({ 'rbac.guardWebhookConfiguration': false })).toEqual([]);
    expect(
      policyOf({
        'certificates.mode': 'certManager',
        'certificates.certManager.issuerRef': { name: 'i' },
      }),
    ).toEqual([]);
  });

  it('admits only the apiserver to the webhook port and the named scrapers to metrics, when asked', () => {
    const policyOf = (values: Record<string, unknown>): { spec: Record<string, unknown> }[] =>
      render({ name: '', values }).filter((o) => o.kind === 'NetworkPolicy') as unknown as {
        spec: Record<string, unknown>;
      }[];
    expect(policyOf({})).toEqual([]);
    const monitoring = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    };
    const [policy] = policyOf({
      'networkPolicy.enabled': true,
      'networkPolicy.apiserverCIDRs': ['10.0.0.0/28'],
      'networkPolicy.metricsFrom': [monitoring],
    });
    expect(policy?.spec).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'autoprobe',
          'app.kubernetes.io/instance': 'autoprobe',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [{ port: 'https', protocol: 'TCP' }],
          from: [{ ipBlock: { cidr: '10.0.0.0/28' } }],
        },
        { ports: [{ port: 'metrics', protocol: 'TCP' }], from: [monitoring] },
      ],
    });
    // No source named: the webhook port stays open to all, every other port is closed.
    expect(policyOf({ 'networkPolicy.enabled': true })[0]?.spec.ingress).toEqual([
      { ports: [{ port: 'https', protocol: 'TCP' }] },
    ]);
  });

  it.each(MATRIX)('puts the recommended labels on every object ($name)', (chartCase) => {
    const objects = render(chartCase);
    const recommended = {
      'app.kubernetes.io/name': 'autoprobe',
      'app.kubernetes.io/instance': RELEASE.name,
      'app.kubernetes.io/version': expect.any(String) as unknown,
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/part-of': 'autoprobe',
      'helm.sh/chart': expect.stringMatching(/^autoprobe-\d+\.\d+\.\d+/) as unknown,
    };
    for (const object of objects) {
      expect(object.metadata.labels, `${object.kind} ${object.metadata.name}`).toMatchObject(
        recommended,
      );
    }
    expect(find(objects, 'Deployment').spec?.template.metadata?.labels).toMatchObject(recommended);
  });

  it("schedules the audit with the image's binary, and its Pods never join the webhook's Service", () => {
    const objects = render({ name: '', values: { 'auditSchedule.enabled': true } });
    const cron = objects.find((o) => o.kind === 'CronJob') as unknown as {
      spec: {
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: Record<string, string> };
              spec: { containers: { command: string[]; args: string[] }[] };
            };
          };
        };
      };
    };
    const pod = cron.spec.jobTemplate.spec.template;
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(
      readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
    );
    const serve = JSON.parse(entrypoint?.[1] ?? '[]') as string[];
    expect(pod.spec.containers[0]?.command).toEqual([...serve.slice(0, -1), 'audit']);
    expect(pod.spec.containers[0]?.args).toContain('--apply');
    const service = find(objects, 'Service').spec!.selector!;
    const selected = Object.entries(service).every(([k, v]) => pod.metadata.labels[k] === v);
    expect(selected).toBe(false);
  });

  it('rolls the pods when a restart-only setting changes, not when the live config does', () => {
    const checksum = (values: Record<string, unknown>): string | undefined =>
      find(render({ name: '', values }), 'Deployment').spec?.template.metadata?.annotations?.[
        'checksum/server-config'
      ];
    const base = checksum({});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ 'config.mode': 'audit', 'config.logLevel': 'debug' })).toBe(base);
    expect(checksum({ 'config.server.shutdownDelayMs': 8000 })).not.toBe(base);
    expect(checksum({ 'certificates.mode': 'certManager' })).not.toBe(base);
  });
});
