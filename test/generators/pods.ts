/**
 * fast-check generators of realistic and hostile Pods: every catalog image, negatives, mirrors,
 * server/client/sentinel commands, port settings, secrets, existing probes, annotations.
 * Shared by the engine properties and the webhook fuzzing.
 */
import fc from 'fast-check';
import { DEFAULT_CATALOG } from '../../src/core/index.js';

const catalogImages = DEFAULT_CATALOG.images.flatMap((v) => v.names);
const negativeImages = DEFAULT_CATALOG.negatives.flatMap((n) => n.names);

const tag = fc.constantFrom(
  '',
  ':latest',
  ':16',
  ':7.4.1',
  ':10.3',
  ':11.4',
  ':4.4',
  ':8.0-debian-12-r1',
  ':pg16',
  ':lts',
);
const digest = fc.constantFrom('', `@sha256:${'c'.repeat(64)}`);
const shortName = (name: string): string =>
  name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');

export const imageArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...catalogImages), tag, digest, fc.boolean())
      .map(([n, t, d, short]) => `${short ? shortName(n) : n}${t}${d}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...negativeImages) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'nginx:1.27',
      'localhost:5000/postgres:16',
      'mirror.gcr.io/library/redis:7',
      'Postgres:16',
      '',
      'busybox',
    ),
  },
);

const portNumber = fc.oneof(
  fc.constantFrom(5432, 6379, 3306, 5672, 9092, 27017, 27018, 9093),
  fc.integer({ min: 1, max: 65535 }),
);
const portName = fc.constantFrom(
  'postgres',
  'redis',
  'mysql',
  'amqp',
  'client',
  'controller',
  'mongodb',
  'metrics',
  'http',
);

const envEntry = fc.oneof(
  fc.record({
    name: fc.constantFrom(
      'PGPORT',
      'POSTGRESQL_PORT_NUMBER',
      'REDIS_PORT_NUMBER',
      'REDIS_PORT',
      'MYSQL_TCP_PORT',
      'RABBITMQ_NODE_PORT',
      'MONGODB_PORT_NUMBER',
    ),
    value: fc.oneof(
      portNumber.map(String),
      fc.constantFrom('tcp://10.0.0.1:6379', 'abc', '0', '70000', ''),
    ),
  }),
  fc.record({
    name: fc.constantFrom(
      'POSTGRES_USER',
      'REDIS_PASSWORD',
      'REDIS_PASSWORD_FILE',
      'REDISCLI_AUTH',
      'MYSQL_ROOT_PASSWORD',
      'ALLOW_EMPTY_PASSWORD',
    ),
    value: fc.string({ maxLength: 12 }),
  }),
  fc.record({
    name: fc.constantFrom('POSTGRES_USER', 'REDIS_PASSWORD', 'PGPORT', 'KAFKA_LISTENERS'),
    valueFrom: fc.constant({ secretKeyRef: { name: 's', key: 'k' } }),
  }),
  fc.record({
    name: fc.constantFrom('KAFKA_LISTENERS', 'KAFKA_CFG_LISTENERS'),
    value: fc.constantFrom(
      'PLAINTEXT://:9092,CONTROLLER://:9093',
      'PLAINTEXT://localhost:9092',
      'CONTROLLER://:9093',
      'garbage',
    ),
  }),
  fc.record({
    name: fc.constantFrom('KAFKA_PROCESS_ROLES', 'KAFKA_CFG_PROCESS_ROLES'),
    value: fc.constantFrom('broker', 'controller', 'broker,controller'),
  }),
  fc.record({
    name: fc.constantFrom('REDIS_TLS_ENABLED', 'MONGODB_EXTRA_FLAGS'),
    value: fc.constantFrom('yes', 'no', '--tlsMode requireTLS'),
  }),
);

const argv = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string[]>(
      ['--port', '5433'],
      ['-p', '6380'],
      ['--shardsvr'],
      ['--bind_ip', '127.0.0.1'],
      ['--skip-networking'],
      ['-c', 'port=5434'],
      ['--requirepass', '$(REDIS_PASSWORD)'],
      ['--requirepass', 'secret'],
      ['/etc/redis/redis.conf'],
      ['--sentinel'],
      ['--tls-port', '6380', '--port', '0'],
      ['--tlsMode', 'requireTLS'],
    ),
  },
);
const command = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string[]>(
      ['pg_dump', 'x'],
      ['redis-sentinel'],
      ['mongosh'],
      ['sh', '-c', 'exec docker-entrypoint.sh postgres'],
      ['sh', '-c', 'mongod --fork; mongorestore /d'],
      ['/custom/start.sh'],
      ['docker-entrypoint.sh', 'mysqld'],
      ['kafka-topics.sh', '--list'],
      ['sleep', 'infinity'],
    ),
  },
);

/** rarely yields a value one time in `every`, undefined otherwise. */
function rarely<T>(arb: fc.Arbitrary<T>, every = 5): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: every - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: arb },
  );
}

const tcpProbe = fc.record({
  tcpSocket: fc.record({ port: portNumber }),
  periodSeconds: fc.integer({ min: 1, max: 30 }),
});

export const containerArb = (name: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record(
      {
        image: imageArb,
        command,
        args: argv,
        env: fc.array(envEntry, { maxLength: 4 }),
        ports: fc.array(
          fc.record({
            containerPort: portNumber,
            name: fc.option(portName, { nil: undefined }),
            protocol: fc.constantFrom(undefined, 'TCP', 'UDP'),
          }),
          { maxLength: 3 },
        ),
        livenessProbe: rarely(tcpProbe, 6),
        readinessProbe: rarely(tcpProbe, 6),
        startupProbe: rarely(tcpProbe, 6),
        volumeMounts: rarely(
          fc.constantFrom(
            [{ name: 'c', mountPath: '/etc/mysql/conf.d' }],
            [{ name: 'd', mountPath: '/data' }],
          ),
          3,
        ),
        unknownField: rarely(fc.constant({ kept: true }), 5),
      },
      { requiredKeys: ['image'] },
    )
    .map((c) => ({ name, ...dropUndefined(c), ports: uniquePortNames(c.ports ?? []) }));

const annotationValue = fc.constantFrom(
  'false',
  'true',
  'db=postgres',
  'c0=redis',
  'c0=5433',
  'c0=client',
  'c0=readiness+startup',
  'c0=none',
  'readiness.periodSeconds=3',
  'c0.startup.failureThreshold=9',
  'c0=exec',
  'c0=tcp',
  'nonsense',
  'c9=1',
  'enabled',
);
const annotations = fc.dictionary(
  fc.constantFrom(
    'autoprobe.dev/inject',
    'autoprobe.dev/family',
    'autoprobe.dev/port',
    'autoprobe.dev/probes',
    'autoprobe.dev/readiness',
    'autoprobe.dev/timings',
    'autoprobe.dev/unknown',
    'linkerd.io/inject',
    'other/x',
  ),
  annotationValue,
  { maxKeys: 3 },
);

/** podArb generates a Pod (metadata + spec) with 1–4 containers, init containers and sidecars. */
export const podArb: fc.Arbitrary<{
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}> = fc
  .record({
    count: fc.integer({ min: 1, max: 4 }),
    init: fc.integer({ min: 0, max: 2 }),
    annotations: rarely(annotations, 2),
    labels: rarely(
      fc.constantFrom(
        { app: 'x' },
        { 'cnpg.io/cluster': 'c' },
        { 'app.kubernetes.io/managed-by': 'Helm' },
      ),
      6,
    ),
    restartPolicy: fc.constantFrom(undefined, 'Always', 'OnFailure', 'Never'),
  })
  .chain((p) =>
    fc
      .tuple(
        fc.tuple(...Array.from({ length: p.count }, (_, i) => containerArb(`c${i}`))),
        fc.tuple(
          ...Array.from({ length: p.init }, (_, i) =>
            containerArb(`i${i}`).chain((c) =>
              fc.constantFrom(c, { ...c, restartPolicy: 'Always' }),
            ),
          ),
        ),
      )
      .map(([containers, initContainers]) => ({
        metadata: dropUndefined({ name: 'p', annotations: p.annotations, labels: p.labels }),
        spec: dropUndefined({
          containers,
          initContainers: initContainers.length > 0 ? initContainers : undefined,
          restartPolicy: p.restartPolicy,
        }),
      })),
  );

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function uniquePortNames(
  ports: readonly {
    containerPort: number;
    name?: string | undefined;
    protocol?: string | undefined;
  }[],
): Record<string, unknown>[] {
  const seen = new Set<string>();
  return ports.map((p) => {
    const named = p.name !== undefined && !seen.has(p.name);
    if (named && p.name !== undefined) seen.add(p.name);
    return dropUndefined({
      containerPort: p.containerPort,
      name: named ? p.name : undefined,
      protocol: p.protocol,
    });
  });
}
