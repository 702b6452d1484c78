/**
 * @module catalog/profiles — per-family probe profiles: default port, timings, readiness mode.
 *
 * Every number comes from the operator/chart defaults listed in docs/sources.md, never looser than
 * the most conservative maintained project. Startup budgets cover each engine's worst realistic
 * recovery, because a startupProbe re-runs on every restart and holds liveness off meanwhile.
 */
import type { Family } from '../families.js';
import type { FamilyProfile, Timing } from './types.js';

/** timing reads `init/period/timeout/failure[/success]`, the notation of the ground-truth tables. */
function timing(notation: string): Timing {
  const [
    initialDelaySeconds = 0,
    periodSeconds = 10,
    timeoutSeconds = 1,
    failureThreshold = 3,
    successThreshold = 1,
  ] = notation.split('/').map(Number);
  return { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, successThreshold };
}

const MYSQL_LIKE = {
  defaultPort: 3306,
  liveness: timing('0/10/5/6/1'),
  livenessWhy:
    'TCP only: a credentialed liveness check restarts the pod forever after a password drift (Bitnami mysqladmin status)',
  startup: timing('0/10/5/360/1'),
  recoveryMinimumSeconds: 600,
  startupWhy:
    'first start runs a --skip-networking temporary server and init scripts; InnoDB crash recovery and Galera SST can take long (Oracle operator lets startup run ~8 h): 1 h budget',
  readinessMode: 'exec',
  readinessExec: timing('5/10/5/3/1'),
  readinessTcp: timing('5/10/5/3/1'),
} as const;

