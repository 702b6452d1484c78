/**
 * @module bench/corpus — realistic AdmissionReviews for the benchmark, the soak and the fuzzer's
 * seeds, generated deterministically from a seed.
 *
 * A review is what the apiserver sends for a Pod CREATE: the v1 envelope (uid, kind, resource,
 * userInfo, options) and the Pod as it stands after defaulting, with the `managedFields` entry the
 * apiserver adds before admission (create.go runs the field manager before mutating admission).
 * Containers carry what charts put there: ports, env (literal and secret refs), resources,
 * volume mounts, a security context, and the defaulted fields. Real Pods average 10–20 KB and
 * reach 70 KB (webhook-practices §1.1); this corpus spans 2 KB (one container) to ~70 KB
 * (50 containers), with the seven families, negatives (exporters, poolers, plain apps), pods that
 * already have probes, pods autoprobe already patched, operator-managed pods, opted-out pods,
 * sidecars (regular and native `restartPolicy: Always` init containers) and init containers.
 *
 * Run directly to write the corpus to the git-ignored cache: `tsx bench/corpus.ts [--seed N]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './lib/prng.js';
import type { Rng } from './lib/prng.js';

type Json = Record<string, unknown>;

/** The kinds of Pod in the mixed corpus. */
export const ARCHETYPES = [
  'bare',
  'db-single',
  'db-with-sidecars',
  'app',
  'probed',
  'repatched',
  'operator',
  'opted-out',
  'many',
  'excluded-namespace',
] as const;
/** One of ARCHETYPES. */
export type Archetype = (typeof ARCHETYPES)[number];

/** One review of the corpus, serialised. */
export interface CorpusEntry {
  readonly uid: string;
  readonly archetype: Archetype;
  /** Entries of `spec.containers`. */
  readonly containers: number;
  /** Entries of `spec.initContainers`. */
  readonly initContainers: number;
  /** The AdmissionReview JSON. */
  readonly body: string;
  /** UTF-8 size of `body`. */
  readonly bytes: number;
}

/** How often each archetype appears in the mixed corpus (relative weights). */
export const ARCHETYPE_WEIGHTS: readonly (readonly [Archetype, number])[] = [
  ['bare', 5],
  ['db-single', 20],
  ['db-with-sidecars', 20],
  ['app', 12],
  ['probed', 10],
  ['repatched', 5],
  ['operator', 5],
  ['opted-out', 3],
  ['many', 15],
  ['excluded-namespace', 5],
];

/** The default seed of every generated set. */
export const DEFAULT_SEED = 20_260_601;

const FAMILY_IMAGES: Readonly<Record<string, readonly string[]>> = {
  postgres: [
    'postgres:16.4',
    'postgres:17.2-bookworm',
    'docker.io/bitnami/postgresql:16.4.0-debian-12-r9',
    'timescale/timescaledb:2.17.2-pg16',
    'pgvector/pgvector:pg16',
    'postgis/postgis:16-3.4',
  ],
  redis: [
    'redis:7.4.1',
    'redis:7.2-alpine',
    'docker.io/bitnami/redis:7.4.1-debian-12-r2',
    'redis/redis-stack-server:7.4.0-v1',
  ],
  mysql: ['mysql:8.4.3', 'mysql:8.0.40', 'docker.io/bitnami/mysql:8.4.3-debian-12-r4'],
  mariadb: ['mariadb:11.4.4', 'mariadb:10.11', 'docker.io/bitnami/mariadb:11.4.4-debian-12-r1'],
  rabbitmq: [
    'rabbitmq:3.13-management',
    'rabbitmq:4.0.4',
    'docker.io/bitnami/rabbitmq:4.0.4-debian-12-r1',
  ],
  kafka: [
    'apache/kafka:3.9.0',
    'docker.io/bitnami/kafka:3.9.0-debian-12-r3',
    'confluentinc/cp-kafka:7.7.1',
  ],
  mongo: ['mongo:7.0.15', 'mongo:8.0.3', 'docker.io/bitnami/mongodb:7.0.15-debian-12-r2'],
};
const FAMILIES = Object.keys(FAMILY_IMAGES);

const FAMILY_PORTS: Readonly<Record<string, readonly [string, number][]>> = {
  postgres: [['postgresql', 5432]],
  redis: [['redis', 6379]],
  mysql: [['mysql', 3306]],
  mariadb: [['mysql', 3306]],
  rabbitmq: [
    ['amqp', 5672],
    ['management', 15672],
    ['epmd', 4369],
  ],
  kafka: [
    ['client', 9092],
    ['controller', 9093],
  ],
  mongo: [['mongodb', 27017]],
};

