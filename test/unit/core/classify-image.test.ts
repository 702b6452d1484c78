// Classification: every catalog variant, the negatives, mirrors and tricky references.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, buildEngineConfig, classifyImage } from '../../../src/core/index.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function classify(image: string): string {
  const c = classifyImage(image, DEFAULT_CATALOG);
  switch (c.kind) {
    case 'match':
      return `${c.variant.family}/${c.variant.variant}@${c.version?.text ?? '?'}`;
    case 'negative':
      return `negative:${c.entry.category}`;
    case 'unknown':
      return 'unknown';
    case 'invalid':
      return 'invalid';
  }
}

describe('classifyImage recognises every family and variant', () => {
  it.each([
    ['postgres:16.4', 'postgres/official@16.4'],
    ['postgres:17-alpine3.20', 'postgres/official@17'],
    ['postgis/postgis:16-3.4', 'postgres/postgis@16'],
    ['timescale/timescaledb:2.17.2-pg17', 'postgres/timescaledb@17'],
    ['timescale/timescaledb-ha:pg16', 'postgres/timescaledb-ha@16'],
    ['pgvector/pgvector:0.8.0-pg17', 'postgres/pgvector@17'],
    ['pgvector/pgvector:pg16', 'postgres/pgvector@16'],
    ['bitnami/postgresql:16.4.0-debian-12-r0', 'postgres/bitnami@16.4.0'],
    ['bitnamilegacy/postgresql:15', 'postgres/bitnami@15'],
    ['bitnamisecure/postgresql:latest', 'postgres/bitnami-secure@?'],
    ['bitnami/postgresql-repmgr:16', 'postgres/bitnami-repmgr@16'],
    ['redis:7.4.1-bookworm', 'redis/official@7.4.1'],
    ['redis/redis-stack-server:7.4.0-v1', 'redis/redis-stack@7.4.0'],
    ['bitnami/redis:7.2', 'redis/bitnami@7.2'],
    ['bitnami/redis-cluster:7.2', 'redis/bitnami-cluster@7.2'],
    ['mysql:8.4', 'mysql/official@8.4'],
    ['mysql:9.1-oraclelinux9', 'mysql/official@9.1'],
    ['percona/percona-server:8.0', 'mysql/percona-server@8.0'],
    ['bitnami/mysql:8.4.3', 'mysql/bitnami@8.4.3'],
    ['mariadb:11.4', 'mariadb/official@11.4'],
    ['mariadb:10.11-jammy', 'mariadb/official@10.11'],
    ['mariadb:lts', 'mariadb/official@?'],
    ['bitnami/mariadb-galera:11.4', 'mariadb/bitnami-galera@11.4'],
    ['rabbitmq:3.13-management-alpine', 'rabbitmq/official@3.13'],
    ['bitnamilegacy/rabbitmq:4.0', 'rabbitmq/bitnami@4.0'],
    ['apache/kafka:3.9.0', 'kafka/apache@3.9.0'],
    ['apache/kafka-native:3.9.0', 'kafka/apache-native@3.9.0'],
    ['bitnami/kafka:3.9', 'kafka/bitnami@3.9'],
    ['confluentinc/cp-kafka:7.7.1', 'kafka/confluent@7.7.1'],
    ['confluentinc/cp-server:7.7.1', 'kafka/confluent@7.7.1'],
    ['mongo:7.0.14', 'mongo/official@7.0.14'],
    ['mongo:4.4', 'mongo/official@4.4'],
    ['mongodb/mongodb-community-server:7.0-ubi8', 'mongo/community-server@7.0'],
    ['percona/percona-server-mongodb:7.0.14-8', 'mongo/percona-server-mongodb@7.0.14'],
    ['bitnami/mongodb:8.0', 'mongo/bitnami@8.0'],
    ['bitnami/mongodb-sharded:7.0', 'mongo/bitnami-sharded@7.0'],
  ])('%s → %s', (image, expected) => {
    expect(classify(image)).toBe(expected);
  });
});

describe('classifyImage handles tricky references', () => {
  it.each([
    ['docker.io/library/postgres:16', 'postgres/official@16'],
    ['index.docker.io/library/postgres:16', 'postgres/official@16'],
    ['mirror.gcr.io/library/postgres:16', 'postgres/official@16'],
    ['mirror.gcr.io/postgres:16', 'postgres/official@16'],
    ['public.ecr.aws/docker/library/redis:7', 'redis/official@7'],
    ['public.ecr.aws/bitnami/mongodb:7.0', 'mongo/bitnami@7.0'],
    [`postgres@${DIGEST}`, 'postgres/official@?'],
    [`postgres:16@${DIGEST}`, 'postgres/official@16'],
    ['postgres:latest', 'postgres/official@?'],
    ['postgres', 'postgres/official@?'],
    ['Postgres:16', 'invalid'],
    ['localhost:5000/postgres:16', 'unknown'],
    ['registry.example.com/library/postgres:16', 'unknown'],
    ['ghcr.io/someone/postgres:16', 'unknown'],
    ['myorg/postgres-backup:1', 'unknown'],
    ['postgres-operator:1', 'unknown'],
  ])('%s → %s', (image, expected) => {
    expect(classify(image)).toBe(expected);
  });
});