export const PROFILES: Readonly<Record<Family, FamilyProfile>> = {
  postgres: {
    family: 'postgres',
    displayName: 'PostgreSQL',
    defaultPort: 5432,
    portNames: ['postgres', 'postgresql', 'tcp-postgresql', 'tcp-postgres', 'pg', 'pgsql'],
    liveness: timing('0/10/5/6/1'),
    livenessWhy:
      'TCP, not pg_isready: pg_isready exits 1 during crash recovery and a pg_isready liveness kills a recovering server (sclorg#320, Patroni#1159)',
    startup: timing('0/10/5/360/1'),
    recoveryMinimumSeconds: 1800,
    startupWhy:
      'initdb and init scripts run with no TCP listener; crash recovery can take minutes to hours (CloudNativePG default budget 3600 s)',
    readinessMode: 'exec',
    readinessWhy:
      'pg_isready over TCP (-h 127.0.0.1, so the socket-only init server does not count) with -U, credential-free',
    readinessExec: timing('5/10/5/3/1'),
    readinessTcp: timing('5/10/5/3/1'),
    sources: ['PG-DOC', 'PG-ENT', 'CNPG-IM', 'BN-PG', 'SCLORG-320', 'PATRONI-1159'],
  },
  redis: {
    family: 'redis',
    displayName: 'Redis',
    defaultPort: 6379,
    portNames: ['redis', 'tcp-redis', 'redis-tcp', 'client'],
    liveness: timing('10/10/5/5/1'),
    livenessWhy:
      'TCP: a PING-based liveness kills a server legitimately LOADING a large dataset or a replica answering MASTERDOWN (redis#5458, Bitnami health scripts)',
    startup: timing('0/5/5/30/1'),
    recoveryMinimumSeconds: 150,
    startupWhy: 'the listener opens before the dataset loads, so a short TCP budget suffices',
    readinessMode: 'exec',
    readinessWhy:
      'redis-cli PING must answer PONG: redis-cli exits 0 on NOAUTH/LOADING, so the reply is compared, and the password comes from the pod env via REDISCLI_AUTH',
    readinessExec: timing('5/5/3/5/1'),
    readinessTcp: timing('5/5/3/5/1'),
    sources: ['RD-DF', 'RD-5458', 'RD-8136', 'REDISCLI-AUTH', 'BN-RD-HC', 'BN-RD-STS'],
  },
  mysql: {
    family: 'mysql',
    displayName: 'MySQL',
    portNames: ['mysql', 'tcp-mysql', 'mysqld'],
    ...MYSQL_LIKE,
    readinessWhy:
      'mysqladmin ping over TCP (-h 127.0.0.1, so the --skip-networking init server does not count); exits 0 on "Access denied", so no credentials are needed',
    sources: ['MY-DF', 'MY-ENT', 'MY-ADMIN', 'ORA-OP', 'BN-MY', 'PXC-LIVE'],
  },
  mariadb: {
    family: 'mariadb',
    displayName: 'MariaDB',
    portNames: ['mysql', 'mariadb', 'tcp-mysql', 'tcp-mariadb'],
    ...MYSQL_LIKE,
    readinessWhy:
      'mariadb-admin (MariaDB >= 10.5) or mysqladmin (<= 10.4) ping over TCP; 11.0+ images have no mysqladmin',
    sources: ['MDB-DF', 'MDB-HC', 'MDB-512', 'MDB-94', 'MY-ADMIN', 'BN-MDB', 'PXC-LIVE'],
  },
  rabbitmq: {
    family: 'rabbitmq',
    displayName: 'RabbitMQ',
    defaultPort: 5672,
    portNames: ['amqp', 'tcp-amqp', 'rabbitmq'],
    liveness: null,
    livenessWhy:
      'RabbitMQ docs and the cluster-operator advise no liveness probe: a node in pause_minority keeps running without AMQP and must not be restarted',
    startup: timing('10/10/5/60/1'),
    recoveryMinimumSeconds: 300,
    startupWhy:
      'a restarting node waits up to 10 x 30 s for its peers before the AMQP listener opens',
    readinessMode: 'tcp',
    readinessWhy:
      'TCP on the AMQP port is the documented best practice; every rabbitmq-diagnostics run boots an Erlang VM (CPU, memory, 20 s timeouts)',
    readinessExec: timing('10/30/25/3/1'),
    readinessTcp: timing('10/10/5/3/1'),
    sources: ['RMQ-MON', 'RMQ-OP', 'RMQ-OP-409', 'RMQ-CONF', 'BN-RMQ', 'BN-RMQ-5186'],
  },
  kafka: {
    family: 'kafka',
    displayName: 'Apache Kafka',
    defaultPort: 9092,
    portNames: ['kafka', 'client', 'tcp-client', 'broker', 'plaintext'],
    liveness: timing('0/10/5/6/1'),
    livenessWhy:
      'TCP on the client (or controller) listener, safe only because it sits behind a startup probe sized for log recovery (KAFKA-14658)',
    startup: timing('0/10/5/180/1'),
    recoveryMinimumSeconds: 1200,
    startupWhy:
      'KRaft brokers open their listeners only after log recovery, which takes many minutes after an unclean shutdown: 30 min budget',
    readinessMode: 'tcp',
    readinessWhy:
      'TCP: the Kafka CLI starts a JVM (~1.6 s, ~1 s CPU) per run, inherits JMX ports and heap settings, and needs client configs for SASL/TLS',
    readinessExec: timing('5/30/25/3/1'),
    readinessTcp: timing('5/10/5/6/1'),
    sources: ['KF-DF', 'KF-DEF', 'STZ-P83', 'BN-KF', 'BN-KF-814', 'KUDO-11', 'HELM-4093'],
  },
  mongo: {
    family: 'mongo',
    displayName: 'MongoDB',
    defaultPort: 27017,
    portNames: ['mongodb', 'mongo', 'tcp-mongodb', 'mongod'],
    liveness: timing('30/20/10/6/1'),
    livenessWhy: 'TCP: a shell-based liveness costs a Node.js process per run (Bitnami #17346)',
    startup: timing('0/10/5/360/1'),
    recoveryMinimumSeconds: 1800,
    startupWhy:
      'the init-time mongod listens on 127.0.0.1 only; WiredTiger recovery can be long (Percona budget 7200 s): 1 h budget',
    readinessMode: 'exec',
    readinessWhy:
      "db.adminCommand('ping') needs no credentials; mongosh in >= 6.0, the legacy mongo shell in <= 5.0",
    readinessExec: timing('5/10/10/6/1'),
    readinessTcp: timing('5/10/5/6/1'),
    sources: ['MG-DF', 'MG-ENT', 'MG-9631', 'MG-PORTS', 'BN-MG', 'BN-MONGO-17346', 'BN-MG-14539'],
  },
};
