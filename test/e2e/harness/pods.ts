/**
 * @module e2e/harness/pods — namespaces, Pods and what autoprobe wrote into them: create a
 * namespace with a unique name (namespaces never finish deleting here: no namespace controller),
 * create a Pod with the raw client so the response's `Warning` headers are read, and one realistic
 * Pod per family autoprobe knows.
 */
import { randomBytes } from 'node:crypto';
import type {
  V1Container,
  V1EnvVar,
  V1Namespace,
  V1ObjectMeta,
  V1Pod,
  V1Probe,
} from '@kubernetes/client-node';
import type { ClusterClient } from './cluster.js';
import { STATUS_ANNOTATION, SUITE_LABEL, TENANT_LABEL } from './constants.js';

/** The probe fields of a container, by kind. */
export const PROBE_FIELDS = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
} as const;

/** A probe kind. */
export type ProbeKind = keyof typeof PROBE_FIELDS;

/** Options of createNamespace. */
export interface CreateNamespaceOptions {
  /** The name starts with this (a random suffix makes it unique). */
  readonly prefix: string;
  /** The exact name instead (it must be unique: a namespace never finishes deleting here). */
  readonly name?: string;
  /** The webhook configuration tenant (see webhook.TENANT_LABEL). */
  readonly tenant?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** uniqueName appends a random suffix to a prefix (the result is a valid namespace name). */
export function uniqueName(prefix: string): string {
  return `${prefix.slice(0, 50)}-${randomBytes(4).toString('hex')}`;
}

/** createNamespace creates a uniquely named namespace and returns its name. */
export async function createNamespace(
  cluster: ClusterClient,
  options: CreateNamespaceOptions,
): Promise<string> {
  const name = options.name ?? uniqueName(options.prefix);
  const body: V1Namespace = {
    metadata: {
      name,
      labels: {
        [SUITE_LABEL]: 'e2e',
        ...(options.tenant === undefined ? {} : { [TENANT_LABEL]: options.tenant }),
        ...options.labels,
      },
      ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }),
    },
  };
  await cluster.core.createNamespace({ body });
  return name;
}