const FAMILY_ENV: Readonly<Record<string, readonly string[]>> = {
  postgres: ['POSTGRES_USER', 'POSTGRES_DB', 'PGDATA', 'POSTGRES_INITDB_ARGS'],
  redis: ['REDIS_REPLICATION_MODE', 'REDIS_TLS_ENABLED', 'ALLOW_EMPTY_PASSWORD'],
  mysql: ['MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_ROOT_HOST'],
  mariadb: ['MARIADB_DATABASE', 'MARIADB_USER', 'MARIADB_AUTO_UPGRADE'],
  rabbitmq: ['RABBITMQ_DEFAULT_USER', 'RABBITMQ_NODENAME', 'RABBITMQ_USE_LONGNAME'],
  kafka: ['KAFKA_NODE_ID', 'KAFKA_PROCESS_ROLES', 'KAFKA_CONTROLLER_QUORUM_VOTERS'],
  mongo: ['MONGO_INITDB_DATABASE', 'MONGODB_REPLICA_SET_MODE', 'MONGODB_ADVERTISED_HOSTNAME'],
};

const FAMILY_SECRETS: Readonly<Record<string, string>> = {
  postgres: 'POSTGRES_PASSWORD',
  redis: 'REDIS_PASSWORD',
  mysql: 'MYSQL_ROOT_PASSWORD',
  mariadb: 'MARIADB_ROOT_PASSWORD',
  rabbitmq: 'RABBITMQ_DEFAULT_PASS',
  kafka: 'KAFKA_CLUSTER_ID',
  mongo: 'MONGO_INITDB_ROOT_PASSWORD',
};