describe('classifyImage lists known negatives with a reason', () => {
  it.each([
    ['quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 'negative:exporter'],
    ['prometheuscommunity/postgres-exporter', 'negative:exporter'],
    ['oliver006/redis_exporter:v1.62.0', 'negative:exporter'],
    ['bitnami/redis-exporter', 'negative:exporter'],
    ['percona/mongodb_exporter:0.40', 'negative:exporter'],
    ['prom/mysqld-exporter', 'negative:exporter'],
    ['danielqsj/kafka-exporter', 'negative:exporter'],
    ['kbudde/rabbitmq-exporter', 'negative:exporter'],
    ['mongo-express:1.0', 'negative:ui'],
    ['provectuslabs/kafka-ui', 'negative:ui'],
    ['ghcr.io/kafbat/kafka-ui:v1.0.0', 'negative:ui'],
    ['dpage/pgadmin4', 'negative:ui'],
    ['redis/redisinsight:2.58', 'negative:ui'],
    ['bitnami/pgbouncer:1.23', 'negative:proxy'],
    ['edoburu/pgbouncer', 'negative:proxy'],
    ['mysql/mysql-router:8.0', 'negative:proxy'],
    ['proxysql/proxysql', 'negative:proxy'],
    ['bitnami/redis-sentinel:7.2', 'negative:sentinel'],
    ['confluentinc/cp-zookeeper:7.7.1', 'negative:coordination'],
    ['bitnami/zookeeper:3.9', 'negative:coordination'],
    ['confluentinc/cp-schema-registry:7.7.1', 'negative:kafka-ecosystem'],
    ['confluentinc/cp-kafka-connect:7.7.1', 'negative:kafka-ecosystem'],
    ['ghcr.io/cloudnative-pg/postgresql:16.4', 'negative:operator-managed-image'],
    ['ghcr.io/zalando/spilo-16:3.3-p1', 'negative:operator-managed-image'],
    ['quay.io/strimzi/kafka:0.45.0-kafka-3.9.0', 'negative:operator-managed-image'],
    ['percona/percona-xtradb-cluster:8.0', 'negative:operator-managed-image'],
    ['quay.io/mongodb/mongodb-agent:108.0.0.8694-1', 'negative:agent'],
    ['percona/percona-backup-mongodb:2.7', 'negative:agent'],
    ['ghcr.io/cloudnative-pg/cloudnative-pg:1.24', 'negative:operator'],
  ])('%s → %s', (image, expected) => {
    expect(classify(image)).toBe(expected);
  });
});

describe('catalog data is well formed', () => {
  it('has no image name in two variants or in both the images and the negatives', () => {
    const seen = new Map<string, string>();
    for (const v of DEFAULT_CATALOG.images) {
      for (const name of v.names) {
        expect(seen.get(name), name).toBeUndefined();
        seen.set(name, `${v.family}/${v.variant}`);
      }
    }
    for (const n of DEFAULT_CATALOG.negatives)
      for (const name of n.names) expect(seen.get(name), name).toBeUndefined();
  });

  it('uses only canonical names that parse back to themselves', () => {
    const names = [
      ...DEFAULT_CATALOG.images.flatMap((v) => v.names),
      ...DEFAULT_CATALOG.negatives.flatMap((n) => n.names),
    ];
    for (const name of names) expect(classify(name), name).not.toBe('invalid');
  });

  it('gives every variant and negative at least one source', () => {
    for (const v of DEFAULT_CATALOG.images) expect(v.sources.length, v.variant).toBeGreaterThan(0);
    for (const n of DEFAULT_CATALOG.negatives) expect(n.sources.length, n.why).toBeGreaterThan(0);
  });
});

describe('configured catalog entries', () => {
  it('a configured mirror maps a pull-through cache onto Docker Hub', () => {
    const config = buildEngineConfig({
      mirrors: [{ prefix: 'harbor.corp/dockerhub', upstream: 'docker.io' }],
    });
    const c = classifyImage('harbor.corp/dockerhub/library/postgres:16', config.catalog);
    expect(c.kind === 'match' && c.variant.variant).toBe('official');
    const single = classifyImage('harbor.corp/dockerhub/postgres:16', config.catalog);
    expect(single.kind === 'match' && single.variant.family).toBe('postgres');
  });

  it('a configured image behaves like the variant it names', () => {
    const config = buildEngineConfig({
      images: [{ name: 'registry.corp/db/pg', family: 'postgres', like: 'bitnami' }],
    });
    const c = classifyImage('registry.corp/db/pg:16.1.0', config.catalog);
    expect(c.kind === 'match' && `${c.variant.variant}@${c.version?.text ?? ''}`).toBe(
      'bitnami@16.1.0',
    );
  });

  it('a configured negative wins over a built-in image', () => {
    const config = buildEngineConfig({
      negatives: [
        { name: 'docker.io/library/postgres', why: 'PostgreSQL runs only via CNPG here' },
      ],
    });
    const c = classifyImage('postgres:16', config.catalog);
    expect(c.kind === 'negative' && c.entry.why).toBe('PostgreSQL runs only via CNPG here');
  });
});