/** patchNamespaceLabels sets (string) or removes (null) labels with a JSON merge patch. */
export async function patchNamespaceLabels(
  cluster: ClusterClient,
  name: string,
  labels: Readonly<Record<string, string | null>>,
): Promise<void> {
  const res = await cluster.http.request('PATCH', `/api/v1/namespaces/${name}`, {
    body: { metadata: { labels } },
    contentType: 'application/merge-patch+json',
  });
  if (res.status !== 200)
    throw new Error(`patching namespace ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

/** The apiserver's answer to a Pod create. */
export interface CreatedPod {
  readonly status: number;
  /** The Pod as the apiserver returned it (stored, or as it would be for a dry run). */
  readonly pod: V1Pod;
  /** Admission warnings from the `Warning` headers. */
  readonly warnings: readonly string[];
  readonly durationMs: number;
  /** The raw body (a Status on failure). */
  readonly body: unknown;
}

/** Options of createPod. */
export interface CreatePodOptions {
  /** Server-side dry run (`dryRun=All`). */
  readonly dryRun?: boolean;
  /** The HTTP status to insist on (default 201); null accepts any. */
  readonly expectStatus?: number | null;
}

/** createPod POSTs a Pod and returns the answer with its warnings. */
export async function createPod(
  cluster: ClusterClient,
  namespace: string,
  pod: V1Pod,
  options: CreatePodOptions = {},
): Promise<CreatedPod> {
  const res = await cluster.http.request<V1Pod>('POST', `/api/v1/namespaces/${namespace}/pods`, {
    body: Object.assign({ apiVersion: 'v1', kind: 'Pod' }, pod),
    ...(options.dryRun === true ? { query: { dryRun: 'All' } } : {}),
  });
  const want = options.expectStatus === undefined ? 201 : options.expectStatus;
  if (want !== null && res.status !== want) {
    throw new Error(
      `creating pod in ${namespace}: HTTP ${res.status}, expected ${want}: ${JSON.stringify(res.body)}`,
    );
  }
  return {
    status: res.status,
    pod: res.body,
    warnings: res.warnings,
    durationMs: res.durationMs,
    body: res.body,
  };
}

/** readPod reads a stored Pod. */
export async function readPod(
  cluster: ClusterClient,
  namespace: string,
  name: string,
): Promise<V1Pod> {
  return cluster.core.readNamespacedPod({ namespace, name });
}

/** probesOf lists the probe kinds a container has. */
export function probesOf(container: V1Container | undefined): ProbeKind[] {
  if (container === undefined) return [];
  return (Object.keys(PROBE_FIELDS) as ProbeKind[]).filter(
    (k) => container[PROBE_FIELDS[k]] !== undefined,
  );
}

/** probe reads one probe of a container. */
export function probe(container: V1Container | undefined, kind: ProbeKind): V1Probe | undefined {
  return container?.[PROBE_FIELDS[kind]];
}

/** containerOf finds a container by name (regular containers). */
export function containerOf(pod: V1Pod, name: string): V1Container | undefined {
  return pod.spec?.containers.find((c) => c.name === name);
}

/** The parsed `autoprobe.dev/status` annotation, or undefined when there is none. */
export interface StatusAnnotation {
  readonly containers: Readonly<
    Record<string, { readonly family: string; readonly probes: readonly string[] }>
  >;
}

/** statusOf parses the status annotation (throws when it is there but not valid JSON). */
export function statusOf(pod: V1Pod): StatusAnnotation | undefined {
  const raw = pod.metadata?.annotations?.[STATUS_ANNOTATION];
  return raw === undefined ? undefined : (JSON.parse(raw) as StatusAnnotation);
}

/** A Pod with one container. */
export function podWith(
  name: string,
  container: V1Container,
  metadata: Omit<V1ObjectMeta, 'name'> = {},
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: Object.assign({ name }, metadata),
    spec: { containers: [container] },
  };
}

/** A realistic server Pod of one family and the probes autoprobe adds to it. */
export interface FamilyPod {
  readonly family: string;
  readonly pod: V1Pod;
  /** The container autoprobe injects. */
  readonly container: string;
  readonly probes: readonly ProbeKind[];
}

const ALL: readonly ProbeKind[] = ['liveness', 'readiness', 'startup'];

/** One realistic Pod per family (the engine's catalog; shapes from test/cases). */
export function familyPods(): FamilyPod[] {
  const secretEnv = (name: string, key: string): V1EnvVar[] => [
    { name, valueFrom: { secretKeyRef: { name: 'creds', key } } },
  ];
  return [
    {
      family: 'postgres',
      container: 'db',
      probes: ALL,
      pod: podWith('postgres', {
        name: 'db',
        image: 'postgres:16.4',
        env: [{ name: 'POSTGRES_USER', value: 'app' }, ...secretEnv('POSTGRES_PASSWORD', 'pw')],
        ports: [{ containerPort: 5432, name: 'postgres' }],
      }),
    },
    {
      family: 'redis',
      container: 'cache',
      probes: ALL,
      pod: podWith('redis', {
        name: 'cache',
        image: 'redis:7.4',
        ports: [{ containerPort: 6379, name: 'redis' }],
      }),
    },
    {
      family: 'rabbitmq',
      container: 'mq',
      // RabbitMQ's maintainers advise against a liveness probe.
      probes: ['readiness', 'startup'],
      pod: podWith('rabbitmq', {
        name: 'mq',
        image: 'rabbitmq:3.13-management',
        ports: [{ containerPort: 5672, name: 'amqp' }],
      }),
    },
    {
      family: 'mysql',
      container: 'mysql',
      probes: ALL,
      pod: podWith('mysql', {
        name: 'mysql',
        image: 'mysql:8.4',
        env: secretEnv('MYSQL_ROOT_PASSWORD', 'root'),
        ports: [{ containerPort: 3306, name: 'mysql' }],
      }),
    },
    {
      family: 'mariadb',
      container: 'mariadb',
      probes: ALL,
      pod: podWith('mariadb', { name: 'mariadb', image: 'mariadb:11.4' }),
    },
    {
      family: 'kafka',
      container: 'kafka',
      probes: ALL,
      pod: podWith('kafka', {
        name: 'kafka',
        image: 'apache/kafka:3.9.0',
        env: [
          { name: 'KAFKA_PROCESS_ROLES', value: 'broker,controller' },
          { name: 'KAFKA_LISTENERS', value: 'PLAINTEXT://:19092,CONTROLLER://:9093' },
          { name: 'KAFKA_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
        ],
      }),
    },
    {
      family: 'mongo',
      container: 'mongo',
      probes: ALL,
      pod: podWith('mongo', {
        name: 'mongo',
        image: 'mongo:7.0',
        args: ['--replSet', 'rs0', '--bind_ip_all'],
      }),
    },
  ];
}