const EXPORTERS: readonly [string, number][] = [
  ['quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 9187],
  ['docker.io/oliver006/redis_exporter:v1.66.0', 9121],
  ['docker.io/prom/mysqld-exporter:v0.16.0', 9104],
  ['docker.io/percona/mongodb_exporter:0.42.0', 9216],
  ['docker.io/danielqsj/kafka-exporter:v1.8.0', 9308],
  ['docker.io/bitnami/pgbouncer:1.23.1-debian-12-r5', 6432],
];

const APPS: readonly string[] = [
  'registry.example.com/shop/orders-api:1.42.0',
  'registry.example.com/shop/payments:2.7.3',
  'ghcr.io/acme/catalog-service:v3.1.4',
  'nginx:1.27.2',
  'docker.io/grafana/grafana:11.3.0',
  'registry.example.com/platform/gateway:0.19.8',
];

const SIDECARS: readonly [string, string][] = [
  ['istio-proxy', 'docker.io/istio/proxyv2:1.23.2'],
  ['fluent-bit', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9'],
  ['cloud-sql-proxy', 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0'],
  ['vault-agent', 'hashicorp/vault:1.18.1'],
];

/** Probes the way charts write them: the pod already has them, autoprobe must leave them alone. */
const USER_PROBES: Json = {
  livenessProbe: {
    tcpSocket: { port: 'db' },
    initialDelaySeconds: 30,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
    successThreshold: 1,
  },
  readinessProbe: {
    exec: { command: ['/bin/sh', '-c', 'exec pg_isready -U "postgres" -h 127.0.0.1 -p 5432'] },
    initialDelaySeconds: 5,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
    successThreshold: 1,
  },
};

/** Generation state of one Pod. */
interface PodContext {
  readonly r: Rng;
  readonly app: string;
  readonly volumes: Json[];
  /** Fewer env entries and a shorter security context (large test-harness Pods, `kubectl run`). */
  readonly lean: boolean;
}

function securityContext(r: Rng): Json {
  return {
    runAsUser: r.pick([999, 1001, 70, 65532]),
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: r.chance(0.3),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function resources(r: Rng): Json {
  const cpu = r.pick(['100m', '250m', '500m', '1', '2']);
  const memory = r.pick(['128Mi', '256Mi', '512Mi', '1Gi', '4Gi']);
  return { requests: { cpu, memory }, limits: { memory } };
}

function secretEnv(name: string, secret: string, key: string): Json {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function fieldEnv(name: string, path: string): Json {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } };
}

/** defaulted adds the fields the apiserver defaults on every container. */
function defaulted(container: Json, ctx: PodContext): Json {
  const token = `kube-api-access-${ctx.r.hex(5)}`;
  if (!ctx.volumes.some((v) => String(v.name).startsWith('kube-api-access-'))) {
    ctx.volumes.push(projectedToken(token));
  }
  const tokenVolume = String(
    ctx.volumes.find((v) => String(v.name).startsWith('kube-api-access-'))?.name,
  );
  const mounts = Array.isArray(container.volumeMounts) ? (container.volumeMounts as Json[]) : [];
  return {
    ...container,
    volumeMounts: [
      ...mounts,
      {
        name: tokenVolume,
        readOnly: true,
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function projectedToken(name: string): Json {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [
              {
                path: 'namespace',
                fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
              },
            ],
          },
        },
      ],
    },
  };
}

function dbContainer(ctx: PodContext, family: string, name: string): Json {
  const { r } = ctx;
  const image = r.pick(FAMILY_IMAGES[family] ?? []);
  const volume = `${name}-data`;
  if (!ctx.lean) {
    ctx.volumes.push({
      name: volume,
      persistentVolumeClaim: { claimName: `${ctx.app}-${volume}` },
    });
  }
  const names = FAMILY_ENV[family] ?? [];
  const env: Json[] = (ctx.lean ? names.slice(0, 1) : names).map((e, i) => ({
    name: e,
    value: i === 0 ? ctx.app : r.pick(['yes', 'no', '1', `${ctx.app}-${r.hex(4)}`]),
  }));
  env.push(secretEnv(FAMILY_SECRETS[family] ?? 'PASSWORD', `${ctx.app}-auth`, 'password'));
  if (!ctx.lean) {
    env.push(fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_IP', 'status.podIP'));
  }
  const container: Json = {
    name,
    image,
    ports: (FAMILY_PORTS[family] ?? []).map(([port, number]) => ({
      name: port,
      containerPort: number,
      protocol: 'TCP',
    })),
    env,
    resources: ctx.lean ? { requests: { cpu: '100m', memory: '128Mi' } } : resources(r),
    ...(ctx.lean
      ? {}
      : {
          volumeMounts: [
            { name: volume, mountPath: '/var/lib/data' },
            { name: 'config', mountPath: '/etc/config', readOnly: true },
          ],
          securityContext: securityContext(r),
        }),
  };
  if (family === 'kafka' && image.startsWith('apache/')) {
    env.push({ name: 'KAFKA_LISTENERS', value: 'PLAINTEXT://:9092,CONTROLLER://:9093' });
  }
  if (family === 'redis' && r.chance(0.3)) {
    container.args = ['--appendonly', 'yes', '--requirepass', '$(REDIS_PASSWORD)'];
  }
  return defaulted(container, ctx);
}

function exporterContainer(ctx: PodContext, name: string): Json {
  const [image, port] = ctx.r.pick(EXPORTERS);
  return defaulted(
    {
      name,
      image,
      ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }],
      env: [
        secretEnv('DATA_SOURCE_PASS', `${ctx.app}-auth`, 'password'),
        { name: 'DATA_SOURCE_URI', value: `127.0.0.1/${ctx.app}?sslmode=disable` },
      ],
      resources: resources(ctx.r),
      securityContext: securityContext(ctx.r),
      livenessProbe: { httpGet: { path: '/', port: 'metrics', scheme: 'HTTP' }, periodSeconds: 10 },
    },
    ctx,
  );
}

function appContainer(ctx: PodContext, name: string): Json {
  const { r } = ctx;
  const env: Json[] = Array.from({ length: ctx.lean ? 1 : r.int(4, 10) }, (_, i) => ({
    name: `APP_SETTING_${i}`,
    value: r.pick(['true', 'false', 'info', `https://api.example.com/v${i}`, r.hex(12)]),
  }));
  env.push(secretEnv('DATABASE_URL', `${ctx.app}-db`, 'url'));
  return defaulted(
    {
      name,
      image: r.pick(APPS),
      args: ['--config', '/etc/config/app.yaml', `--port=${r.pick([8080, 8081, 3000])}`],
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'admin', containerPort: 9090, protocol: 'TCP' },
      ],
      env,
      resources: resources(r),
      volumeMounts: [{ name: 'config', mountPath: '/etc/config', readOnly: true }],
      securityContext: securityContext(r),
      readinessProbe: { httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' } },
    },
    ctx,
  );
}

function sidecarContainer(ctx: PodContext, name: string, native: boolean): Json {
  const [base, image] = ctx.r.pick(SIDECARS);
  const container: Json = {
    name: name === '' ? base : name,
    image,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--log_as_json'],
    ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
    env: [
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
      ...(ctx.lean
        ? []
        : [
            fieldEnv('POD_NAME', 'metadata.name'),
            fieldEnv('INSTANCE_IP', 'status.podIP'),
            { name: 'PROXY_CONFIG', value: '{"holdApplicationUntilProxyStarts":true}' },
            { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
          ]),
    ],
    resources: resources(ctx.r),
    ...(ctx.lean ? {} : { securityContext: securityContext(ctx.r) }),
  };
  if (native) container.restartPolicy = 'Always';
  return defaulted(container, ctx);
}

function initContainer(ctx: PodContext, name: string): Json {
  return defaulted(
    {
      name,
      image: 'docker.io/library/busybox:1.37',
      command: ['/bin/sh', '-ec', 'chown -R 1001:1001 /var/lib/data && echo ready'],
      resources: resources(ctx.r),
      securityContext: { runAsUser: 0 },
    },
    ctx,
  );
}

/** The contents of one Pod before the envelope: which containers, and metadata hints. */
interface PodShape {
  /** `bare` is a Pod as `kubectl run` makes it: no chart labels, affinity or annotations. */
  readonly bare?: boolean;
  readonly containers: readonly Json[];
  readonly initContainers: readonly Json[];
  readonly labels?: Json;
  readonly annotations?: Json;
}

function shapeOf(ctx: PodContext, archetype: Archetype, count: number): PodShape {
  const family = ctx.r.pick(FAMILIES);
  switch (archetype) {
    case 'bare':
      return bareShape(ctx, family);
    case 'db-single':
    case 'excluded-namespace':
    case 'opted-out':
    case 'operator':
      return singleShape(ctx, archetype, family);
    case 'db-with-sidecars':
      return sidecarsShape(ctx, count, family);
    case 'app':
      return {
        containers: Array.from({ length: count }, (_, i) =>
          i === 1 ? sidecarContainer(ctx, '', false) : appContainer(ctx, `app-${i}`),
        ),
        initContainers: ctx.r.chance(0.3) ? [initContainer(ctx, 'migrate')] : [],
      };
    case 'probed':
    case 'repatched':
      return probedShape(ctx, archetype, count, family);
    case 'many':
      return manyShape(ctx, count);
  }
}

/** bareShape is a Pod as `kubectl run --image` makes it. */
function bareShape(ctx: PodContext, family: string): PodShape {
  const image = ctx.r.pick(FAMILY_IMAGES[family] ?? []);
  const container = defaulted({ name: family, image, resources: {} }, ctx);
  return { bare: true, containers: [container], initContainers: [] };
}

function singleShape(ctx: PodContext, archetype: Archetype, family: string): PodShape {
  return {
    containers: [dbContainer(ctx, family, family)],
    initContainers: ctx.r.chance(0.4) ? [initContainer(ctx, 'init-permissions')] : [],
    ...(archetype === 'operator' ? { labels: { 'cnpg.io/cluster': ctx.app } } : {}),
    ...(archetype === 'opted-out' ? { annotations: { 'autoprobe.dev/inject': 'false' } } : {}),
  };
}

function sidecarsShape(ctx: PodContext, count: number, family: string): PodShape {
  return {
    containers: [
      dbContainer(ctx, family, family),
      ...Array.from({ length: count - 1 }, (_, i) =>
        i === 0 ? exporterContainer(ctx, 'metrics') : sidecarContainer(ctx, `side-${i}`, false),
      ),
    ],
    initContainers: [
      ...(ctx.r.chance(0.5) ? [initContainer(ctx, 'init-permissions')] : []),
      ...(ctx.r.chance(0.3) ? [sidecarContainer(ctx, 'native-proxy', true)] : []),
    ],
  };
}

function probedShape(
  ctx: PodContext,
  archetype: 'probed' | 'repatched',
  count: number,
  family: string,
): PodShape {
  const db = dbContainer(ctx, family, family);
  const probed: Json =
    archetype === 'probed'
      ? { ...db, ...structuredClone(USER_PROBES) }
      : {
          ...db,
          startupProbe: { tcpSocket: { port: 5432 }, periodSeconds: 10, failureThreshold: 90 },
          livenessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 10, failureThreshold: 6 },
          readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 5, failureThreshold: 3 },
        };
  return {
    containers: [
      probed,
      ...Array.from({ length: count - 1 }, (_, i) => exporterContainer(ctx, `metrics-${i}`)),
    ],
    initContainers: [],
    ...(archetype === 'repatched'
      ? {
          annotations: {
            'autoprobe.dev/status': `${family}=${family}:liveness+readiness+startup`,
          },
        }
      : {}),
  };
}

