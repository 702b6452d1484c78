/**
 * @module catalog/images — the image variants of each family, as data.
 *
 * Names are canonical (`registry/path`, Docker Hub as `docker.io/...`). Mirrors are resolved
 * before lookup (see mirrors.ts), so `public.ecr.aws/docker/library/postgres` finds the official row.
 */
import type {
  BindRules,
  ExecBlocker,
  HiddenConfig,
  ImageVariant,
  PasswordSource,
  PortRule,
  ToolRule,
} from './types.js';

/** Bitnami publishes each image under three Docker Hub namespaces since 2025-08-28 (bitnami/containers#83267). */
function bitnami(name: string): string[] {
  return ['bitnami', 'bitnamilegacy', 'bitnamisecure'].map((ns) => `docker.io/${ns}/${name}`);
}

/** Hardened Bitnami images may be distroless (no sh, no timeout): only TCP probes are safe there. */
function bitnamiSecure(name: string): string[] {
  return [`docker.io/bitnamisecure/${name}`];
}

function bitnamiRegular(name: string): string[] {
  return bitnami(name).filter((n) => !n.includes('/bitnamisecure/'));
}

// bash, whose /dev/tcp gives an in-container TCP check where a mesh answers every connection:
// in every image below but the Alpine Redis ones (busybox only) ([SHELLS-IMG]).
const BASH: ToolRule = { name: 'bash' };

// The readiness CLIs each image ships, by engine version (ground truth §1-§6).
const PG_TOOLS: ToolRule[] = [{ name: 'pg_isready' }, BASH];
const REDIS_TOOLS: ToolRule[] = [{ name: 'redis-cli' }, BASH];
const REDIS_OFFICIAL_TOOLS: ToolRule[] = [
  { name: 'redis-cli' },
  { name: 'bash', absentInTags: 'alpine' },
];
const MYSQL_TOOLS: ToolRule[] = [{ name: 'mysqladmin' }, BASH];
// MariaDB 11.0+ images have no mysql* names; 10.2/10.3 have no mariadb-admin ([MDB-512] [MDB-94]).
const MARIADB_TOOLS: ToolRule[] = [
  { name: 'mariadb-admin', since: '10.4' },
  { name: 'mysqladmin', before: '11.0' },
  BASH,
];
// The legacy shell is gone from 6.0; mongosh is there from 5.0 ([MG-9631]).
const MONGO_TOOLS: ToolRule[] = [
  { name: 'mongo', before: '6.0' },
  { name: 'mongosh', since: '5.0' },
  BASH,
];
const RABBIT_TOOLS: ToolRule[] = [{ name: 'rabbitmq-diagnostics' }, BASH];

const LEADING_VERSION = '^v?(\\d+(?:\\.\\d+){0,2})(?:[-_.+].*)?$';
const NO_HIDDEN: HiddenConfig = { fileFlags: [], fileSuffixes: [], mountPaths: [] };

const PG_PORT: PortRule[] = [
  // Under Patroni (catalog/ha.ts) PostgreSQL listens where Patroni's config says ([PATRONI-K8S]).
  { from: 'listen-env', name: 'PATRONI_POSTGRESQL_LISTEN' },
  { from: 'pg-setting' },
  { from: 'flag', flags: ['-p', '--port'] },
  { from: 'env', name: 'PGPORT' },
];
const PG_HIDDEN: HiddenConfig = {
  fileFlags: ['--config-file', '--config_file'],
  // `patroni /home/postgres/patroni.yml`: Patroni's config sets the listen address and port.
  fileSuffixes: ['.yml', '.yaml'],
  mountPaths: ['/etc/postgresql'],
};
const PG_BIND: BindRules = {
  addressFlags: [],
  pgListenAddresses: true,
  disableFlags: [],
  allFlags: [],
};
const PG_USER = { env: ['POSTGRES_USER'], fallback: 'postgres' };
const PG_NOTES =
  'docker-library entrypoint; pg_isready on PATH (Debian /usr/lib/postgresql/$PG_MAJOR/bin, Alpine /usr/local/bin)';

