/**
 * @module catalog/negatives — images whose names contain a database word but that are not the
 * database server, or whose probes an operator owns. Listed so that the catalog says why.
 */
import type { NegativeImage } from './types.js';

const hub = (...paths: string[]): string[] => paths.map((p) => `docker.io/${p}`);
const bitnami = (name: string): string[] =>
  ['bitnami', 'bitnamilegacy', 'bitnamisecure'].map((ns) => `docker.io/${ns}/${name}`);

export const NEGATIVES: readonly NegativeImage[] = [
  {
    category: 'exporter',
    names: [
      'quay.io/prometheuscommunity/postgres-exporter',
      ...hub('prometheuscommunity/postgres-exporter', 'oliver006/redis_exporter'),
      'quay.io/oliver006/redis_exporter',
      ...hub('percona/mongodb_exporter', 'prom/mysqld-exporter', 'danielqsj/kafka-exporter'),
      ...hub('kbudde/rabbitmq-exporter', 'wrouesnel/postgres_exporter'),
      ...bitnami('postgres-exporter'),
      ...bitnami('redis-exporter'),
      ...bitnami('mongodb-exporter'),
      ...bitnami('mysqld-exporter'),
      ...bitnami('kafka-exporter'),
    ],
    why: 'Prometheus exporters connect to a database; they are not one',
    sources: ['PGX', 'RDX'],
  },
  {
    category: 'ui',
    names: [
      ...hub('library/mongo-express', 'provectuslabs/kafka-ui', 'obsidiandynamics/kafdrop'),
      'ghcr.io/kafbat/kafka-ui',
      ...hub('rediscommander/redis-commander', 'redis/redisinsight', 'redislabs/redisinsight'),
      ...hub('dpage/pgadmin4', 'confluentinc/cp-enterprise-control-center'),
      ...hub('library/adminer', 'library/phpmyadmin', 'phpmyadmin/phpmyadmin'),
    ],
    why: 'web UIs and consoles for a database or broker',
    sources: ['KUI', 'RI-676'],
  },
  {
    category: 'proxy',
    names: [
      ...bitnami('pgbouncer'),
      ...hub('edoburu/pgbouncer', 'pgbouncer/pgbouncer'),
      ...bitnami('pgpool'),
      ...hub('mysql/mysql-router', 'proxysql/proxysql', 'mariadb/maxscale'),
      'container-registry.oracle.com/mysql/community-router',
    ],
    why: 'connection poolers, proxies and routers speak the protocol but have their own health model',
    sources: ['PXC-DEF'],
  },
  {
    category: 'sentinel',
    names: [...bitnami('redis-sentinel')],
    why: 'Redis Sentinel listens on 26379 and is not a data node',
    sources: ['BN-RD-HC', 'RD-DF'],
  },
  {
    category: 'coordination',
    names: [...hub('confluentinc/cp-zookeeper', 'library/zookeeper'), ...bitnami('zookeeper')],
    why: 'ZooKeeper coordinates Kafka; it is not a broker',
    sources: ['CP-DF'],
  },
  {
    category: 'kafka-ecosystem',
    names: hub(
      'confluentinc/cp-schema-registry',
      'confluentinc/cp-kafka-connect',
      'confluentinc/cp-kafka-connect-base',
      'confluentinc/cp-kafka-rest',
      'confluentinc/cp-ksqldb-server',
      'confluentinc/ksqldb-server',
    ).concat(bitnami('schema-registry')),
    why: 'Schema Registry (8081), Connect (8083), REST proxy (8082), ksqlDB (8088): HTTP services, not brokers',
    sources: ['CP-DF'],
  },
  {
    category: 'operator',
    names: [
      'ghcr.io/cloudnative-pg/cloudnative-pg',
      'registry.opensource.zalan.do/acid/postgres-operator',
      'ghcr.io/zalando/postgres-operator',
      'quay.io/strimzi/operator',
      ...hub('rabbitmqoperator/cluster-operator', 'rabbitmqoperator/messaging-topology-operator'),
      ...hub('percona/percona-xtradb-cluster-operator', 'percona/percona-server-mongodb-operator'),
      ...hub('percona/percona-postgresql-operator', 'mysql/mysql-operator'),
      'quay.io/mongodb/mongodb-kubernetes-operator',
    ],
    why: 'operators manage databases; they are controllers, not servers',
    sources: ['CNPG-IM', 'RMQ-OP', 'PXC-DEF', 'PSMDB-DEF', 'ORA-OP'],
  },
  {
    category: 'operator-managed-image',
    names: [
      'ghcr.io/cloudnative-pg/postgresql',
      'ghcr.io/cloudnative-pg/postgis',
      'quay.io/strimzi/kafka',
      ...hub('percona/percona-xtradb-cluster'),
      'registry.developers.crunchydata.com/crunchydata/crunchy-postgres',
      'registry.developers.crunchydata.com/crunchydata/crunchy-postgres-gis',
    ],
    patterns: [
      '^ghcr\\.io/zalando/spilo-\\d+$',
      '^registry\\.opensource\\.zalan\\.do/acid/spilo-\\d+$',
      '^registry\\.opensource\\.zalan\\.do/acid/spilo-cdp-\\d+$',
    ],
    why: 'images built for an operator, which owns their probes (Patroni may stop PostgreSQL on purpose; Strimzi runs Connect and Cruise Control from the same image)',
    sources: ['CNPG-IM', 'ZAL-RP', 'PATRONI-1159', 'STZ-DF', 'PXC-DEF'],
  },
  {
    category: 'agent',
    names: [
      ...hub('mongodb/mongodb-agent'),
      'quay.io/mongodb/mongodb-agent',
      'quay.io/mongodb/mongodb-agent-ubi',
      'quay.io/mongodb/mongodb-kubernetes-readinessprobe',
      ...hub('percona/percona-backup-mongodb'),
    ],
    why: 'operator agents and sidecars that run next to a database',
    sources: ['MCO-STS', 'PSMDB-DEF'],
  },
  {
    category: 'backup',
    names: [...hub('percona/percona-xtrabackup', 'pgbackrest/pgbackrest'), 'ghcr.io/wal-g/wal-g'],
    why: 'backup and restore tools run one-shot against a database',
    sources: ['PSMDB-DEF'],
  },
];
