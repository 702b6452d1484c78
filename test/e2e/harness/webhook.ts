/**
 * @module e2e/harness/webhook — MutatingWebhookConfigurations by `url` + `caBundle` (the apiserver
 * has no cluster network to reach a Service), and the wait until one is effective.
 *
 * A new or changed configuration takes effect with a delay (kubernetes PR #78708), so
 * waitForWebhook uses the upstream marker pattern (PR #81684): it creates a server-side dry-run
 * marker Pod again and again until the answer shows the webhook's effect. Dry run stores nothing,
 * and autoprobe declares `sideEffects: None`, so dry-run requests reach it.
 *
 * Every test namespace carries the label TENANT_LABEL; a configuration selects one tenant, so the
 * configurations of different tests never see each other's Pods.
 */
import type {
  V1LabelSelector,
  V1LabelSelectorRequirement,
  V1MutatingWebhookConfiguration,
  V1Pod,
} from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { PREFILTER_NAME, prefilterExpression } from '../../../src/admission/index.js';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';
import type { Autoprobe } from './autoprobe.js';
import type { ClusterClient } from './cluster.js';
import { STATUS_ANNOTATION, SUITE_LABEL, SYSTEM_NAMESPACES, TENANT_LABEL } from './constants.js';
import { createPod } from './pods.js';

/** Options of registerWebhook. */
export interface RegisterWebhookOptions {
  /** The configuration's name; configurations are called in name order. */
  readonly name: string;
  /** `https://127.0.0.1:PORT/mutate`. */
  readonly url: string;
  /** The CA that signed the webhook's certificate, PEM (base64-encoded here, once). */
  readonly caPem: string;
  /** Builds the namespaceSelector of that scope for `tenant` (see namespaceSelectorFor). */
  readonly scope?: 'optin' | 'cluster';
  /** Required unless namespaceSelector is given. */
  readonly tenant?: string;
  /** Replaces the scope's selector entirely. */
  readonly namespaceSelector?: V1LabelSelector;
  /** More namespaces to exclude by name (e.g. autoprobe's own). */
  readonly excludeNamespaces?: readonly string[];
  readonly failurePolicy?: 'Ignore' | 'Fail';
  readonly timeoutSeconds?: number;
  readonly reinvocationPolicy?: 'IfNeeded' | 'Never';
  /**
   * The chart's image prefilter as a matchCondition (src/admission/prefilter.ts; default true):
   * Pods with no candidate container never reach autoprobe, as in production.
   */
  readonly prefilter?: boolean;
}

/** A registered configuration. */
export interface RegisteredWebhook {
  readonly name: string;
  readonly webhookName: string;
  readonly body: V1MutatingWebhookConfiguration;
  /** Deletes the configuration (a missing one is fine). */
  delete(): Promise<void>;
}

/**
 * namespaceSelectorFor is the selector of a scope, as a production registration would have it,
 * narrowed to one tenant: optin selects `autoprobe.dev/inject=enabled`; cluster selects every
 * namespace but `autoprobe.dev/inject=disabled` ones; both exclude the system namespaces by name.
 */
export function namespaceSelectorFor(
  scope: 'optin' | 'cluster',
  tenant: string,
  excludeNamespaces: readonly string[] = [],
): V1LabelSelector {
  const excluded: V1LabelSelectorRequirement = {
    key: 'kubernetes.io/metadata.name',
    operator: 'NotIn',
    values: [...SYSTEM_NAMESPACES, ...excludeNamespaces],
  };
  if (scope === 'optin') {
    return {
      matchLabels: { 'autoprobe.dev/inject': 'enabled', [TENANT_LABEL]: tenant },
      matchExpressions: [excluded],
    };
  }
  return {
    matchLabels: { [TENANT_LABEL]: tenant },
    matchExpressions: [
      excluded,
      { key: 'autoprobe.dev/inject', operator: 'NotIn', values: ['disabled'] },
    ],
  };
}