const BN_PG: Omit<ImageVariant, 'names' | 'shell'> = {
  family: 'postgres',
  variant: 'bitnami',
  tagVersion: LEADING_VERSION,
  tools: PG_TOOLS,
  port: [
    { from: 'pg-setting' },
    { from: 'flag', flags: ['-p', '--port'] },
    { from: 'env', name: 'POSTGRESQL_PORT_NUMBER' },
  ],
  hiddenConfig: {
    fileFlags: ['--config-file', '--config_file'],
    fileSuffixes: [],
    mountPaths: ['/opt/bitnami/postgresql/conf', '/bitnami/postgresql/conf'],
  },
  bind: PG_BIND,
  // The Bitnami image always keeps the `postgres` superuser (POSTGRESQL_POSTGRES_PASSWORD).
  user: { env: [], fallback: 'postgres' },
  notes: '/opt/bitnami/postgresql/bin on PATH; port from POSTGRESQL_PORT_NUMBER',
  sources: ['BN-PG', 'BN-PG-ENV', 'BN-CATALOG'],
};

const REDIS_PORT: PortRule[] = [{ from: 'flag', flags: ['--port'], zeroFallback: ['--tls-port'] }];
const REDIS_BIND: BindRules = { addressFlags: ['--bind'], disableFlags: [], allFlags: [] };
const REDIS_TLS: ExecBlocker[] = [
  {
    flag: '--tls-port',
    why: 'the server takes TLS connections; redis-cli would need --tls and certificates',
  },
];
const REDIS_HIDDEN: HiddenConfig = { fileFlags: [], fileSuffixes: ['.conf'], mountPaths: [] };
// requirepass, and masterauth (a replica's password for its primary, usually the same): either is
// a password redis-cli can send. ACL files and users need more than REDISCLI_AUTH ([RD-DF] redis.conf).
const REDIS_OFFICIAL_PASSWORD: PasswordSource = {
  cliEnv: 'REDISCLI_AUTH',
  env: [],
  fileEnv: [],
  flags: ['--requirepass', '--masterauth'],
  opaque: { flags: ['--aclfile', '--user'], env: [] },
};

const BN_REDIS: Omit<ImageVariant, 'names' | 'shell' | 'variant'> = {
  family: 'redis',
  tagVersion: LEADING_VERSION,
  tools: REDIS_TOOLS,
  port: [
    {
      from: 'tls-env',
      enabledBy: 'REDIS_TLS_ENABLED',
      rules: [
        { from: 'env', name: 'REDIS_TLS_PORT_NUMBER' },
        { from: 'env', name: 'REDIS_TLS_PORT' },
      ],
      defaultPort: 6379,
    },
    { from: 'flag', flags: ['--port'], zeroFallback: ['--tls-port'] },
    { from: 'env', name: 'REDIS_PORT_NUMBER' },
    { from: 'env', name: 'REDIS_PORT' },
  ],
  bind: REDIS_BIND,
  execBlockers: [
    ...REDIS_TLS,
    {
      env: 'REDIS_TLS_ENABLED',
      values: ['yes', 'true', '1'],
      why: 'TLS is enabled; redis-cli would need --tls and certificates',
    },
  ],
  hiddenConfig: {
    fileFlags: [],
    fileSuffixes: ['.conf'],
    mountPaths: ['/opt/bitnami/redis/mounted-etc', '/opt/bitnami/redis/etc'],
  },
  // Bitnami's run.sh appends REDIS_EXTRA_FLAGS to redis-server's args; REDIS_ACLFILE sets ACLs.
  argsEnv: ['REDIS_EXTRA_FLAGS'],
  password: {
    cliEnv: 'REDISCLI_AUTH',
    env: ['REDIS_PASSWORD', 'REDIS_MASTER_PASSWORD'],
    fileEnv: ['REDIS_PASSWORD_FILE', 'REDIS_MASTER_PASSWORD_FILE'],
    flags: ['--requirepass', '--masterauth'],
    opaque: { flags: ['--aclfile', '--user'], env: ['REDIS_ACLFILE'] },
  },
  notes: '/opt/bitnami/redis/bin on PATH; REDIS_PORT_NUMBER (image) and REDIS_PORT (chart)',
  sources: ['BN-RD-HC', 'BN-RD-ENV', 'BN-CATALOG'],
};

