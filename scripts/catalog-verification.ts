/**
 * @module scripts/catalog-verification — how each exec readiness command was verified: against which real
 * server, by which suite. Filled from the probe conformance suite (test/probes, `npm run
 * test:probes`); a command that could not be executed here says so and why.
 *
 * An entry covers the commands rendered for its family and variants that run `tool` (the word
 * after the `timeout` hard stop, or a branch of an `sh -c` script); an entry without a tool covers
 * every command of those variants. docs/catalog.md shows the entries next to each command.
 */
import type { Family } from '../src/core/index.js';

interface VerificationBase {
  readonly family: Family;
  readonly variants: 'all' | readonly string[];
  /** The program the command runs (`mariadb-admin`), when a family's commands differ; absent: any. */
  readonly tool?: string;
  /** The cases run and their exit statuses, or why the command could not be executed. */
  readonly how: string;
}

/** How one family's exec readiness command (for the listed variants) was verified, or why not. */
export type Verification = VerificationBase &
  (
    | {
        readonly executed: true;
        /** The real server and client versions it ran against. */
        readonly server: string;
        /** The day test/probes last proved it, YYYY-MM-DD. */
        readonly date: string;
      }
    | { readonly executed: false }
  );

const DATE = '2026-11-25';

export const VERIFICATION: readonly Verification[] = [
  {
    family: 'postgres',
    variants: [
      'official',
      'postgis',
      'timescaledb',
      'timescaledb-ha',
      'pgvector',
      'bitnami',
      'bitnami-repmgr',
    ],
    tool: 'pg_isready',
    executed: true,
    server: 'PostgreSQL 15.18 (Debian), pg_isready 15.18',
    date: DATE,
    how:
      'ready 0 (-U from POSTGRES_USER, literal or a Secret read through sh -c, else postgres; port from PGPORT, -p, -c port=, POSTGRESQL_PORT_NUMBER, args over PGPORT); ' +
      'standby with hot_standby=off (recovery, rejecting connections) 1; a port nothing listens on 2; stopped 2; ' +
      'a listener that accepts and never answers 2 after 3 s (-t); all within timeoutSeconds 5; ' +
      "bitnami (run in a mount namespace with the image's /opt/bitnami layout): 0 with /opt/bitnami/postgresql/tmp/.initialized, 1 without it (first-run setup not finished)",
  },
  {
    family: 'redis',
    variants: ['official', 'bitnami', 'bitnami-cluster'],
    tool: 'redis-cli',
    executed: true,
    server: 'Redis 7.0.15 (Debian), redis-cli 7.0.15, dash as sh',
    date: DATE,
    how:
      'ready 0 (port from --port, REDIS_PORT_NUMBER); with requirepass: 0 when the password reaches REDISCLI_AUTH from --requirepass $(VAR), REDIS_PASSWORD or REDIS_PASSWORD_FILE, ' +
      '1 on NOAUTH (no password in the Pod env) and on WRONGPASS; LOADING a dataset 1; a port nothing listens on 1; stopped 1; ' +
      'a listener that accepts and never answers 1 after 2 s (hard stop); all within timeoutSeconds 3 (bitnami-cluster: without a password)',
  },
  {
    family: 'mysql',
    variants: ['official', 'oracle', 'bitnami', 'percona-server'],
    tool: 'mysqladmin',
    executed: true,
    server: "Oracle MySQL 8.0.12 mysqld, probed with MariaDB 10.11.19's mysqladmin",
    date: DATE,
    how:
      'ready 0 with a root password and no credentials ("Access denied" still means up; port from --port=, --port, MYSQL_TCP_PORT, MYSQL_PORT_NUMBER, args over env); ' +
      'the init-time --skip-networking server 1; a port nothing listens on 1; stopped 1; a listener that accepts and never answers 1 after 3 s (--connect-timeout); ' +
      "all within timeoutSeconds 5. Oracle's own mysqladmin could not be installed here (no Debian package; cdn.mysql.com unreachable), so the client was MariaDB's",
  },
  {
    family: 'mariadb',
    variants: ['official', 'bitnami', 'bitnami-galera'],
    tool: 'mariadb-admin',
    executed: true,
    server: 'MariaDB 10.11.19 (Debian), mariadb-admin 10.11.19, dash as sh',
    date: DATE,
    how:
      'ready 0 with a root password and no credentials (port from MYSQL_TCP_PORT, --port, --port=, MARIADB_PORT_NUMBER, args over env), also through the unknown-version command -v script; ' +
      'the init-time --skip-networking server 1; a port nothing listens on 1; stopped 1; a listener that accepts and never answers 1 after 3 s; ' +
      "all within timeoutSeconds 5. The images' healthcheck.sh (not used by autoprobe) ships in no package and was not executed",
  },
  {
    family: 'mariadb',
    variants: ['official', 'bitnami', 'bitnami-galera'],
    tool: 'mysqladmin',
    executed: true,
    server: "MariaDB 10.11.19 (Debian), MariaDB's mysqladmin 10.11.19, dash as sh",
    date: DATE,
    how:
      'the 10.4 form, and the else branch of the command -v script run with a PATH holding only sh, timeout and mysqladmin: ' +
      'ready without credentials 0; --skip-networking server 1; stopped 1; all within timeoutSeconds 5',
  },
  {
    family: 'rabbitmq',
    variants: ['official', 'bitnami'],
    tool: 'rabbitmq-diagnostics',
    executed: true,
    server: 'RabbitMQ 3.10.8 (Debian, Erlang 25.2.3)',
    date: DATE,
    how:
      'check_running (readiness=exec annotation): fully booted 0; app stopped (stop_app: the VM up, the app not running, as while booting) 69; stopped node 69; ' +
      "RABBITMQ_NODENAME naming another node 69; ERL_EPMD_PORT at a listener that never answers: killed by the hard stop at 24 s (it ran to 32.6 s under timeout's default SIGTERM, hence timeout -s KILL); " +
      "all within timeoutSeconds 25. Node name, cookie HOME and epmd port were the test node's, standing in for the images' defaults",
  },
  {
    family: 'kafka',
    variants: ['apache', 'bitnami', 'confluent'],
    executed: true,
    server: 'Apache Kafka 4.4.0 KRaft broker and tools (Maven Central jars), OpenJDK 17',
    date: DATE,
    how:
      "kafka-broker-api-versions (readiness=exec annotation) through shims named like the images' scripts (.sh on PATH, Confluent's without .sh, apache's /opt/kafka/bin run in a private mount namespace holding the Kafka home at /opt/kafka): " +
      'ready 0, also with JMX_PORT set to a port in use, a KAFKA_OPTS javaagent and a 2 GB KAFKA_HEAP_OPTS in the Pod env; a listener port nothing listens on 1; stopped 1; ' +
      'a listener that accepts and never answers 1 after 7-9 s; all within timeoutSeconds 25',
  },
  {
    family: 'mongo',
    variants: ['official', 'bitnami', 'bitnami-sharded'],
    tool: 'mongosh',
    executed: true,
    server: 'FerretDB 1.24.2 (Mongo wire protocol, standing in for mongod) with mongosh 2.12.0',
    date: DATE,
    how:
      'ready 0 (port from --port, MONGODB_PORT_NUMBER; unknown version through the command -v script, which takes mongosh when no legacy shell exists); ' +
      'a port nothing listens on 1; stopped 1; a listener that accepts and never answers 1 after ~3 s; all within timeoutSeconds 10. ' +
      "No real mongod can be installed here (only from MongoDB's download servers, unreachable)",
  },
  {
    family: 'mongo',
    variants: ['official', 'bitnami', 'bitnami-sharded'],
    tool: 'mongo',
    executed: false,
    how: "the legacy mongo shell of mongo <= 5.0 images is only on MongoDB's download servers, unreachable here",
  },
];