/** manyShape is a large Pod: database servers of every family with exporters and apps between. */
function manyShape(ctx: PodContext, count: number): PodShape {
  const containers = Array.from({ length: count }, (_, i) => {
    const slot = i % 10;
    if (slot < 7)
      return dbContainer(ctx, FAMILIES[(i + slot) % FAMILIES.length] ?? 'redis', `c${i}`);
    if (slot === 7) return exporterContainer(ctx, `c${i}`);
    if (slot === 8) return appContainer(ctx, `c${i}`);
    return sidecarContainer(ctx, `c${i}`, false);
  });
  return { containers, initContainers: [] };
}

/** fieldsOf renders the `fieldsV1` of a managedFields entry for `value`, as the apiserver does. */
function fieldsOf(value: unknown, key = ''): Json {
  if (Array.isArray(value)) {
    const keyed = value.every((v) => typeof v === 'object' && v !== null && 'name' in v);
    if (!keyed || key === 'args' || key === 'command') return {};
    const out: Json = {};
    for (const item of value as Json[]) {
      out[`k:{"name":${JSON.stringify(item.name)}}`] = { '.': {}, ...fieldsOf(item) };
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return {};
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) out[`f:${k}`] = fieldsOf(v, k);
  return out;
}

function podOf(ctx: PodContext, shape: PodShape, namespace: string): Json {
  const { r } = ctx;
  const hash = r.hex(9);
  const spec: Json = {
    ...(shape.initContainers.length > 0 ? { initContainers: shape.initContainers } : {}),
    containers: shape.containers,
    volumes: shape.bare
      ? ctx.volumes
      : [
          { name: 'config', configMap: { name: `${ctx.app}-config`, defaultMode: 420 } },
          ...ctx.volumes,
        ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: shape.bare ? 'default' : ctx.app,
    serviceAccount: shape.bare ? 'default' : ctx.app,
    securityContext: shape.bare ? {} : { fsGroup: 1001, fsGroupChangePolicy: 'OnRootMismatch' },
    ...(shape.bare ? {} : { affinity: antiAffinity(ctx.app) }),
    schedulerName: 'default-scheduler',
    tolerations: ['not-ready', 'unreachable'].map((condition) => ({
      key: `node.kubernetes.io/${condition}`,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    })),
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  const metadata: Json = shape.bare
    ? { name: ctx.app, namespace, labels: { run: ctx.app } }
    : chartMetadata(ctx, shape, namespace, hash);
  const manager = shape.bare ? 'kubectl-run' : 'kube-controller-manager';
  metadata.managedFields = [
    {
      manager,
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-06-01T12:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': fieldsOf(metadata), 'f:spec': fieldsOf(spec) },
    },
  ];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function chartMetadata(ctx: PodContext, shape: PodShape, namespace: string, hash: string): Json {
  const { r } = ctx;
  return {
    generateName: `${ctx.app}-${hash}-`,
    namespace,
    labels: {
      'app.kubernetes.io/name': ctx.app,
      'app.kubernetes.io/instance': `${ctx.app}-prod`,
      'app.kubernetes.io/component': 'primary',
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': `${ctx.app}-${r.int(1, 16)}.${r.int(0, 9)}.${r.int(0, 20)}`,
      'pod-template-hash': hash,
      ...shape.labels,
    },
    annotations: {
      'checksum/config': r.hex(64),
      'prometheus.io/scrape': 'true',
      'kubectl.kubernetes.io/default-container': String(shape.containers[0]?.name),
      ...shape.annotations,
    },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: `${ctx.app}-${hash}`,
        uid: uuid(r),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
}

function antiAffinity(app: string): Json {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 1,
          podAffinityTerm: {
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': app } },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  };
}

function uuid(r: Rng): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** reviewOf wraps a Pod in the AdmissionReview the apiserver sends for its CREATE. */
export function reviewOf(pod: Json, uid: string, namespace: string): Json {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace,
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        uid: 'b5b9d1a9-0c1e-4e8e-8f5a-0e5b1c2d3e4f',
        groups: [
          'system:serviceaccounts',
          'system:serviceaccounts:kube-system',
          'system:authenticated',
        ],
      },
      object: pod,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

function countFor(r: Rng, archetype: Archetype): number {
  switch (archetype) {
    case 'db-with-sidecars':
      return r.int(2, 5);
    case 'app':
    case 'probed':
    case 'repatched':
      return r.int(1, 4);
    case 'many':
      return r.weighted([
        [r.int(6, 10), 50],
        [r.int(11, 25), 35],
        [r.int(26, 50), 15],
      ]);
    default:
      return 1;
  }
}

/** entry generates the review of one Pod. */
function entry(r: Rng, index: number, archetype: Archetype, count: number): CorpusEntry {
  const app = r.pick(['orders', 'billing', 'catalog', 'search', 'sessions', 'events', 'ledger']);
  const lean = archetype === 'bare' || archetype === 'many';
  const ctx: PodContext = { r, app: `${app}-${r.hex(4)}`, volumes: [], lean };
  const shape = shapeOf(ctx, archetype, count);
  const namespace =
    archetype === 'excluded-namespace' ? 'kube-system' : `team-${r.pick(['a', 'b', 'c', 'd'])}`;
  const uid = `${uuid(r).slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
  const body = JSON.stringify(reviewOf(podOf(ctx, shape, namespace), uid, namespace));
  return {
    uid,
    archetype,
    containers: shape.containers.length,
    initContainers: shape.initContainers.length,
    body,
    bytes: Buffer.byteLength(body),
  };
}

/**
 * The archetypes of a cluster-wide install without the prefilter: about nine Pods in ten run no
 * engine at all (applications with their sidecars and init containers), the rest as in the mix.
 */
export const CLUSTER_MIX_WEIGHTS: readonly (readonly [Archetype, number])[] = [
  ['app', 88],
  ['db-single', 4],
  ['db-with-sidecars', 3],
  ['bare', 2],
  ['probed', 2],
  ['many', 1],
];

/** mixedCorpus is `count` reviews with the archetype mix of `weights` (ARCHETYPE_WEIGHTS). */
export function mixedCorpus(
  count: number,
  seed = DEFAULT_SEED,
  weights: readonly (readonly [Archetype, number])[] = ARCHETYPE_WEIGHTS,
): CorpusEntry[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const archetype = r.weighted(weights);
    return entry(r, i, archetype, countFor(r, archetype));
  });
}

/** clusterMixCorpus is `count` reviews with the cluster's mix (CLUSTER_MIX_WEIGHTS). */
export function clusterMixCorpus(count: number, seed = DEFAULT_SEED): CorpusEntry[] {
  return mixedCorpus(count, seed + 1, CLUSTER_MIX_WEIGHTS);
}

/** fixedCorpus is `count` reviews of Pods with exactly `containers` containers (no init). */
export function fixedCorpus(containers: number, count: number, seed = DEFAULT_SEED): CorpusEntry[] {
  const r = rng(seed + containers);
  return Array.from({ length: count }, (_, i) => entry(r, i, 'many', containers));
}

/** Summary figures of a corpus. */
export interface CorpusStats {
  readonly reviews: number;
  readonly minBytes: number;
  readonly medianBytes: number;
  readonly meanBytes: number;
  readonly maxBytes: number;
  readonly minContainers: number;
  readonly maxContainers: number;
  readonly archetypes: Readonly<Record<string, number>>;
}

/** corpusStats summarises a corpus for the report. */
export function corpusStats(corpus: readonly CorpusEntry[]): CorpusStats {
  const bytes = corpus.map((e) => e.bytes).sort((a, b) => a - b);
  const containers = corpus.map((e) => e.containers);
  const archetypes: Record<string, number> = {};
  for (const e of corpus) archetypes[e.archetype] = (archetypes[e.archetype] ?? 0) + 1;
  return {
    reviews: corpus.length,
    minBytes: bytes[0] ?? 0,
    medianBytes: bytes[Math.floor(bytes.length / 2)] ?? 0,
    meanBytes: Math.round(bytes.reduce((a, b) => a + b, 0) / Math.max(1, bytes.length)),
    maxBytes: bytes[bytes.length - 1] ?? 0,
    minContainers: Math.min(...containers),
    maxContainers: Math.max(...containers),
    archetypes,
  };
}

/** The git-ignored directory generated files go to. */
export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--seed');
  const seed = at > 0 ? Number(process.argv[at + 1]) : DEFAULT_SEED;
  const corpus = mixedCorpus(2000, seed);
  const file = join(CACHE_DIR, `corpus-${seed}.jsonl`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, corpus.map((e) => e.body).join('\n') + '\n');
  process.stdout.write(`${JSON.stringify(corpusStats(corpus), null, 2)}\n${file}\n`);
}