const MYSQL_FLAGS: PortRule = { from: 'flag', flags: ['--port', '-P'] };
const MYSQL_BIND: BindRules = {
  addressFlags: ['--bind-address', '--bind_address'],
  disableFlags: ['--skip-networking', '--skip_networking'],
  allFlags: [],
};
const MYSQL_HIDDEN_FLAGS = ['--defaults-file', '--defaults-extra-file'];

const RABBIT_OFFICIAL: PortRule[] = [{ from: 'env', name: 'RABBITMQ_NODE_PORT' }];

const KAFKA_APACHE_PORT: PortRule[] = [
  {
    from: 'kafka-listeners',
    listeners: ['KAFKA_LISTENERS'],
    roles: ['KAFKA_PROCESS_ROLES'],
    controllerNames: ['KAFKA_CONTROLLER_LISTENER_NAMES'],
    protocolMap: ['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'],
  },
];

const MONGO_PORT: PortRule[] = [
  { from: 'flag', flags: ['--port'] },
  { from: 'flag-implies', flag: '--shardsvr', port: 27018 },
  { from: 'flag-implies', flag: '--configsvr', port: 27019 },
];
const MONGO_BIND: BindRules = {
  addressFlags: ['--bind_ip'],
  disableFlags: [],
  allFlags: ['--bind_ip_all'],
};
const MONGO_TLS: ExecBlocker[] = [
  {
    flag: '--tlsMode',
    values: ['requireTLS'],
    why: 'the server requires TLS; the shell would need --tls and certificates',
  },
  {
    flag: '--sslMode',
    values: ['requireSSL'],
    why: 'the server requires TLS; the shell would need --tls and certificates',
  },
];
const MONGO_HIDDEN: HiddenConfig = {
  fileFlags: ['--config', '-f'],
  fileSuffixes: [],
  mountPaths: [],
};

