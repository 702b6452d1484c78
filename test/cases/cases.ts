/**
 * The shared case table: realistic Pods and the decisions every surface must make for them.
 * Run by test/unit/core/cases.test.ts (engine), the CLI tests and the webhook tests.
 */
import type { Case } from './types.js';

const secret = (name: string, key: string): Record<string, unknown> => ({
  valueFrom: { secretKeyRef: { name, key } },
});

const pod = (
  containers: Record<string, unknown>[],
  extra: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {},
): Case['pod'] => ({
  metadata: { name: 'p', namespace: 'default', ...extra.metadata },
  spec: { containers, ...extra.spec },
});

/** V0 … Vn, each value twice the one before, and `target` set to the last: 100 × 2ⁿ bytes. */
const doublingChain = (target: string, steps: number): Record<string, unknown>[] => [
  { name: 'V0', value: 'x'.repeat(100) },
  ...Array.from({ length: steps }, (_, i) => ({ name: `V${i + 1}`, value: `$(V${i})$(V${i})` })),
  { name: target, value: `$(V${steps})` },
];

export const CASES: readonly Case[] = [
  {
    name: 'official postgres gets TCP liveness and startup and pg_isready readiness as POSTGRES_USER',
    pod: pod([
      {
        name: 'db',
        image: 'postgres:16.4',
        env: [
          { name: 'POSTGRES_USER', value: 'app' },
          { name: 'POSTGRES_PASSWORD', ...secret('db', 'password') },
        ],
        ports: [{ containerPort: 5432, name: 'postgres' }],
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 'postgres',
        readinessCommand: [
          'timeout',
          '-s',
          'KILL',
          '4',
          'pg_isready',
          '-h',
          '127.0.0.1',
          '-p',
          '5432',
          '-U',
          'app',
          '-t',
          '3',
        ],
      },
    },
  },
  {
    name: 'postgres with PGPORT and no declared port probes the env port',
    pod: pod([
      {
        name: 'db',
        image: 'docker.io/library/postgres:17-alpine',
        env: [{ name: 'PGPORT', value: '5433' }],
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 5433,
        readinessIncludes: ['-p 5433', '-U postgres'],
      },
    },
  },
  {
    name: 'postgres user from a Secret is read at probe time through sh',
    pod: pod([
      {
        name: 'db',
        image: 'postgres:15',
        env: [{ name: 'POSTGRES_USER', ...secret('db', 'user') }],
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 5432,
        readinessIncludes: ['sh -c', '-U "$POSTGRES_USER"'],
      },
    },
  },
  {
    name: 'pg_dump in the postgres image is a client and gets nothing',
    pod: pod(
      [
        {
          name: 'backup',
          image: 'postgres:16',
          command: ['pg_dump', '-h', 'db', '-f', '/out/dump.sql'],
        },
      ],
      {
        spec: { restartPolicy: 'OnFailure' },
      },
    ),
    expect: {
      backup: { family: 'postgres', action: 'skip', probes: [], reasons: ['role-client'] },
    },
  },
  {
    name: 'a postgres exporter next to its database is a negative',
    pod: pod([
      {
        name: 'db',
        image: 'bitnami/postgresql:16.4.0-debian-12-r0',
        ports: [{ containerPort: 5432, name: 'tcp-postgresql' }],
      },
      { name: 'metrics', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0' },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 'tcp-postgresql',
        readinessIncludes: ['pg_isready', '-U postgres'],
      },
      metrics: { family: null, action: 'skip', probes: [], reasons: ['image-negative'] },
    },
  },
  {
    name: 'user probes are kept and only missing kinds are added',
    pod: pod([
      {
        name: 'db',
        image: 'postgres:16',
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 3 },
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'startup'],
        reasons: ['probe-present'],
        port: 5432,
      },
    },
  },
  {
    name: 'a pod with every probe set is left alone',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7.4',
        livenessProbe: { tcpSocket: { port: 6379 } },
        readinessProbe: { tcpSocket: { port: 6379 } },
        startupProbe: { tcpSocket: { port: 6379 } },
      },
    ]),
    expect: { cache: { family: 'redis', action: 'skip', probes: [], reasons: ['probe-present'] } },
  },
  {
    name: 'redis with --requirepass from a Secret env compares PONG with REDISCLI_AUTH',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7.2-alpine',
        args: ['--requirepass', '$(REDIS_PASSWORD)'],
        env: [{ name: 'REDIS_PASSWORD', ...secret('redis', 'password') }],
      },
    ]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 6379,
        readinessIncludes: ['REDISCLI_AUTH="$REDIS_PASSWORD"', 'grep -qx PONG', '-p 6379'],
      },
    },
  },
  {
    name: 'redis with a literal password in args falls back to TCP readiness',
    pod: pod([{ name: 'cache', image: 'redis:7', args: ['--requirepass', 'hunter2'] }]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['readiness-tcp'],
        port: 6379,
      },
    },
  },
  {
    name: 'redis sentinel from the redis image is skipped',
    pod: pod([
      {
        name: 'sentinel',
        image: 'redis:7',
        command: ['redis-sentinel', '/etc/sentinel/sentinel.conf'],
      },
    ]),
    expect: { sentinel: { family: 'redis', action: 'skip', probes: [], reasons: ['role-side'] } },
  },
  {
    name: 'redis-server --sentinel is a sentinel too',
    pod: pod([
      { name: 's', image: 'redis:7', args: ['redis-server', '/conf/s.conf', '--sentinel'] },
    ]),
    expect: { s: { family: 'redis', action: 'skip', probes: [], reasons: ['role-side'] } },
  },
  {
    name: 'redis with a config file and no declared port is ambiguous',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7',
        args: ['redis-server', '/usr/local/etc/redis/redis.conf'],
      },
    ]),
    expect: { cache: { family: 'redis', action: 'skip', probes: [], reasons: ['port-ambiguous'] } },
  },
  {
    name: 'redis with a config file and a declared port uses the port and TCP readiness',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7',
        args: ['redis-server', '/usr/local/etc/redis/redis.conf'],
        ports: [{ containerPort: 6379, name: 'redis' }],
      },
    ]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 'redis',
        reasons: ['readiness-tcp'],
      },
    },
  },
  {
    name: 'mysql gets mysqladmin ping over TCP',
    pod: pod([
      {
        name: 'mysql',
        image: 'mysql:8.4',
        env: [{ name: 'MYSQL_ROOT_PASSWORD', ...secret('m', 'p') }],
      },
    ]),
    expect: {
      mysql: {
        family: 'mysql',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 3306,
        readinessCommand: [
          'timeout',
          '-s',
          'KILL',
          '4',
          'mysqladmin',
          'ping',
          '-h',
          '127.0.0.1',
          '-P',
          '3306',
          '--connect-timeout=3',
        ],
      },
    },
  },
  {
    name: 'mariadb 11 uses mariadb-admin, never mysqladmin',
    pod: pod([{ name: 'm', image: 'mariadb:11.4' }]),
    expect: {
      m: {
        family: 'mariadb',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessCommand: [
          'timeout',
          '-s',
          'KILL',
          '4',
          'mariadb-admin',
          'ping',
          '-h',
          '127.0.0.1',
          '-P',
          '3306',
          '--connect-timeout=3',
        ],
      },
    },
  },
  {
    name: 'mariadb 10.3 uses mysqladmin',
    pod: pod([{ name: 'm', image: 'mariadb:10.3' }]),
    expect: {
      m: {
        family: 'mariadb',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['mysqladmin ping'],
      },
    },
  },
  {
    name: 'mariadb latest picks the tool at run time',
    pod: pod([{ name: 'm', image: 'mariadb:latest' }]),
    expect: {
      m: {
        family: 'mariadb',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['command -v mariadb-admin', 'mysqladmin'],
      },
    },
  },
  {
    name: 'rabbitmq gets TCP readiness and startup and no liveness',
    pod: pod([
      {
        name: 'mq',
        image: 'rabbitmq:3.13-management',
        ports: [{ containerPort: 5672, name: 'amqp' }],
      },
    ]),
    expect: {
      mq: {
        family: 'rabbitmq',
        action: 'inject',
        probes: ['readiness', 'startup'],
        port: 'amqp',
        reasons: ['liveness-not-recommended'],
      },
    },
  },
  {
    name: 'kafka KRaft broker is probed on its client listener',
    pod: pod([
      {
        name: 'kafka',
        image: 'apache/kafka:3.9.0',
        env: [
          { name: 'KAFKA_PROCESS_ROLES', value: 'broker,controller' },
          { name: 'KAFKA_LISTENERS', value: 'PLAINTEXT://:19092,CONTROLLER://:9093' },
          { name: 'KAFKA_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
        ],
      },
    ]),
    expect: {
      kafka: {
        family: 'kafka',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 19092,
      },
    },
  },
  {
    name: 'kafka controller-only node is probed on its controller listener',
    pod: pod([
      {
        name: 'controller',
        image: 'bitnami/kafka:3.9',
        env: [
          { name: 'KAFKA_CFG_PROCESS_ROLES', value: 'controller' },
          { name: 'KAFKA_CFG_LISTENERS', value: 'CONTROLLER://:9093' },
          { name: 'KAFKA_CFG_CONTROLLER_LISTENER_NAMES', value: 'CONTROLLER' },
        ],
        ports: [{ containerPort: 9093, name: 'controller' }],
      },
    ]),
    expect: {
      controller: {
        family: 'kafka',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 'controller',
      },
    },
  },
  {
    name: 'kafka topic provisioning with the kafka image is a client',
    pod: pod(
      [
        {
          name: 'provision',
          image: 'bitnami/kafka:3.9',
          command: [
            '/bin/bash',
            '-c',
            'kafka-topics.sh --create --topic t --bootstrap-server kafka:9092',
          ],
        },
      ],
      { spec: { restartPolicy: 'OnFailure' } },
    ),
    expect: {
      provision: { family: 'kafka', action: 'skip', probes: [], reasons: ['role-client'] },
    },
  },
  {
    name: 'mongo 7 uses mongosh; mongo 4.4 the legacy shell',
    pod: pod([
      { name: 'new', image: 'mongo:7.0', args: ['--replSet', 'rs0', '--bind_ip_all'] },
      { name: 'old', image: 'mongo:4.4.29', args: ['--port', '27018'] },
    ]),
    expect: {
      new: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 27017,
        readinessIncludes: ['mongosh', "db.adminCommand('ping')"],
      },
      old: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 27018,
        readinessIncludes: ['mongo --quiet', '--port 27018'],
      },
    },
  },
  {
    name: 'mongod --shardsvr listens on 27018',
    pod: pod([
      {
        name: 'shard',
        image: 'mongo:8.0',
        args: ['--shardsvr', '--replSet', 'sh0', '--bind_ip_all'],
      },
    ]),
    expect: {
      shard: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 27018,
      },
    },
  },
  {
    name: 'init containers and a backup sidecar get nothing',
    pod: pod(
      [
        { name: 'db', image: 'mysql:8.4' },
        {
          name: 'backup',
          image: 'mysql:8.4',
          command: [
            'sh',
            '-c',
            'while true; do mysqldump -h 127.0.0.1 --all-databases > /b/all.sql; sleep 3600; done',
          ],
        },
      ],
      {
        spec: {
          initContainers: [
            { name: 'init', image: 'mysql:8.4', command: ['mysql', '-e', 'select 1'] },
          ],
        },
      },
    ),
    expect: {
      db: { family: 'mysql', action: 'inject', probes: ['liveness', 'readiness', 'startup'] },
      backup: { family: 'mysql', action: 'skip', probes: [], reasons: ['role-client'] },
      init: { family: null, action: 'skip', probes: [], reasons: ['init-container'] },
    },
  },
  {
    name: 'the pod opt-out annotation skips every container',
    pod: pod([{ name: 'db', image: 'postgres:16' }], {
      metadata: { annotations: { 'autoprobe.dev/inject': 'false' } },
    }),
    expect: { db: { family: 'postgres', action: 'skip', probes: [], reasons: ['pod-opted-out'] } },
  },
  {
    name: 'CloudNativePG pods are operator-managed',
    pod: pod([{ name: 'postgres', image: 'postgres:16' }], {
      metadata: { labels: { 'cnpg.io/cluster': 'pg' } },
    }),
    expect: {
      postgres: { family: 'postgres', action: 'skip', probes: [], reasons: ['operator-managed'] },
    },
  },
  {
    name: 'a custom image with a family annotation gets TCP probes',
    pod: pod(
      [
        {
          name: 'pg',
          image: 'registry.example.com:5000/team/pg-custom:1.2',
          ports: [{ containerPort: 5432 }],
        },
      ],
      {
        metadata: { annotations: { 'autoprobe.dev/family': 'pg=postgres' } },
      },
    ),
    expect: {
      pg: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 5432,
        reasons: ['family-override', 'readiness-tcp'],
      },
    },
  },
  {
    name: 'annotations choose probes, port and timings; invalid values are ignored',
    pod: pod(
      [{ name: 'db', image: 'postgres:16', ports: [{ containerPort: 6543, name: 'pgx' }] }],
      {
        metadata: {
          annotations: {
            'autoprobe.dev/port': 'db=pgx',
            'autoprobe.dev/probes': 'db=readiness+startup',
            'autoprobe.dev/timings':
              'db.startup.failureThreshold=720,db.readiness.periodSeconds=zero',
          },
        },
      },
    ),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['readiness', 'startup'],
        port: 'pgx',
        readinessIncludes: ['-p 6543'],
        reasons: ['probe-disabled'],
      },
    },
  },
  {
    name: 'an uppercase image is not a valid reference',
    pod: pod([{ name: 'db', image: 'Postgres:16' }]),
    expect: { db: { family: null, action: 'skip', probes: [], reasons: ['image-unparseable'] } },
  },
  {
    name: 'mirrors and registry ports are resolved, substrings never match',
    pod: pod([
      { name: 'a', image: 'mirror.gcr.io/library/redis:7.4' },
      { name: 'b', image: 'public.ecr.aws/docker/library/postgres:16@sha256:' + 'a'.repeat(64) },
      { name: 'c', image: 'localhost:5000/postgres:16' },
      { name: 'd', image: 'docker.io/myorg/postgres-tools:1' },
    ]),
    expect: {
      a: { family: 'redis', action: 'inject', probes: ['liveness', 'readiness', 'startup'] },
      b: { family: 'postgres', action: 'inject', probes: ['liveness', 'readiness', 'startup'] },
      // A catalog name on a registry that is not a configured mirror: skipped, with the hint.
      c: { family: null, action: 'skip', probes: [], reasons: ['image-lookalike'] },
      d: { family: null, action: 'skip', probes: [], reasons: ['image-not-in-catalog'] },
    },
  },
  {
    name: 'a Job pod with restartPolicy Never gets readiness only',
    pod: pod([{ name: 'db', image: 'postgres:16' }], { spec: { restartPolicy: 'Never' } }),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['restart-policy-never'],
      },
    },
  },
  {
    name: 'mysql with --skip-networking has no TCP listener and gets nothing',
    pod: pod([{ name: 'm', image: 'mysql:8.4', args: ['--skip-networking'] }]),
    expect: { m: { family: 'mysql', action: 'skip', probes: [], reasons: ['no-tcp-listener'] } },
  },
  {
    name: 'bitnami secure images get TCP readiness (no shell guaranteed)',
    pod: pod([{ name: 'r', image: 'bitnamisecure/redis:latest' }]),
    expect: {
      r: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['readiness-tcp'],
      },
    },
  },
  {
    name: 'a service-link-looking env value is not a port',
    pod: pod([
      {
        name: 'r',
        image: 'bitnami/redis:7.2',
        env: [{ name: 'REDIS_PORT', value: 'tcp://10.0.0.7:6379' }],
      },
    ]),
    expect: {
      r: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 6379,
      },
    },
  },
  {
    name: 'a native sidecar database is probed; a plain init container is not',
    pod: pod([{ name: 'app', image: 'nginx:1.27' }], {
      spec: { initContainers: [{ name: 'cache', image: 'redis:7.4', restartPolicy: 'Always' }] },
    }),
    expect: {
      app: { family: null, action: 'skip', probes: [], reasons: ['image-not-in-catalog'] },
      cache: { family: 'redis', action: 'inject', probes: ['liveness', 'readiness', 'startup'] },
    },
  },

  // The long tail (issue #11): every shape below was seen in real manifests or reproduced.
  {
    name: "Argo CD's redis: --requirepass $(REDIS_PASSWORD) as one args item gets an authenticated PING",
    pod: pod([
      {
        name: 'redis',
        image: 'public.ecr.aws/docker/library/redis:7.2.7-alpine',
        args: ['--save', '', '--appendonly', 'no', '--requirepass $(REDIS_PASSWORD)'],
        env: [{ name: 'REDIS_PASSWORD', ...secret('argocd-redis', 'auth') }],
        ports: [{ containerPort: 6379 }],
      },
    ]),
    expect: {
      redis: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 6379,
        readinessIncludes: ['export REDISCLI_AUTH="$REDIS_PASSWORD"', 'grep -qx PONG'],
      },
    },
  },
  {
    name: 'a password flag in any form, in args or in a sh -c script, is read the same way',
    pod: pod([
      {
        name: 'eq',
        image: 'redis:7.4',
        args: ['--requirepass=$(PASS)'],
        env: [{ name: 'PASS', ...secret('r', 'p') }],
      },
      {
        name: 'script',
        image: 'redis:7.4',
        command: [
          'sh',
          '-c',
          'mkdir -p /data/x; exec redis-server --port 6380 --masterauth "$PASS"',
        ],
        env: [{ name: 'PASS', ...secret('r', 'p') }],
      },
      { name: 'acl', image: 'redis:7.4', args: ['--aclfile', '/etc/redis/users.acl'] },
      { name: 'literal', image: 'redis:7.4', args: ['--masterauth', 'hunter2'] },
    ]),
    expect: {
      eq: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['REDISCLI_AUTH="$PASS"'],
      },
      script: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 6380,
        readinessIncludes: ['REDISCLI_AUTH="$PASS"', '-p 6380'],
      },
      acl: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['readiness-tcp'],
      },
      literal: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['readiness-tcp'],
      },
    },
  },
  {
    name: 'a family override reads the argv through wrappers: numactl mongod --configsvr is probed on 27019',
    pod: pod(
      [
        {
          name: 'cfg',
          image: 'registry.example.com/dba/mongod-numa:7.0',
          command: ['numactl', '--interleave=all', 'mongod', '--configsvr', '--replSet', 'cfg'],
        },
      ],
      { metadata: { annotations: { 'autoprobe.dev/family': 'cfg=mongo' } } },
    ),
    expect: {
      cfg: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 27019,
        reasons: ['family-override', 'readiness-tcp'],
      },
    },
  },
  {
    name: 'liveness asked for alone is vetoed by the safety gate: never a liveness without a startup probe',
    pod: pod([{ name: 'db', image: 'postgres:16' }], {
      metadata: { annotations: { 'autoprobe.dev/probes': 'db=liveness' } },
    }),
    expect: {
      db: {
        family: 'postgres',
        action: 'skip',
        probes: [],
        reasons: ['veto-liveness-without-startup'],
      },
    },
  },
  {
    name: 'a startup budget cut below the recovery minimum is vetoed, and the liveness behind it',
    pod: pod([{ name: 'db', image: 'postgres:16' }], {
      metadata: { annotations: { 'autoprobe.dev/timings': 'db.startup.failureThreshold=10' } },
    }),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['veto-startup-budget', 'veto-liveness-without-startup'],
      },
    },
  },
  {
    name: 'a port annotation that contradicts the args is vetoed',
    pod: pod([{ name: 'cache', image: 'redis:7.4', args: ['--port', '6380'] }], {
      metadata: { annotations: { 'autoprobe.dev/port': 'cache=6379' } },
    }),
    expect: {
      cache: { family: 'redis', action: 'skip', probes: [], reasons: ['veto-port-mismatch'] },
    },
  },
  {
    name: 'Patroni, Galera and repmgr servers get readiness only',
    pod: pod([
      {
        name: 'patroni',
        image: 'timescale/timescaledb-ha:pg16',
        command: ['/timescaledb_entrypoint.sh'],
        env: [
          { name: 'PATRONI_SCOPE', value: 'demo' },
          { name: 'PATRONI_POSTGRESQL_LISTEN', value: '0.0.0.0:5432' },
        ],
        ports: [{ containerPort: 5432, name: 'postgresql' }],
      },
      {
        name: 'galera',
        image: 'mariadb:11.4',
        args: ['--wsrep-on=ON', '--wsrep-cluster-address=gcomm://galera-0,galera-1'],
      },
      { name: 'bn-galera', image: 'bitnami/mariadb-galera:11.4' },
      { name: 'repmgr', image: 'bitnami/postgresql-repmgr:16' },
    ]),
    expect: {
      patroni: {
        family: 'postgres',
        action: 'inject',
        probes: ['readiness'],
        port: 'postgresql',
        reasons: ['ha-managed'],
        readinessIncludes: ['pg_isready', '-p 5432'],
      },
      galera: {
        family: 'mariadb',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['ha-managed'],
      },
      'bn-galera': {
        family: 'mariadb',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['ha-managed'],
      },
      repmgr: {
        family: 'postgres',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['ha-managed'],
      },
    },
  },
  {
    name: 'servers behind exec wrappers and start scripts are read through',
    pod: pod([
      {
        name: 'mongo',
        image: 'mongo:7.0',
        command: ['numactl', '--interleave=all', 'mongod', '--bind_ip_all', '--port', '27020'],
      },
      {
        name: 'redis',
        image: 'redis:7.4',
        command: ['ionice', '-c', '2', 'redis-server', '--port', '6390'],
      },
      {
        name: 'mysql',
        image: 'mysql:8.4',
        command: [
          'setpriv',
          '--reuid=999',
          '--regid=999',
          '--init-groups',
          'mysqld',
          '--port=3307',
        ],
      },
      {
        name: 'pg',
        image: 'postgres:16',
        command: [
          'sh',
          '-c',
          'export PGDATA=/data/pg; mkdir -p "$PGDATA"; exec docker-entrypoint.sh postgres -p 5433',
        ],
      },
    ]),
    expect: {
      mongo: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 27020,
      },
      redis: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 6390,
      },
      mysql: {
        family: 'mysql',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 3307,
        readinessIncludes: ['-P 3307'],
      },
      pg: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 5433,
        readinessIncludes: ['-p 5433'],
      },
    },
  },
  {
    name: 'a script that cannot be read is skipped and says what it could not read',
    pod: pod([{ name: 'r', image: 'redis:7.4', command: ['sh', '-c', 'eval "$START_REDIS"'] }]),
    expect: { r: { family: 'redis', action: 'skip', probes: [], reasons: ['role-unknown'] } },
  },
  {
    name: 'the official redis image started with only a config path is a server (its entrypoint adds redis-server)',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7.4',
        args: ['/usr/local/etc/redis/redis.conf'],
        ports: [{ containerPort: 6379, name: 'redis' }],
      },
    ]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        port: 'redis',
        reasons: ['readiness-tcp'],
      },
    },
  },
  {
    name: "Oracle's MySQL images are MySQL, with mysqladmin over TCP",
    pod: pod([
      { name: 'hub', image: 'mysql/mysql-server:8.0' },
      { name: 'ocr', image: 'container-registry.oracle.com/mysql/community-server:8.4' },
    ]),
    expect: {
      hub: {
        family: 'mysql',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['mysqladmin ping -h 127.0.0.1 -P 3306'],
      },
      ocr: { family: 'mysql', action: 'inject', probes: ['liveness', 'readiness', 'startup'] },
    },
  },
  {
    name: 'a catalog image on a registry that is not a configured mirror is a lookalike, with the mirrors hint',
    pod: pod([
      { name: 'a', image: 'harbor.example.com/mariadb:10.6' },
      { name: 'b', image: 'registry.local:5000/postgresql:16' },
    ]),
    expect: {
      a: { family: null, action: 'skip', probes: [], reasons: ['image-lookalike'] },
      b: { family: null, action: 'skip', probes: [], reasons: ['image-lookalike'] },
    },
  },
  {
    name: 'a password that only a secret injector resolves is never passed to an exec probe',
    pod: pod([
      {
        name: 'cache',
        image: 'bitnami/redis:7.2',
        env: [{ name: 'REDIS_PASSWORD', value: 'vault:secret/data/redis#password' }],
      },
    ]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['readiness-tcp'],
      },
    },
  },

  // Meshes and secret injectors (issue #13): every probe must mean what it says there.
  {
    name: 'Linkerd by pod annotation: TCP checks are made from inside the container, exec readiness stays',
    pod: pod([{ name: 'db', image: 'postgres:16' }], {
      metadata: { annotations: { 'linkerd.io/inject': 'enabled' } },
    }),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-in-container'],
        readinessIncludes: ['pg_isready'],
        livenessIncludes: ['bash -c exec 3<>/dev/tcp/127.0.0.1/5432'],
      },
    },
  },
  {
    name: 'Linkerd by namespace annotation: no tcpSocket probe either',
    pod: pod([
      { name: 'mq', image: 'rabbitmq:3.13', ports: [{ containerPort: 5672, name: 'amqp' }] },
    ]),
    namespace: { annotations: { 'linkerd.io/inject': 'enabled' }, cliMesh: 'linkerd' },
    expect: {
      mq: {
        family: 'rabbitmq',
        action: 'inject',
        probes: ['readiness', 'startup'],
        reasons: ['mesh-in-container'],
        readinessIncludes: ['/dev/tcp/127.0.0.1/5672'],
      },
    },
  },
  {
    name: 'Linkerd as a native-sidecar proxy: an Alpine Redis without bash gets exec readiness only',
    pod: pod([{ name: 'cache', image: 'redis:7.4-alpine' }], {
      spec: {
        initContainers: [
          {
            name: 'linkerd-proxy',
            image: 'cr.l5d.io/linkerd/proxy:edge-25.1.1',
            restartPolicy: 'Always',
          },
        ],
      },
    }),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['readiness'],
        reasons: ['mesh-tcp-withheld'],
        readinessIncludes: ['redis-cli', 'grep -qx PONG'],
      },
      'linkerd-proxy': {
        family: null,
        action: 'skip',
        probes: [],
        reasons: ['image-not-in-catalog'],
      },
    },
  },
  {
    name: 'Linkerd as a linkerd-proxy container: in-container checks for MongoDB',
    pod: pod([
      { name: 'mongo', image: 'mongo:7.0', args: ['--bind_ip_all'] },
      { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable-2.14.10' },
    ]),
    expect: {
      mongo: {
        family: 'mongo',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-in-container'],
        readinessIncludes: ['mongosh'],
        livenessIncludes: ['/dev/tcp/127.0.0.1/27017'],
      },
    },
  },
  {
    name: 'Istio before injection rewrites TCP probes, so they stay tcpSocket',
    pod: pod([{ name: 'db', image: 'mysql:8.4' }]),
    namespace: { labels: { 'istio-injection': 'enabled' }, cliMesh: 'istio' },
    expect: {
      db: {
        family: 'mysql',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-detected'],
        port: 3306,
      },
    },
  },
  {
    name: 'Istio already injected (istio-proxy present): no rewrite, so checks from inside the container',
    pod: pod(
      [
        { name: 'db', image: 'mariadb:11.4' },
        { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' },
      ],
      {
        metadata: { annotations: { 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}' } },
      },
    ),
    expect: {
      db: {
        family: 'mariadb',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-in-container'],
        livenessIncludes: ['/dev/tcp/127.0.0.1/3306'],
      },
    },
  },
  {
    name: 'Istio with the probe rewrite turned off: checks from inside the container',
    pod: pod([{ name: 'kafka', image: 'apache/kafka:3.9.0' }], {
      metadata: {
        labels: { 'sidecar.istio.io/inject': 'true' },
        annotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'false' },
      },
    }),
    expect: {
      kafka: {
        family: 'kafka',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-in-container'],
        readinessIncludes: ['/dev/tcp/127.0.0.1/9092'],
      },
    },
  },
  {
    name: 'Istio ambient mode does not intercept kubelet probes: tcpSocket stays',
    pod: pod([{ name: 'db', image: 'postgres:16' }]),
    namespace: { labels: { 'istio.io/dataplane-mode': 'ambient' }, cliMesh: 'ambient' },
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['mesh-detected'],
        port: 5432,
      },
    },
  },
  {
    name: "every secret injector's reference syntax keeps the password out of exec probes",
    pod: pod(
      [
        ['vault', 'vault:secret/data/redis#password'],
        ['dynamic', '>>vault:database/creds/redis#password'],
        ['inline', 'prefix-${vault:secret/data/redis#password}'],
        ['bao', 'bao:secret/data/redis#password'],
        ['aws', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-AbCdEf'],
        ['gcp', 'gcp:secretmanager:projects/p/secrets/redis/versions/1'],
        ['onepassword', 'op://prod/redis/password'],
        ['akv', 'redis-password@azurekeyvault'],
      ].map(([name, value]) => ({
        name,
        image: 'bitnami/redis:7.2',
        env: [{ name: 'REDIS_PASSWORD', value }],
      })),
    ),
    expect: Object.fromEntries(
      ['vault', 'dynamic', 'inline', 'bao', 'aws', 'gcp', 'onepassword', 'akv'].map((name) => [
        name,
        {
          family: 'redis',
          action: 'inject',
          probes: ['liveness', 'readiness', 'startup'],
          reasons: ['readiness-tcp'],
        },
      ]),
    ),
  },
  // Bounded work and the kubelet's $(VAR) expansion (issue #12).
  {
    name: 'a $(VAR) chain doubling into POSTGRES_USER (a 1 KB Pod that made a 26 MB patch) reads the user at run time',
    pod: pod([{ name: 'db', image: 'postgres:16', env: doublingChain('POSTGRES_USER', 18) }]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['value-too-large'],
        readinessIncludes: ['-U "$POSTGRES_USER"'],
      },
    },
  },
  {
    name: 'redis --requirepass from a doubling chain gets TCP readiness (the password is too large to read)',
    pod: pod([
      {
        name: 'cache',
        image: 'redis:7',
        args: ['--requirepass', '$(V18)'],
        env: doublingChain('REDIS_PASSWORD', 18),
      },
    ]),
    expect: {
      cache: {
        family: 'redis',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        reasons: ['value-too-large', 'readiness-tcp'],
      },
    },
  },
  {
    name: 'POSTGRES_USER built from an envFrom variable is read at run time, not as the text $(APP_USER)',
    pod: pod([
      {
        name: 'db',
        image: 'postgres:16',
        envFrom: [{ configMapRef: { name: 'app' } }],
        env: [{ name: 'POSTGRES_USER', value: '$(APP_USER)' }],
        // envFrom may set PGPORT: a declared port confirms where the server listens.
        ports: [{ containerPort: 5432 }],
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['-U "$POSTGRES_USER"'],
      },
    },
  },
  {
    name: "a user name holding $(TEAM) after $$ escaping is read at run time, out of the kubelet's probe-time expansion",
    pod: pod([
      {
        name: 'db',
        image: 'postgres:16',
        env: [
          { name: 'TEAM', value: 'x' },
          { name: 'POSTGRES_USER', value: 'app$$(TEAM)' },
        ],
      },
    ]),
    expect: {
      db: {
        family: 'postgres',
        action: 'inject',
        probes: ['liveness', 'readiness', 'startup'],
        readinessIncludes: ['-U "$POSTGRES_USER"'],
      },
    },
  },
  {
    name: 'a Pod with more containers than autoprobe reviews is left alone',
    pod: pod(Array.from({ length: 65 }, (_, i) => ({ name: `db${i}`, image: 'postgres:16' }))),
    expect: {},
  },
];