/** webhookConfiguration builds the configuration registerWebhook creates. */
export function webhookConfiguration(
  options: RegisterWebhookOptions,
): V1MutatingWebhookConfiguration {
  let selector = options.namespaceSelector;
  if (selector === undefined) {
    if (options.tenant === undefined)
      throw new Error('registerWebhook: give tenant or namespaceSelector');
    selector = namespaceSelectorFor(
      options.scope ?? 'optin',
      options.tenant,
      options.excludeNamespaces,
    );
  }
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: options.name, labels: { [SUITE_LABEL]: 'e2e' } },
    webhooks: [
      {
        // A webhook name needs at least three dot-separated parts.
        name: `pods.${options.name}.e2e.autoprobe.dev`,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: options.failurePolicy ?? 'Ignore',
        timeoutSeconds: options.timeoutSeconds ?? 2,
        reinvocationPolicy: options.reinvocationPolicy ?? 'IfNeeded',
        matchPolicy: 'Equivalent',
        clientConfig: { url: options.url, caBundle: Buffer.from(options.caPem).toString('base64') },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: selector,
        ...(options.prefilter === false
          ? {}
          : {
              matchConditions: [
                { name: PREFILTER_NAME, expression: prefilterExpression(DEFAULT_CATALOG) },
              ],
            }),
      },
    ],
  };
}

/** registerWebhook creates (or replaces) a MutatingWebhookConfiguration. */
export async function registerWebhook(
  cluster: ClusterClient,
  options: RegisterWebhookOptions,
): Promise<RegisteredWebhook> {
  const body = webhookConfiguration(options);
  await deleteWebhook(cluster, options.name);
  await cluster.admission.createMutatingWebhookConfiguration({ body });
  return {
    name: options.name,
    webhookName: body.webhooks?.[0]?.name ?? '',
    body,
    delete: () => deleteWebhook(cluster, options.name),
  };
}

async function deleteWebhook(cluster: ClusterClient, name: string): Promise<void> {
  const res = await cluster.http.request(
    'DELETE',
    `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${name}`,
  );
  if (res.status !== 200 && res.status !== 404) {
    throw new Error(`deleting webhook configuration ${name}: HTTP ${res.status}`);
  }
}

/** Options of waitForWebhook. */
export interface WaitForWebhookOptions {
  /** A namespace the configuration selects. */
  readonly namespace: string;
  /** The marker Pod (default: a postgres Pod autoprobe would inject). */
  readonly pod?: V1Pod;
  /** True once the dry-run answer shows the webhook's effect (default: autoprobe's status annotation). */
  readonly effective?: (created: V1Pod, warnings: readonly string[]) => boolean;
  readonly timeoutMs?: number;
}

/** A marker Pod that autoprobe injects in enforce mode. */
export function markerPod(): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'marker-' },
    spec: { containers: [{ name: 'db', image: 'postgres:16.4' }] },
  };
}

/** hasStatus tells whether autoprobe patched a Pod (its status annotation). */
export function hasStatus(pod: V1Pod): boolean {
  return pod.metadata?.annotations?.[STATUS_ANNOTATION] !== undefined;
}

/**
 * waitForWebhook creates dry-run marker Pods in `namespace` until one shows the webhook's effect;
 * it returns the number of markers it took and throws after the timeout (30 s).
 */
export async function waitForWebhook(
  cluster: ClusterClient,
  options: WaitForWebhookOptions,
): Promise<number> {
  const effective = options.effective ?? hasStatus;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let markers = 0;
  let last = '';
  while (Date.now() < deadline) {
    markers += 1;
    const res = await createPod(cluster, options.namespace, options.pod ?? markerPod(), {
      dryRun: true,
      expectStatus: null,
    });
    if (res.status === 201 && effective(res.pod, res.warnings)) return markers;
    last = `HTTP ${res.status}, warnings ${JSON.stringify(res.warnings)}`;
    await sleep(100);
  }
  throw new Error(
    `webhook not effective in namespace ${options.namespace} after ${markers} markers (last: ${last})`,
  );
}

/**
 * reviewBarrier makes sure every review autoprobe did before now is in its log: it sends a
 * dry-run marker Pod to `namespace` (one the registration sends to autoprobe) and waits for that
 * review's line. Lines are written in order, so a test can then assert that a Pod was NOT
 * reviewed.
 */
export async function reviewBarrier(
  cluster: ClusterClient,
  autoprobe: Autoprobe,
  namespace: string,
): Promise<void> {
  const name = `barrier-${randomBytes(4).toString('hex')}`;
  await createPod(cluster, namespace, Object.assign(markerPod(), { metadata: { name } }), {
    dryRun: true,
  });
  await autoprobe.waitForReview((r) => r.namespace === namespace && r.pod === name);
}