export const IMAGES: readonly ImageVariant[] = [
  // PostgreSQL ---------------------------------------------------------------------------------
  {
    family: 'postgres',
    variant: 'official',
    names: ['docker.io/library/postgres'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: PG_TOOLS,
    port: PG_PORT,
    hiddenConfig: PG_HIDDEN,
    bind: PG_BIND,
    user: PG_USER,
    notes: PG_NOTES,
    sources: ['PG-DF', 'PG-ENT'],
  },
  {
    family: 'postgres',
    variant: 'postgis',
    names: ['docker.io/postgis/postgis'],
    tagVersion: '^(\\d+)(?:-.*)?$',
    shell: true,
    tools: PG_TOOLS,
    port: PG_PORT,
    hiddenConfig: PG_HIDDEN,
    bind: PG_BIND,
    user: PG_USER,
    notes: `built FROM postgres; ${PG_NOTES}`,
    sources: ['PG-DF'],
  },
  {
    family: 'postgres',
    variant: 'timescaledb',
    names: ['docker.io/timescale/timescaledb'],
    tagVersion: '(?:^|-)pg(\\d+)',
    shell: true,
    tools: PG_TOOLS,
    port: PG_PORT,
    hiddenConfig: PG_HIDDEN,
    bind: PG_BIND,
    user: PG_USER,
    notes: 'PostgreSQL with the TimescaleDB extension; engine version in the -pgNN tag suffix',
    sources: ['PG-DF'],
  },
  {
    family: 'postgres',
    variant: 'timescaledb-ha',
    names: ['docker.io/timescale/timescaledb-ha'],
    tagVersion: '(?:^|-)pg(\\d+)',
    shell: true,
    tools: PG_TOOLS,
    port: PG_PORT,
    hiddenConfig: PG_HIDDEN,
    bind: PG_BIND,
    user: PG_USER,
    notes:
      'TimescaleDB with Patroni bundled: plain PostgreSQL by default; readiness only when started through timescaledb_entrypoint.sh (Patroni)',
    sources: ['PG-DF', 'TSDB-HA', 'PATRONI-1159'],
  },
  {
    family: 'postgres',
    variant: 'pgvector',
    names: ['docker.io/pgvector/pgvector'],
    tagVersion: 'pg(\\d+)',
    shell: true,
    tools: PG_TOOLS,
    port: PG_PORT,
    hiddenConfig: PG_HIDDEN,
    bind: PG_BIND,
    user: PG_USER,
    notes: `built FROM postgres; ${PG_NOTES}`,
    sources: ['PG-DF'],
  },
  {
    ...BN_PG,
    names: bitnamiRegular('postgresql'),
    shell: true,
    // The chart's readiness also waits for the marker of a finished first-run setup ([BN-PG]
    // `readinessProbeCommand`): setup runs the server before it is ready for clients.
    readyFiles: ['/opt/bitnami/postgresql/tmp/.initialized', '/bitnami/postgresql/.initialized'],
  },
  { ...BN_PG, variant: 'bitnami-secure', names: bitnamiSecure('postgresql'), shell: false },
  {
    ...BN_PG,
    variant: 'bitnami-repmgr',
    names: bitnamiRegular('postgresql-repmgr'),
    shell: true,
    ha: 'repmgr',
    sources: ['BN-PG', 'PATRONI-1159'],
  },

  // Redis --------------------------------------------------------------------------------------
  {
    family: 'redis',
    variant: 'official',
    names: ['docker.io/library/redis'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: REDIS_OFFICIAL_TOOLS,
    port: REDIS_PORT,
    hiddenConfig: REDIS_HIDDEN,
    bind: REDIS_BIND,
    execBlockers: REDIS_TLS,
    password: REDIS_OFFICIAL_PASSWORD,
    notes: '/usr/local/bin/redis-cli; redis-sentinel is the same image (role detection skips it)',
    sources: ['RD-DF'],
  },
  {
    family: 'redis',
    variant: 'redis-stack',
    names: ['docker.io/redis/redis-stack', 'docker.io/redis/redis-stack-server'],
    tagVersion: LEADING_VERSION,
    shell: true,
    // redis-cli location in redis-stack images is not in our ground truth: readiness stays TCP.
    tools: [],
    port: REDIS_PORT,
    hiddenConfig: REDIS_HIDDEN,
    bind: REDIS_BIND,
    execBlockers: REDIS_TLS,
    argsEnv: ['REDIS_ARGS'],
    password: REDIS_OFFICIAL_PASSWORD,
    notes: 'Redis with modules; server args also come from REDIS_ARGS',
    sources: ['RD-DF'],
  },
  { ...BN_REDIS, variant: 'bitnami', names: bitnamiRegular('redis'), shell: true },
  { ...BN_REDIS, variant: 'bitnami-secure', names: bitnamiSecure('redis'), shell: false },
  {
    ...BN_REDIS,
    variant: 'bitnami-cluster',
    names: bitnamiRegular('redis-cluster'),
    shell: true,
    notes: 'Redis Cluster node: client port 6379, cluster bus 16379',
  },

  // MySQL --------------------------------------------------------------------------------------
  {
    family: 'mysql',
    variant: 'official',
    names: ['docker.io/library/mysql'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: MYSQL_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MYSQL_TCP_PORT' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/etc/mysql/conf.d', '/etc/mysql/my.cnf', '/etc/my.cnf', '/etc/my.cnf.d'],
    },
    notes: 'Oracle Linux slim; mysqladmin on PATH (mysql-community-server-minimal)',
    sources: ['MY-DF', 'MY-ENT', 'MY-ENV'],
  },
  {
    family: 'mysql',
    variant: 'oracle',
    names: [
      'docker.io/mysql/mysql-server',
      'container-registry.oracle.com/mysql/community-server',
      'container-registry.oracle.com/mysql/enterprise-server',
    ],
    tagVersion: LEADING_VERSION,
    shell: true,
    // mysql-community-server-minimal + mysql-shell on Oracle Linux slim, every version ([ORA-DF]).
    tools: MYSQL_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MYSQL_TCP_PORT' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/etc/my.cnf', '/etc/my.cnf.d', '/etc/mysql'],
    },
    notes:
      "Oracle's images (mysql/mysql-docker): /entrypoint.sh, socket /var/lib/mysql/mysql.sock, runs as root; readiness over TCP as for the official image",
    sources: ['ORA-DF', 'MY-ADMIN'],
  },
  {
    family: 'mysql',
    variant: 'percona-server',
    names: ['docker.io/percona/percona-server'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: MYSQL_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MYSQL_TCP_PORT' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/etc/my.cnf', '/etc/my.cnf.d', '/etc/mysql'],
    },
    notes: 'Percona Server for MySQL (standalone; operator pods are skipped by operator detection)',
    sources: ['MY-ADMIN', 'PXC-DEF'],
  },
  ...(['bitnami', 'bitnami-secure'] as const).map((variant): ImageVariant => ({
    family: 'mysql',
    variant,
    names: variant === 'bitnami' ? bitnamiRegular('mysql') : bitnamiSecure('mysql'),
    tagVersion: LEADING_VERSION,
    shell: variant === 'bitnami',
    tools: MYSQL_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MYSQL_PORT_NUMBER' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/opt/bitnami/mysql/conf'],
    },
    notes: '/opt/bitnami/mysql/bin on PATH; MYSQL_PORT_NUMBER',
    sources: ['BN-MY', 'BN-CATALOG'],
  })),

  // MariaDB ------------------------------------------------------------------------------------
  {
    family: 'mariadb',
    variant: 'official',
    names: ['docker.io/library/mariadb'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: MARIADB_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MYSQL_TCP_PORT' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/etc/mysql/conf.d', '/etc/mysql/mariadb.conf.d', '/etc/mysql/my.cnf'],
    },
    notes: 'Ubuntu; mariadb-admin (10.5+), mysqladmin (<= 10.11 only; 11.0+ has no mysql* names)',
    sources: ['MDB-DF', 'MDB-512', 'MDB-94'],
  },
  ...(['bitnami', 'bitnami-secure', 'bitnami-galera'] as const).map((variant): ImageVariant => ({
    family: 'mariadb',
    variant,
    names:
      variant === 'bitnami'
        ? bitnamiRegular('mariadb')
        : variant === 'bitnami-secure'
          ? bitnamiSecure('mariadb')
          : bitnamiRegular('mariadb-galera'),
    ...(variant === 'bitnami-galera' ? { ha: 'galera' } : {}),
    tagVersion: LEADING_VERSION,
    shell: variant !== 'bitnami-secure',
    tools: MARIADB_TOOLS,
    port: [MYSQL_FLAGS, { from: 'env', name: 'MARIADB_PORT_NUMBER' }],
    bind: MYSQL_BIND,
    hiddenConfig: {
      fileFlags: MYSQL_HIDDEN_FLAGS,
      fileSuffixes: [],
      mountPaths: ['/opt/bitnami/mariadb/conf'],
    },
    notes:
      variant === 'bitnami-galera'
        ? 'Galera node: a joiner doing SST is alive but not listening for as long as the transfer takes (readiness only)'
        : '/opt/bitnami/mariadb/bin on PATH; MARIADB_PORT_NUMBER',
    sources: ['BN-MDB', 'PXC-LIVE', 'BN-CATALOG'],
  })),

  // RabbitMQ -----------------------------------------------------------------------------------
  {
    family: 'rabbitmq',
    variant: 'official',
    names: ['docker.io/library/rabbitmq'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: RABBIT_TOOLS,
    port: RABBIT_OFFICIAL,
    hiddenConfig: { ...NO_HIDDEN, mountPaths: ['/etc/rabbitmq'] },
    notes: 'rabbitmq-diagnostics in /opt/rabbitmq/sbin; -management tags add 15672',
    sources: ['RMQ-DF', 'RMQ-CONF'],
  },
  ...(['bitnami', 'bitnami-secure'] as const).map((variant): ImageVariant => ({
    family: 'rabbitmq',
    variant,
    names: variant === 'bitnami' ? bitnamiRegular('rabbitmq') : bitnamiSecure('rabbitmq'),
    tagVersion: LEADING_VERSION,
    shell: variant === 'bitnami',
    tools: RABBIT_TOOLS,
    port: [{ from: 'env', name: 'RABBITMQ_NODE_PORT_NUMBER' }],
    hiddenConfig: {
      ...NO_HIDDEN,
      mountPaths: ['/bitnami/rabbitmq/conf', '/opt/bitnami/rabbitmq/etc/rabbitmq'],
    },
    notes: '/opt/bitnami/rabbitmq/sbin; RABBITMQ_NODE_PORT_NUMBER',
    sources: ['BN-RMQ', 'BN-RMQ-ENV', 'BN-CATALOG'],
  })),

  // Kafka --------------------------------------------------------------------------------------
  {
    family: 'kafka',
    variant: 'apache',
    names: ['docker.io/apache/kafka'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: [{ name: '/opt/kafka/bin/kafka-broker-api-versions.sh' }, BASH],
    port: KAFKA_APACHE_PORT,
    hiddenConfig: { ...NO_HIDDEN, mountPaths: ['/mnt/shared/config', '/opt/kafka/config'] },
    kafkaScripts: { prefix: '/opt/kafka/bin/', suffix: '.sh' },
    notes: 'JVM image; scripts in /opt/kafka/bin (not on PATH)',
    sources: ['KF-DF', 'KF-DEF'],
  },
  {
    family: 'kafka',
    variant: 'apache-native',
    names: ['docker.io/apache/kafka-native'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: [BASH],
    port: KAFKA_APACHE_PORT,
    hiddenConfig: { ...NO_HIDDEN, mountPaths: ['/mnt/shared/config'] },
    notes: 'GraalVM native image: no scripts, no JVM; TCP probes only',
    sources: ['KF-NATIVE'],
  },
  ...(['bitnami', 'bitnami-secure'] as const).map((variant): ImageVariant => ({
    family: 'kafka',
    variant,
    names: variant === 'bitnami' ? bitnamiRegular('kafka') : bitnamiSecure('kafka'),
    tagVersion: LEADING_VERSION,
    shell: variant === 'bitnami',
    tools: [{ name: 'kafka-broker-api-versions.sh' }, BASH],
    port: [
      {
        from: 'kafka-listeners',
        listeners: ['KAFKA_CFG_LISTENERS'],
        roles: ['KAFKA_CFG_PROCESS_ROLES'],
        controllerNames: ['KAFKA_CFG_CONTROLLER_LISTENER_NAMES'],
        protocolMap: ['KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP'],
      },
    ],
    hiddenConfig: {
      ...NO_HIDDEN,
      mountPaths: ['/opt/bitnami/kafka/config', '/bitnami/kafka/config'],
    },
    kafkaScripts: { prefix: '', suffix: '.sh' },
    notes: '/opt/bitnami/kafka/bin on PATH; KAFKA_CFG_* settings',
    sources: ['BN-KF-IMG', 'BN-KF', 'BN-CATALOG'],
  })),
  {
    family: 'kafka',
    variant: 'confluent',
    names: ['docker.io/confluentinc/cp-kafka', 'docker.io/confluentinc/cp-server'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: [{ name: 'kafka-broker-api-versions' }, BASH],
    port: [
      {
        from: 'kafka-listeners',
        // cp-kafka derives KAFKA_LISTENERS from KAFKA_ADVERTISED_LISTENERS when unset.
        listeners: ['KAFKA_LISTENERS', 'KAFKA_ADVERTISED_LISTENERS'],
        roles: ['KAFKA_PROCESS_ROLES'],
        controllerNames: ['KAFKA_CONTROLLER_LISTENER_NAMES'],
        protocolMap: ['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'],
      },
    ],
    hiddenConfig: { ...NO_HIDDEN, mountPaths: ['/etc/kafka'] },
    kafkaScripts: { prefix: '', suffix: '' },
    notes: 'UBI; tools on PATH without .sh; the entrypoint exits if KAFKA_PORT is set',
    sources: ['CP-DF', 'CP-CONFIGURE', 'CP-CLI'],
  },

  // MongoDB ------------------------------------------------------------------------------------
  {
    family: 'mongo',
    variant: 'official',
    names: ['docker.io/library/mongo'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: MONGO_TOOLS,
    port: MONGO_PORT,
    hiddenConfig: MONGO_HIDDEN,
    bind: MONGO_BIND,
    execBlockers: MONGO_TLS,
    notes: 'mongo shell <= 5.0, mongosh >= 5.0 (only mongosh from 6.0); HOME=/data/db',
    sources: ['MG-DF', 'MG-ENT', 'MG-9631'],
  },
  {
    family: 'mongo',
    variant: 'community-server',
    names: [
      'docker.io/mongodb/mongodb-community-server',
      'docker.io/mongodb/mongodb-enterprise-server',
      'quay.io/mongodb/mongodb-community-server',
      'quay.io/mongodb/mongodb-enterprise-server',
    ],
    tagVersion: LEADING_VERSION,
    shell: true,
    // Standalone use only; operator pods are caught by operator detection. Shell presence per
    // version is not in our ground truth, so readiness stays TCP.
    tools: [],
    port: MONGO_PORT,
    hiddenConfig: MONGO_HIDDEN,
    bind: MONGO_BIND,
    execBlockers: MONGO_TLS,
    notes: 'MongoDB Inc. images; operator-managed pods are skipped',
    sources: ['MCO-STS'],
  },
  {
    family: 'mongo',
    variant: 'percona-server-mongodb',
    names: ['docker.io/percona/percona-server-mongodb'],
    tagVersion: LEADING_VERSION,
    shell: true,
    tools: [],
    port: MONGO_PORT,
    hiddenConfig: MONGO_HIDDEN,
    bind: MONGO_BIND,
    execBlockers: MONGO_TLS,
    notes: 'standalone use only (PSMDB operator pods are skipped); readiness TCP',
    sources: ['PSMDB-DEF'],
  },
  ...(['bitnami', 'bitnami-secure', 'bitnami-sharded'] as const).map((variant): ImageVariant => ({
    family: 'mongo',
    variant,
    names:
      variant === 'bitnami'
        ? bitnamiRegular('mongodb')
        : variant === 'bitnami-secure'
          ? bitnamiSecure('mongodb')
          : bitnamiRegular('mongodb-sharded'),
    tagVersion: LEADING_VERSION,
    shell: variant !== 'bitnami-secure',
    tools: MONGO_TOOLS,
    port: [
      { from: 'flag', flags: ['--port'] },
      { from: 'env', name: 'MONGODB_PORT_NUMBER' },
    ],
    hiddenConfig: { ...MONGO_HIDDEN, mountPaths: ['/opt/bitnami/mongodb/conf'] },
    bind: MONGO_BIND,
    argsEnv: ['MONGODB_EXTRA_FLAGS'],
    execBlockers: [
      ...MONGO_TLS,
      {
        env: 'MONGODB_EXTRA_FLAGS',
        values: ['requireTLS'],
        why: 'the server requires TLS (MONGODB_EXTRA_FLAGS)',
      },
    ],
    notes: 'mongosh and mongod in /opt/bitnami/mongodb/bin; MONGODB_PORT_NUMBER',
    sources: ['BN-MG', 'BN-MG-IMG', 'BN-MG-SCR', 'BN-CATALOG'],
  })),
];
